using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// Optional XSD validation against the SII schemas (DTE_v10, EnvioDTE_v10, EnvioBOLETA_v11, AEC_v10), shipped or from a folder.
/// Schema warnings count as errors. A DTE without namespace is validated on a copy with the SII
/// namespace applied (reported as INFO), so real namespace-less DTEs are checked for their content.
/// </summary>
public sealed class SchemaValidator(SiiSchemas schemas)
{
    private const int MaxFindings = 20;

    private static readonly Dictionary<string, string> SchemaByRoot = new(StringComparer.Ordinal)
    {
        ["DTE"] = "DTE_v10.xsd",
        ["EnvioDTE"] = "EnvioDTE_v10.xsd",
        ["EnvioBOLETA"] = "EnvioBOLETA_v11.xsd",
        ["AEC"] = "AEC_v10.xsd",
    };

    private readonly ConcurrentDictionary<string, Lazy<XmlSchemaSet>> _sets = new(StringComparer.Ordinal);

    /// <summary>Where the schemas come from.</summary>
    public SiiSchemas Schemas { get; } = schemas;

    /// <summary>Validates a loaded document; returns findings (empty when valid) or null when no schema applies.</summary>
    public IReadOnlyList<Finding>? Validate(XmlDocument document, bool boleta)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.DocumentElement!;
        var rootName = root.LocalName == "DTE" && boleta ? "EnvioBOLETA" : root.LocalName;
        if (!SchemaByRoot.TryGetValue(rootName, out var file))
        {
            return null;
        }

        var findings = new List<Finding>();
        var target = document;
        var extensions = document.GetElementsByTagName("DTE", root.NamespaceURI).OfType<XmlElement>()
            .SelectMany(d => d.ChildNodes.OfType<XmlElement>())
            .Where(e => e.LocalName is not ("Documento" or "Exportaciones" or "Liquidacion" or "Signature"))
            .ToList();
        if (extensions.Count > 0)
        {
            // Vendor additions after the signature (e.g. DocPersonalizado) are not part of the signed tax document.
            target = (XmlDocument)document.Clone();
            foreach (var e in target.GetElementsByTagName("DTE", root.NamespaceURI).OfType<XmlElement>()
                .SelectMany(d => d.ChildNodes.OfType<XmlElement>())
                .Where(e => e.LocalName is not ("Documento" or "Exportaciones" or "Liquidacion" or "Signature")).ToList())
            {
                e.ParentNode!.RemoveChild(e);
            }

            findings.Add(new Finding("DTE_UNSIGNED_EXTENSION", FindingSeverity.Info, "DTE/" + extensions[0].LocalName,
                "El DTE trae elementos no firmados fuera del Documento (extensión del emisor); se ignoran para el esquema.", null, extensions[0].LocalName));
        }

        if (root.NamespaceURI.Length == 0)
        {
            target = SignatureChecks.Reroot(target.DocumentElement!, DteDocument.SiiNamespace);
            findings.Add(new Finding("SCHEMA_NAMESPACE_MISSING", FindingSeverity.Info, root.LocalName,
                "El documento no declara el espacio de nombres del SII; se validó el esquema sobre una copia con xmlns=\"http://www.sii.cl/SiiDte\".",
                DteDocument.SiiNamespace, null));
        }

        if (root.LocalName == "DTE" && boleta)
        {
            // EnvioBOLETA_v11.xsd declares no global DTE element: boletas are only checked inside an envelope.
            return findings;
        }

        var set = _sets.GetOrAdd(file, f => new Lazy<XmlSchemaSet>(() => Schemas.Load(f))).Value;
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = set,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        var count = 0;
        settings.ValidationEventHandler += (_, e) =>
        {
            if (count++ < MaxFindings)
            {
                findings.Add(new Finding("SCHEMA_INVALID", FindingSeverity.Error, root.LocalName,
                    "El documento no cumple el esquema XML del SII: " + e.Message, file, null));
            }
        };
        using var reader = XmlReader.Create(new XmlNodeReader(target), settings);
        while (reader.Read())
        {
        }

        return findings;
    }
}
