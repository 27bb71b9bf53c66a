using AiGrpc.Common;

namespace AiGrpc.Validation.Dte;

// Rules cite "Formato DTE v2.2" (SII, 2019-07-10): the field table of each element; see docs/validation.md.

/// <summary>RUT format and módulo 11 check digit of every RUT in the document.</summary>
internal static class RutChecks
{
    public static void Run(CheckContext c)
    {
        var d = c.Document;
        Check(c, d.IssuerRut, c.P("Encabezado/Emisor/RUTEmisor"), "del emisor");
        Check(c, d.ReceiverRut, c.P("Encabezado/Receptor/RUTRecep"), "del receptor");
        for (var i = 0; i < d.References.Count; i++)
        {
            Check(c, d.References[i].OtherRut, c.P($"Referencia[{i + 1}]/RUTOtr"), "del otro contribuyente de la referencia");
        }
    }

    /// <summary>Adds RUT_FORMAT or RUT_CHECK_DIGIT for a present RUT.</summary>
    public static void Check(CheckContext c, string? rut, string path, string whose) =>
        Check(c.Findings, rut, path, whose);

    /// <summary>Same, into a plain list (envelope-level RUTs).</summary>
    public static void Check(List<Finding> findings, string? rut, string path, string whose)
    {
        if (rut is null)
        {
            return;
        }

        var (format, digit, expected) = Rut.Check(rut);
        if (!format)
        {
            findings.Add(new Finding("RUT_FORMAT", FindingSeverity.Error, path,
                $"El RUT {whose} no tiene el formato del SII (cuerpo numérico, guion y dígito verificador, sin puntos).", "99999999-K", rut));
        }
        else if (!digit)
        {
            findings.Add(new Finding("RUT_CHECK_DIGIT", FindingSeverity.Error, path,
                $"El dígito verificador del RUT {whose} es incorrecto (módulo 11).", expected.ToString(), rut[^1..].ToUpperInvariant()));
        }
    }
}
