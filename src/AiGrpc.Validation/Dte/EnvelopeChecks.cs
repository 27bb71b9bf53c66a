using System.Globalization;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// What an envelope's carátula declares against what it carries, per document type, and which envelope a type belongs
/// in: boletas (39, 41) travel in EnvioBOLETA (EnvioBOLETA_v11.xsd), every other DTE in EnvioDTE (EnvioDTE_v10.xsd,
/// whose DTE type does not admit boletas). Checked here as well as by the schemas, so that the finding names the
/// problem even when schema validation is turned off.
/// </summary>
internal static class EnvelopeChecks
{
    public static void SubtotalsAndTypes(string root, XmlElement? caratula, IReadOnlyList<DocumentReport> documents, List<Finding> envelope)
    {
        var boletaEnvelope = root == "EnvioBOLETA";
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i].Type is { } type && (type is 39 or 41) != boletaEnvelope)
            {
                envelope.Add(new Finding("ENVELOPE_TYPE_NOT_ALLOWED", FindingSeverity.Error, $"SetDTE/DTE[{i + 1}]",
                    boletaEnvelope
                        ? "Un EnvioBOLETA solo lleva boletas (tipos 39 y 41); los demás DTE se envían en un EnvioDTE."
                        : "Las boletas (tipos 39 y 41) se envían en un EnvioBOLETA, no en un EnvioDTE.",
                    boletaEnvelope ? "39, 41" : "33, 34, 43, 46, 52, 56, 61, 110, 111, 112", type.ToString(CultureInfo.InvariantCulture)));
            }
        }

        if (caratula is null)
        {
            return;
        }

        var counted = documents.Where(d => d.Type is not null).GroupBy(d => d.Type!.Value).ToDictionary(g => g.Key, g => g.Count());
        var subtotal = 0;
        foreach (XmlElement s in Xml.Children(caratula, "SubTotDTE"))
        {
            subtotal++;
            var path = $"SetDTE/Caratula/SubTotDTE[{subtotal}]";
            var declaredType = Xml.IntValue(s, "TpoDTE");
            if (declaredType is null)
            {
                // The count cannot be checked per type; the SII rejects a carátula it cannot read (RCT).
                envelope.Add(new Finding("ENVELOPE_SUBTOTAL_INVALID", FindingSeverity.Error, path + "/TpoDTE",
                    "El subtotal de la carátula no indica el tipo de documento (TpoDTE): no se puede verificar la cantidad por tipo.", "TpoDTE", s.ChildNodes.OfType<XmlElement>().FirstOrDefault()?.LocalName));
                continue;
            }

            var type = declaredType.Value;
            var declared = Xml.LongValue(s, "NroDTE") ?? 0;
            var actual = counted.GetValueOrDefault(type);
            if (declared != actual)
            {
                envelope.Add(new Finding("ENVELOPE_COUNT_MISMATCH", FindingSeverity.Warning, path + "/NroDTE",
                    $"La carátula declara {declared} documentos tipo {type} y el envío trae {actual}.", declared.ToString(CultureInfo.InvariantCulture), actual.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }
}
