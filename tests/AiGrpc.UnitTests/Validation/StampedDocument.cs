using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// A fixture DTE whose timbre (TED) is written here field by field, so that one field, the CAF, the FRMT or the way the
/// DD is written can differ from what the fixture would write, while everything else stays valid: the FRMT is computed
/// with the CAF key over the DD as signed, and the document is signed (XML-DSig) after the TED is in place.
/// </summary>
internal sealed class StampedDocument
{
    private static readonly DteFixtures F = DteFixtures.Shared;

    /// <summary>The DD fields before the CAF, in the order of the SII's format; a null value leaves the field out.</summary>
    public List<KeyValuePair<string, string?>> Fields { get; }

    /// <summary>The CAF element's text (null: no CAF).</summary>
    public string? Caf { get; set; }

    /// <summary>TSTED (null: left out).</summary>
    public string? Stamped { get; set; }

    /// <summary>The DD text that FRMT signs (null: the DD as built from the fields).</summary>
    public Func<string, string>? SignedForm { get; set; }

    /// <summary>The DD text written into the document (null: the DD as built).</summary>
    public Func<string, string>? WrittenForm { get; set; }

    /// <summary>FRMT as written (null: the CAF key's signature; empty: no FRMT element).</summary>
    public string? Frmt { get; set; }

    public DteSpec Spec { get; }

    public StampedDocument(DteSpec? spec = null)
    {
        Spec = spec ?? new DteSpec();
        var first = Spec.Lines.Count > 0 ? Spec.Lines[0].Name : string.Empty;
        Fields =
        [
            new("RE", Spec.IssuerRut),
            new("TD", Spec.Type.ToString(CultureInfo.InvariantCulture)),
            new("F", Spec.Folio.ToString(CultureInfo.InvariantCulture)),
            new("FE", Spec.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("RR", Spec.ReceiverRut),
            new("RSR", Spec.ReceiverName),
            new("MNT", Spec.EffectiveTotal.ToString(CultureInfo.InvariantCulture)),
            new("IT1", first.Length > 40 ? first[..40] : first),
        ];
        Caf = F.Caf(Spec);
        Stamped = Spec.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:00:00";
    }

    /// <summary>Sets (or, with null, removes) one DD field.</summary>
    public StampedDocument With(string field, string? value)
    {
        var i = Fields.FindIndex(f => f.Key == field);
        Fields[i] = new(field, value);
        return this;
    }

    /// <summary>A CAF of <paramref name="da"/> (the DA element's text), FRMA by the test SII key unless given.</summary>
    public static string CafOf(string da, string? frma = null) =>
        $"<CAF version=\"1.0\">{da}" + (frma == string.Empty ? string.Empty
            : $"<FRMA algoritmo=\"SHA1withRSA\">{frma ?? Convert.ToBase64String(F.SiiKey.SignData(Encoding.Latin1.GetBytes(da), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1))}</FRMA>")
        + "</CAF>";

    /// <summary>The DA the fixture writes, with parts replaceable: RE, TD, the range, RSAPK and IDK.</summary>
    public static string Da(DteSpec spec, string? re = null, string? td = null, string? range = "default", string? rsapk = "default", string? idk = null)
    {
        var p = F.CafKey.ExportParameters(false);
        return $"<DA><RE>{re ?? spec.IssuerRut}</RE><RS>PRUEBA</RS><TD>{td ?? spec.Type.ToString(CultureInfo.InvariantCulture)}</TD>"
            + (range == "default" ? $"<RNG><D>{spec.CafFrom}</D><H>{spec.CafTo}</H></RNG>" : range)
            + "<FA>2020-01-01</FA>"
            + (rsapk == "default" ? $"<RSAPK><M>{Convert.ToBase64String(p.Modulus!)}</M><E>{Convert.ToBase64String(p.Exponent!)}</E></RSAPK>" : rsapk)
            + $"<IDK>{idk ?? spec.Idk.ToString(CultureInfo.InvariantCulture)}</IDK></DA>";
    }

    /// <summary>The DD as built from the fields, CAF and TSTED.</summary>
    public string Dd()
    {
        var sb = new StringBuilder("<DD>");
        foreach (var (name, value) in Fields)
        {
            if (value is not null)
            {
                sb.Append('<').Append(name).Append('>').Append(System.Security.SecurityElement.Escape(value)).Append("</").Append(name).Append('>');
            }
        }

        sb.Append(Caf);
        if (Stamped is not null)
        {
            sb.Append("<TSTED>").Append(Stamped).Append("</TSTED>");
        }

        return sb.Append("</DD>").ToString();
    }

    /// <summary>The signed DTE as ISO-8859-1 bytes.</summary>
    public byte[] Build()
    {
        var dd = Dd();
        var signed = SignedForm?.Invoke(dd) ?? dd;
        var frmt = Frmt ?? Convert.ToBase64String(F.CafKey.SignData(Encoding.Latin1.GetBytes(signed), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
        var written = WrittenForm?.Invoke(dd) ?? dd;
        var ted = $"<TED version=\"1.0\">{written}" + (frmt.Length == 0 ? string.Empty : $"<FRMT algoritmo=\"SHA1withRSA\">{frmt}</FRMT>") + "</TED>\n";
        var text = F.BuildDocument(Spec with { OmitTed = true, OmitSignature = true }).OuterXml;
        var at = text.IndexOf("<TmstFirma>", StringComparison.Ordinal);
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(text[..at] + ted + text[at..]);
        F.Sign(document, document.DocumentElement!, $"T{Spec.Type}F{Spec.Folio}");

        // The DD exactly as written (a character reference stays one): the XML-DSig digest is over the canonical
        // form, where a reference and its character are the same, so the signature still verifies.
        var output = document.OuterXml;
        var start = output.IndexOf("<DD", StringComparison.Ordinal);
        var end = output.IndexOf("</DD>", StringComparison.Ordinal) + "</DD>".Length;
        return Encoding.Latin1.GetBytes(start < 0 ? output : output[..start] + written + output[end..]);
    }

    /// <summary>Validates with the test SII key under its IDK (and, when asked, under the certification IDK 100).</summary>
    public DocumentReport Validate(bool testKeyIsCertification = false)
    {
        var keys = SiiKeyRing.Default().Add(DteFixtures.TestIdk, F.SiiKey.ExportParameters(false));
        if (testKeyIsCertification)
        {
            keys.Add(SiiKeyRing.CertificationIdk, F.SiiKey.ExportParameters(false));
        }

        var report = Assert.Single(new DteValidator(keys: keys).Validate(Build()).Documents);
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Message), $"{f.Code} has no message"));
        Assert.All(report.ChecksSkipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason), $"{s.Check} has no reason"));
        return report;
    }
}
