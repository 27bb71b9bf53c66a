using AiGrpc.Common;
using System.Text;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

public class SafetyAndRulesTests
{
    [Theory]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>", "XML_DTD_FORBIDDEN")]
    [InlineData("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><r>&xxe;</r>", "XML_DTD_FORBIDDEN")]
    [InlineData("<!DOCTYPE DTE SYSTEM \"http://127.0.0.1:1/dte.dtd\"><DTE/>", "XML_DTD_FORBIDDEN")]
    [InlineData("<DTE><Documento>", "XML_MALFORMED")]
    [InlineData("not xml at all", "XML_MALFORMED")]
    [InlineData("<EnvioLibro xmlns=\"http://www.sii.cl/SiiDte\"/>", "NOT_A_DTE")]
    [InlineData("<DTE xmlns=\"urn:other\"/>", "NOT_A_DTE")]
    public void Hostile_or_foreign_xml_is_rejected_with_a_clear_code(string xml, string code)
    {
        var report = new DteValidator().Validate(xml);
        Assert.Equal(Verdict.Reject, report.Verdict);
        Assert.Equal(code, Assert.Single(report.Findings).Code);
    }

    [Fact]
    public void Xml_over_the_size_limit_is_rejected_before_parsing()
    {
        var validator = new DteValidator(new DteValidatorSettings { MaxXmlBytes = 1024 });
        var big = "<DTE>" + new string(' ', 2048) + "</DTE>";
        Assert.Equal("XML_TOO_LARGE", Assert.Single(validator.Validate(big).Findings).Code);
        Assert.Equal("XML_TOO_LARGE", Assert.Single(validator.Validate(Encoding.UTF8.GetBytes(big)).Findings).Code);
    }

    [Fact]
    public void Declared_windows_1252_and_iso_8859_1_are_decoded()
    {
        var fixtures = DteFixtures.Shared;
        var latin1 = Encoding.Latin1.GetString(fixtures.Build(new DteSpec()));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var cp1252 = Encoding.GetEncoding(1252).GetBytes(latin1.Replace("ISO-8859-1", "windows-1252", StringComparison.Ordinal));
        var report = MutationTests.Validator().Validate(cp1252);
        Assert.Equal(Verdict.Accept, report.Verdict);
        Assert.Equal("76354771-K", report.Documents[0].IssuerRut);
    }

    [Theory]
    [InlineData("76354771-K", true)]
    [InlineData("76354771-k", true)]
    [InlineData("96790240-3", true)]
    [InlineData("60803000-K", true)]
    [InlineData("1-9", true)]
    [InlineData("66666666-6", true)]
    [InlineData("76354771-1", false)]
    [InlineData("76.354.771-K", false)]
    [InlineData("76354771K", false)]
    [InlineData("", false)]
    [InlineData("-K", false)]
    [InlineData("123456789-2", false)] // nine digits: longer than any RUT body
    [InlineData("\u0667\u0666\u0663\u0665\u0664\u0667\u0667\u0661-K", false)] // Arabic-Indic digits: a regex \d matched them, and parsing them threw
    public void Rut_modulo_11(string rut, bool valid) => Assert.Equal(valid, Rut.IsValid(rut));

    [Fact]
    public void Rut_check_of_non_ascii_digits_is_a_format_failure_not_an_exception()
    {
        Assert.Equal((false, false, '?'), Rut.Check("\u0661\u0662\u0663-4"));
        Assert.False(Rut.HasValidFormat("\uFF11\uFF12\uFF13-4")); // fullwidth digits
        Assert.False(Rut.TryNormalize("\u0661\u0662\u0663-4", out _));
    }

    [Fact]
    public void Check_digit_is_computed_not_looked_up()
    {
        // 12.345.678: 8*2+7*3+6*4+5*5+4*6+3*7+2*2+1*3 = 138; 138 % 11 = 6; 11 - 6 = 5.
        Assert.Equal('5', Rut.CheckDigit(12345678));
        Assert.Equal('K', Rut.CheckDigit(76354771));
        Assert.Equal('0', Rut.CheckDigit(14)); // 4*2+1*3 = 11 -> 11 - 0 = 11 -> 0
    }

    [Theory]
    [InlineData(100000, 19000)]
    [InlineData(8943, 1699)]
    [InlineData(2517900, 478401)]
    [InlineData(50, 10)]
    [InlineData(150, 29)]
    public void Iva_is_round_half_up_of_net_times_rate(long net, long vat) =>
        Assert.Equal(vat, TotalsChecks.Round(net * 19m / 100m));

    [Theory]
    [InlineData(39, true, -100)]
    [InlineData(33, true, -100)]
    [InlineData(33, false, -100)]
    [InlineData(33, false, 1e6)]
    public void Vat_rates_the_arithmetic_cannot_use_are_findings_not_crashes(int type, bool gross, double rate)
    {
        var document = new DteDocument
        {
            TypeText = type.ToString(System.Globalization.CultureInfo.InvariantCulture),
            FolioText = "1",
            IssueDateText = "2024-03-01",
            IssuerRut = "76354771-K",
            IssuerName = "Emisor",
            ReceiverRut = "96790240-3",
            GrossAmounts = gross,
            HasTotals = true,
            Totals = new DteTotals { Net = 100_000, Vat = 19_000, Total = 119_000, VatRate = (decimal)rate },
            Lines = [new DetailLine { Number = 1, Name = "Servicio", Amount = 119_000 }],
        };
        var report = new DteValidator().Validate(document);
        Assert.Equal(Verdict.Reject, report.Verdict);
        Assert.Contains(report.AllFindings, f => f.Code == "STRUCTURE_INVALID_VALUE" && f.Path.EndsWith("TasaIVA", StringComparison.Ordinal));
    }

    [Fact]
    public void Amounts_at_the_limits_of_the_arithmetic_are_a_finding_not_a_crash()
    {
        var document = new DteDocument
        {
            TypeText = "33", FolioText = "1", IssueDateText = "2024-03-01", IssuerRut = "76354771-K", IssuerName = "Emisor", ReceiverRut = "96790240-3",
            HasTotals = true,
            Totals = new DteTotals { Net = long.MaxValue, Vat = long.MaxValue, Total = long.MaxValue, VatRate = 19 },
            Lines = [new DetailLine { Number = 1, Name = "Servicio", Amount = long.MaxValue, Quantity = 79_228_162_514m, Price = 79_228_162_514m }],
        };
        var report = new DteValidator().Validate(document);
        Assert.Equal(Verdict.Reject, report.Verdict);
    }

    [Fact]
    public void A_swapped_certificate_is_not_reported_as_the_signer()
    {
        var fixtures = DteFixtures.Shared;
        var xml = Encoding.GetEncoding("ISO-8859-1").GetString(fixtures.Build(new DteSpec()));
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Otra Persona", otherKey,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var start = xml.IndexOf("<X509Certificate>", StringComparison.Ordinal) + "<X509Certificate>".Length;
        var end = xml.IndexOf("</X509Certificate>", start, StringComparison.Ordinal);
        var swapped = xml[..start] + Convert.ToBase64String(other.RawData) + xml[end..];

        var report = new DteValidator(keys: SiiKeyRingWithTestKey()).Validate(swapped);
        var signature = report.Documents[0].Signature;
        Assert.NotNull(signature);
        Assert.True(signature.Verified);
        Assert.Null(signature.SignerRut);
        Assert.Null(signature.SignerSubject);
        Assert.Contains(report.AllFindings, f => f is { Code: "SIGNATURE_KEYINFO_INCONSISTENT", Severity: FindingSeverity.Warning });
    }

    [Fact]
    public void Envelopes_carry_their_own_types_and_a_caratula_that_names_them()
    {
        var fixtures = DteFixtures.Shared;
        var validator = new DteValidator(keys: SiiKeyRingWithTestKey());
        var factura = new DteSpec();

        var mixed = validator.Validate(fixtures.BuildEnvelope([factura, factura with { Folio = 43, Type = 39 }]));
        Assert.Contains(mixed.Findings, f => f is { Code: "ENVELOPE_TYPE_NOT_ALLOWED", Severity: FindingSeverity.Error, Actual: "39" });
        Assert.Equal(Verdict.Reject, mixed.Verdict);

        var text = Encoding.Latin1.GetString(fixtures.BuildEnvelope([factura, factura with { Folio = 43 }]));
        var renamed = validator.Validate(text.Replace("<TpoDTE>33</TpoDTE>", "<TipoDTE>33</TipoDTE>", StringComparison.Ordinal));
        Assert.Contains(renamed.Findings, f => f is { Code: "ENVELOPE_SUBTOTAL_INVALID", Actual: "TipoDTE" });

        var miscounted = validator.Validate(text.Replace("<TpoDTE>33</TpoDTE><NroDTE>2</NroDTE>", "<TpoDTE>33</TpoDTE><NroDTE>1</NroDTE><TpoDTE>34</TpoDTE>", StringComparison.Ordinal));
        Assert.Contains(miscounted.Findings, f => f is { Code: "ENVELOPE_COUNT_MISMATCH", Expected: "1", Actual: "2" });
        Assert.DoesNotContain(validator.Validate(text).Findings, f => f.Code is "ENVELOPE_COUNT_MISMATCH" or "ENVELOPE_SUBTOTAL_INVALID" or "ENVELOPE_TYPE_NOT_ALLOWED");
    }

    private static SiiKeyRing SiiKeyRingWithTestKey()
    {
        var keys = SiiKeyRing.Default();
        keys.Add(DteFixtures.TestIdk, DteFixtures.Shared.SiiPublicKeyPem);
        return keys;
    }
}
