using AiGrpc.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// Timbre Electrónico (TED): DD data agree with the document, FRMT verifies with the CAF key, the CAF's
/// FRMA verifies with the SII key of its IDK, folio inside the authorized range, CAF type and issuer match.
/// </summary>
internal static class TedChecks
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    public static void Run(CheckContext c, SiiKeyRing keys)
    {
        var d = c.Document;
        var ted = d.Ted;
        if (ted is null)
        {
            c.Error("TED_MISSING", c.P("TED"), "El documento no tiene Timbre Electrónico (TED).");
            return;
        }

        var dd = Xml.FirstChild(ted, "DD");
        if (dd is null)
        {
            c.Error("TED_MALFORMED", c.P("TED/DD"), "El timbre no contiene los datos timbrados (DD).");
            return;
        }

        CompareData(c, dd);
        var caf = Xml.FirstChild(dd, "CAF");
        RSAParameters? cafKey = null;
        if (caf is null)
        {
            c.Error("CAF_MISSING", c.P("TED/DD/CAF"), "El timbre no incluye el Código de Autorización de Folios (CAF).");
        }
        else
        {
            cafKey = CheckCaf(c.Findings, c.Skipped, caf, keys, c.P("TED/DD/CAF"), d.TypeText, d.IssuerRut, d.Folio);
        }

        var frmt = Xml.FirstChild(ted, "FRMT");
        if (frmt is null)
        {
            c.Error("TED_MALFORMED", c.P("TED/FRMT"), "El timbre no tiene la firma FRMT.");
        }
        else if (cafKey is { } key)
        {
            var written = WrittenForm.Of(dd);
            if (written is not null && VerifyWritten(written, frmt.InnerText, key))
            {
                // Verified over the DD exactly as the issuer wrote it: the normal case.
            }
            else if (VerifyFlattened(dd, frmt.InnerText, key))
            {
                c.Info("TED_VERIFIED_RESERIALIZED", c.P("TED/FRMT"), written is null
                    ? "La firma del timbre se verificó sobre los datos timbrados re-serializados (el texto original del DD no estaba disponible)."
                    : "La firma del timbre no verifica sobre el DD tal como está escrito, pero sí sobre su forma re-serializada: el documento fue re-escrito después de timbrarse.");
            }
            else
            {
                c.Error("TED_SIGNATURE_INVALID", c.P("TED/FRMT"),
                    "La firma del timbre (FRMT) no corresponde a los datos timbrados con la llave del CAF: el timbre fue alterado o no fue generado con este CAF.");
            }
        }
        else
        {
            c.Skip("ted-signature", "No se pudo leer la llave pública del CAF para verificar la firma del timbre.");
        }

        CheckTimestamp(c, dd);
    }

    private static void CompareData(CheckContext c, XmlElement dd)
    {
        var d = c.Document;
        Compare(c, "RE", Xml.Text(dd, "RE"), d.IssuerRut, "el RUT del emisor", rut: true);
        Compare(c, "TD", Xml.Text(dd, "TD"), d.TypeText, "el tipo de documento");
        Compare(c, "F", Xml.Text(dd, "F"), d.FolioText, "el folio", number: true);
        Compare(c, "FE", Xml.Text(dd, "FE"), d.IssueDateText, "la fecha de emisión");
        Compare(c, "RR", Xml.Text(dd, "RR"), d.ReceiverRut, "el RUT del receptor", rut: true);
        var writtenTotal = Xml.Text(Xml.FirstChild(Xml.FirstChild(d.Content, "Encabezado"), "Totales"), "MntTotal");
        Compare(c, "MNT", Xml.Text(dd, "MNT"), writtenTotal ?? d.Totals.Total?.ToString(CultureInfo.InvariantCulture), "el monto total", number: true);
        var it1 = Xml.Text(dd, "IT1");
        var firstItem = d.Lines.Count > 0 ? d.Lines[0].Name : null;
        if (it1 is not null && firstItem is not null)
        {
            var expected = firstItem.Length > 40 ? firstItem[..40] : firstItem;
            if (!string.Equals(Collapse(expected), Collapse(it1), StringComparison.Ordinal))
            {
                c.Warning("TED_ITEM_MISMATCH", c.P("TED/DD/IT1"), "El primer ítem del timbre (IT1) no coincide con el nombre del primer ítem del detalle.", expected, it1);
            }
        }
    }

    private static string Collapse(string s) => string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static void Compare(CheckContext c, string field, string? inTed, string? inDocument, string what, bool rut = false, bool number = false)
    {
        if (inTed is null)
        {
            c.Error("TED_MALFORMED", c.P($"TED/DD/{field}"), $"El timbre no incluye {what} ({field}).");
            return;
        }

        if (inDocument is null)
        {
            return;
        }

        var same = rut ? Rut.SameRut(inTed, inDocument)
            : number ? SameNumber(inTed, inDocument)
            : string.Equals(inTed, inDocument, StringComparison.Ordinal);
        if (!same)
        {
            c.Error("TED_DATA_MISMATCH", c.P($"TED/DD/{field}"), $"El timbre declara {what} distinto al del documento.", inDocument, inTed);
        }
    }

    /// <summary>Same number however written ("99.0" and "99", "0042" and "42"); text that is not a number compares as
    /// written, without leading zeros.</summary>
    private static bool SameNumber(string a, string b) =>
        decimal.TryParse(a, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var x) && decimal.TryParse(b, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var y)
            ? x == y
            : a.TrimStart('0') == b.TrimStart('0');

    private static void CheckTimestamp(CheckContext c, XmlElement dd)
    {
        var text = Xml.Text(dd, "TSTED");
        if (text is null)
        {
            c.Error("TED_MALFORMED", c.P("TED/DD/TSTED"), "El timbre no tiene fecha y hora de timbraje (TSTED).");
            return;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamped))
        {
            c.Error("TED_MALFORMED", c.P("TED/DD/TSTED"), "La fecha y hora de timbraje (TSTED) no es válida.", "AAAA-MM-DDTHH:MM:SS", text);
            return;
        }

        if (c.Document.IssueDate is { } issued)
        {
            var days = issued.DayNumber - DateOnly.FromDateTime(stamped).DayNumber;
            if (days == 1)
            {
                // Seen in SII-accepted production documents (timbre generated the evening before FchEmis).
                c.Info("TED_STAMPED_BEFORE_EMISSION", c.P("TED/DD/TSTED"), "El timbre se generó el día anterior a la fecha de emisión (aceptado en la práctica por el SII).",
                    $">= {issued:yyyy-MM-dd}", text);
            }
            else if (days > 1)
            {
                c.Warning("TED_STAMPED_BEFORE_EMISSION", c.P("TED/DD/TSTED"), "El timbre se generó varios días antes de la fecha de emisión.", $">= {issued:yyyy-MM-dd}", text);
            }
        }
    }

    /// <summary>
    /// Checks a CAF element (<c>DA</c> + <c>FRMA</c>): SII signature for its IDK, range, type and issuer.
    /// Returns the CAF's public key (RSAPK) when readable.
    /// </summary>
    public static RSAParameters? CheckCaf(List<Finding> findings, List<SkippedCheck> skipped, XmlElement caf, SiiKeyRing keys, string path,
        string? documentType, string? issuerRut, long? folio)
    {
        var da = Xml.FirstChild(caf, "DA");
        if (da is null)
        {
            findings.Add(new Finding("CAF_MALFORMED", FindingSeverity.Error, path + "/DA", "El CAF no contiene los datos de autorización (DA)."));
            return null;
        }

        RSAParameters? cafKey = null;
        var rsapk = Xml.FirstChild(da, "RSAPK");
        try
        {
            var m = Xml.Text(rsapk, "M");
            var e = Xml.Text(rsapk, "E");
            if (m is not null && e is not null)
            {
                cafKey = new RSAParameters { Modulus = Convert.FromBase64String(m), Exponent = Convert.FromBase64String(e) };
            }
        }
        catch (FormatException)
        {
            cafKey = null;
        }

        if (cafKey is null)
        {
            findings.Add(new Finding("CAF_MALFORMED", FindingSeverity.Error, path + "/DA/RSAPK", "La llave pública del CAF (RSAPK) falta o no es válida."));
        }

        var idkText = Xml.Text(da, "IDK");
        var frma = Xml.FirstChild(caf, "FRMA");
        if (!int.TryParse(idkText, NumberStyles.None, CultureInfo.InvariantCulture, out var idk))
        {
            findings.Add(new Finding("CAF_MALFORMED", FindingSeverity.Error, path + "/DA/IDK", "El CAF no indica el identificador de llave del SII (IDK).", null, idkText));
        }
        else if (!keys.TryGet(idk, out var siiKey))
        {
            findings.Add(new Finding("CAF_AUTHORITY_UNKNOWN", FindingSeverity.Warning, path + "/DA/IDK",
                "No se conoce la llave del SII para este IDK: no se pudo verificar que el CAF fue emitido por el SII.", string.Join(", ", keys.Idks), idkText));
            skipped.Add(new SkippedCheck("caf-signature", $"Sin llave del SII para IDK {idk}."));
        }
        else if (frma is null || !VerifyFlattened(da, frma.InnerText, siiKey))
        {
            findings.Add(new Finding("CAF_SIGNATURE_INVALID", FindingSeverity.Error, path + "/FRMA",
                "La firma del SII sobre el CAF (FRMA) no es válida: el CAF no fue autorizado por el SII o fue alterado.", $"firma SII IDK {idk}", null));
        }
        else if (idk == SiiKeyRing.CertificationIdk)
        {
            findings.Add(new Finding("CAF_CERTIFICATION_ENVIRONMENT", FindingSeverity.Info, path + "/DA/IDK",
                "El CAF fue emitido por el ambiente de certificación del SII (IDK 100): documento de prueba, sin validez tributaria.", null, idkText));
        }

        var from = Xml.LongValue(Xml.FirstChild(da, "RNG"), "D");
        var to = Xml.LongValue(Xml.FirstChild(da, "RNG"), "H");
        if (from is null || to is null)
        {
            findings.Add(new Finding("CAF_MALFORMED", FindingSeverity.Error, path + "/DA/RNG", "El CAF no indica el rango de folios autorizado."));
        }
        else if (folio is { } f && (f < from || f > to))
        {
            findings.Add(new Finding("CAF_FOLIO_OUT_OF_RANGE", FindingSeverity.Error, path + "/DA/RNG",
                "El folio del documento está fuera del rango autorizado por el CAF.", $"{from}..{to}", f.ToString(CultureInfo.InvariantCulture)));
        }

        var cafType = Xml.Text(da, "TD");
        if (documentType is not null && cafType is not null && cafType.TrimStart('0') != documentType.TrimStart('0'))
        {
            findings.Add(new Finding("CAF_TYPE_MISMATCH", FindingSeverity.Error, path + "/DA/TD", "El CAF autoriza folios de otro tipo de documento.", documentType, cafType));
        }

        var cafIssuer = Xml.Text(da, "RE");
        if (issuerRut is not null && cafIssuer is not null && !Rut.SameRut(cafIssuer, issuerRut))
        {
            findings.Add(new Finding("CAF_ISSUER_MISMATCH", FindingSeverity.Error, path + "/DA/RE", "El CAF fue otorgado a otro emisor.", issuerRut, cafIssuer));
        }

        return cafKey;
    }

    /// <summary>SHA1withRSA over the DD's text as written (ISO-8859-1).</summary>
    private static bool VerifyWritten(string written, string signatureBase64, RSAParameters key) =>
        Signature(signatureBase64, key) is { } signature && Pkcs1.VerifySha1(key.Modulus!, key.Exponent!, Latin1.GetBytes(written), signature);

    /// <summary>The FRMT/FRMA bytes, or null when they are not base64 or the key is incomplete.</summary>
    private static byte[]? Signature(string base64, RSAParameters key)
    {
        if (key.Modulus is null || key.Exponent is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>SHA1withRSA over the element's flattened form (see <see cref="Flatten"/>).</summary>
    public static bool VerifyFlattened(XmlElement element, string signatureBase64, RSAParameters key)
    {
        if (Signature(signatureBase64, key) is not { } signature)
        {
            return false;
        }

        var flat = Flatten(element, escapeQuotes: false);
        if (Pkcs1.VerifySha1(key.Modulus!, key.Exponent!, Latin1.GetBytes(flat), signature))
        {
            return true;
        }

        // Some issuers escape quotes in text too; try that form only when it differs.
        var alternative = Flatten(element, escapeQuotes: true);
        return alternative != flat && Pkcs1.VerifySha1(key.Modulus!, key.Exponent!, Latin1.GetBytes(alternative), signature);
    }

    /// <summary>
    /// The form the TED and CAF signatures are computed over: the element as written, without
    /// namespace declarations and with whitespace between tags removed, encoded ISO-8859-1.
    /// </summary>
    public static string Flatten(XmlElement element, bool escapeQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(element);
        var sb = new StringBuilder(1024);
        Write(sb, element, escapeQuotes);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, XmlElement e, bool escapeQuotes)
    {
        sb.Append('<').Append(e.LocalName);
        foreach (XmlAttribute a in e.Attributes)
        {
            if (a.Prefix == "xmlns" || a.LocalName == "xmlns")
            {
                continue;
            }

            sb.Append(' ').Append(a.LocalName).Append("=\"");
            Escape(sb, a.Value, true);
            sb.Append('"');
        }

        sb.Append('>');
        for (var node = e.FirstChild; node is not null; node = node.NextSibling)
        {
            switch (node)
            {
                case XmlElement child:
                    Write(sb, child, escapeQuotes);
                    break;
                case XmlText or XmlCDataSection:
                    Escape(sb, node.Value!, escapeQuotes);
                    break;
                case XmlSignificantWhitespace or XmlWhitespace:
                    if (e.ChildNodes.Count == 1)
                    {
                        sb.Append(node.Value);
                    }

                    break;
                default:
                    break;
            }
        }

        sb.Append("</").Append(e.LocalName).Append('>');
    }

    private static void Escape(StringBuilder sb, string text, bool quotes)
    {
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"' when quotes: sb.Append("&quot;"); break;
                case '\'' when quotes: sb.Append("&apos;"); break;
                default: sb.Append(ch); break;
            }
        }
    }
}
