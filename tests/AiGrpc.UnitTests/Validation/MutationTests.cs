using System.Text;
using System.Xml;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// Fixtures made here (test SII key, CAF, TED, SignedXml), the unmutated document ACCEPT, then one
/// mutation at a time, each detected with its code.
/// </summary>
public class MutationTests
{
    private static readonly DteFixtures F = DteFixtures.Shared;

    internal static DteValidator Validator() =>
        new(keys: SiiKeyRing.Default().Add(DteFixtures.TestIdk, F.SiiKey.ExportParameters(false)));

    private static readonly DteSpec Base = new();

    private static readonly string Old = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Mutations applied to the spec: the issuer signs a consistent but wrong document.</summary>
    public static TheoryData<string, string, Verdict> SpecMutations() => new()
    {
        { "issuer-check-digit", "RUT_CHECK_DIGIT", Verdict.Reject },
        { "receiver-check-digit", "RUT_CHECK_DIGIT", Verdict.Reject },
        { "rut-format", "RUT_FORMAT", Verdict.Reject },
        { "tampered-ted", "TED_SIGNATURE_INVALID", Verdict.Reject },
        { "folio-outside-caf", "CAF_FOLIO_OUT_OF_RANGE", Verdict.Reject },
        { "caf-other-type", "CAF_TYPE_MISMATCH", Verdict.Reject },
        { "caf-other-issuer", "CAF_ISSUER_MISMATCH", Verdict.Reject },
        { "caf-forged", "CAF_SIGNATURE_INVALID", Verdict.Reject },
        { "caf-unknown-idk", "CAF_AUTHORITY_UNKNOWN", Verdict.Review },
        { "wrong-iva", "TOTALS_VAT_MISMATCH", Verdict.Review },
        { "wrong-total", "TOTALS_TOTAL_MISMATCH", Verdict.Reject },
        { "wrong-net", "TOTALS_NET_MISMATCH", Verdict.Review }, // a content error: the SII does not reject on it (Formato DTE v2.2, 2.2)
        { "line-amount", "LINE_AMOUNT_MISMATCH", Verdict.Review },
        { "credit-note-without-reference", "REFERENCE_MISSING", Verdict.Reject },
        { "credit-note-without-codref", "REFERENCE_CODE_MISSING", Verdict.Reject },
        { "codref-invalid", "REFERENCE_CODE_INVALID", Verdict.Reject },
        { "cancel-with-two-references", "REFERENCE_SINGLE_REQUIRED", Verdict.Reject },
        { "folioref-zero-without-indglobal", "REFERENCE_FOLIO_ZERO", Verdict.Reject },
        { "future-date", "DATE_IN_FUTURE", Verdict.Reject },
        { "date-before-2003", "DATE_OUT_OF_RANGE", Verdict.Reject },
        { "stamped-days-before", "TED_STAMPED_BEFORE_EMISSION", Verdict.Review },
        { "exempt-invoice-with-iva", "STRUCTURE_INVALID_VALUE", Verdict.Reject },
        { "unknown-type", "STRUCTURE_TYPE_UNSUPPORTED", Verdict.Reject },
        { "no-ted", "TED_MISSING", Verdict.Reject },
        { "no-signature", "SIGNATURE_MISSING", Verdict.Reject },
        { "boleta-wrong-total", "TOTALS_TOTAL_MISMATCH", Verdict.Reject },
    };

    private static DteSpec Mutate(string name) => name switch
    {
        "issuer-check-digit" => Base with { IssuerRut = "76354771-1" },
        "receiver-check-digit" => Base with { ReceiverRut = "96790240-4" },
        "rut-format" => Base with { ReceiverRut = "96.790.240-3" },
        "tampered-ted" => Base with { TamperTed = true },
        "folio-outside-caf" => Base with { Folio = 500 },
        "caf-other-type" => Base with { CafType = 34 },
        "caf-other-issuer" => Base with { CafIssuer = "60803000-K" },
        "caf-forged" => Base with { ForgeCaf = true },
        "caf-unknown-idk" => Base with { Idk = 998 },
        "wrong-iva" => Base with { Vat = 64126, Total = 337500 + 64126 },
        "wrong-total" => Base with { Total = 401626 },
        "wrong-net" => Base with { Net = 337000, Vat = 64030, Total = 401030 },
        "line-amount" => Base with { Lines = [new("Servicio de ingeniería", 2, 150000, Amount: 310000), new("Materiales eléctricos", 3, 12500)] },
        "credit-note-without-reference" => Base with { Type = 61 },
        "credit-note-without-codref" => Base with { Type = 61, References = [new("33", "41", Old, null)] },
        "codref-invalid" => Base with { Type = 61, References = [new("33", "41", Old, "9")] },
        "cancel-with-two-references" => Base with { Type = 61, References = [new("33", "41", Old, "1"), new("33", "40", Old, "1")] },
        "folioref-zero-without-indglobal" => Base with { Type = 56, References = [new("33", "0", Old, "3")] },
        "future-date" => Base with { IssueDate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(5)) },
        "date-before-2003" => Base with { IssueDate = new DateOnly(2002, 1, 1) },
        "stamped-days-before" => Base with { StampedAt = Base.IssueDate.ToDateTime(new TimeOnly(9, 0)).AddDays(-3) },
        "exempt-invoice-with-iva" => Base with { Type = 34 },
        "unknown-type" => Base with { Type = 35 },
        "no-ted" => Base with { OmitTed = true },
        "no-signature" => Base with { OmitSignature = true },
        "boleta-wrong-total" => Base with { Type = 39, Lines = [new("Café", 2, 2500)], Total = 5100 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public void Unmutated_fixture_is_accepted_with_every_check_run_and_the_signer_reported()
    {
        var report = Validator().Validate(F.Build(Base));
        var document = Assert.Single(report.Documents);
        Assert.True(report.Verdict == Verdict.Accept, string.Join("; ", report.AllFindings));
        Assert.Equal(["structure", "rut", "dates", "totals", "references", "other-currency", "ted", "signature"], document.ChecksRun);
        Assert.Equal("as-received", document.Signature?.Variant);
        Assert.Equal(DteFixtures.SignerRut, document.Signature?.SignerRut);
        Assert.Contains("Firmante de Prueba", document.Signature?.SignerSubject, StringComparison.Ordinal);
        Assert.Equal((33, 42L), (document.Type, document.Folio));
    }

    [Theory]
    [MemberData(nameof(SpecMutations))]
    public void Each_mutation_is_detected_with_its_code(string mutation, string code, Verdict verdict)
    {
        var report = Validator().Validate(F.Build(Mutate(mutation)));
        var findings = string.Join("; ", report.AllFindings.Select(f => $"{f.Severity}:{f.Code}@{f.Path} exp={f.Expected} act={f.Actual}"));
        Assert.True(report.AllFindings.Any(f => f.Code == code), $"{mutation}: expected {code}, got {findings}");
        Assert.True(verdict == report.Verdict, $"{mutation}: expected {verdict}, got {report.Verdict}: {findings}");
    }

    [Fact]
    public void Wrong_iva_reports_expected_and_actual_values()
    {
        var report = Validator().Validate(F.Build(Mutate("wrong-iva")));
        var finding = Assert.Single(report.AllFindings, f => f.Code == "TOTALS_VAT_MISMATCH");
        Assert.Equal(("64125", "64126"), (finding.Expected, finding.Actual));
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.EndsWith("Totales/IVA", finding.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_caf_authority_is_reported_as_a_skipped_check()
    {
        var report = Validator().Validate(F.Build(Mutate("caf-unknown-idk")));
        Assert.Contains(report.Documents[0].ChecksSkipped, s => s.Check == "caf-signature");
    }

    [Theory]
    [InlineData("MontoItem", "310000", "SIGNATURE_INVALID", "LINE_AMOUNT_MISMATCH")]
    [InlineData("RznSocRecep", "OTRA EMPRESA", "SIGNATURE_INVALID", null)]
    [InlineData("MNT", "1", "SIGNATURE_INVALID", "TED_DATA_MISMATCH")]
    public void Content_altered_after_signing_breaks_the_signature(string element, string value, string code, string? alsoCode)
    {
        var document = F.BuildDocument(Base);
        document.GetElementsByTagName(element)[0]!.InnerText = value;
        var report = Validator().Validate(Encoding.Latin1.GetBytes(document.OuterXml));
        Assert.Equal(Verdict.Reject, report.Verdict);
        Assert.Contains(report.AllFindings, f => f.Code == code);
        if (alsoCode is not null)
        {
            Assert.Contains(report.AllFindings, f => f.Code == alsoCode);
        }
    }

    [Fact]
    public void Altered_ted_signature_value_is_detected()
    {
        var document = F.BuildDocument(Base with { OmitSignature = true });
        var frmt = document.GetElementsByTagName("FRMT")[0]!;
        var bytes = Convert.FromBase64String(frmt.InnerText);
        bytes[10] ^= 0xFF;
        frmt.InnerText = Convert.ToBase64String(bytes);
        F.Sign(document, document.DocumentElement!, "T33F42");
        var report = Validator().Validate(Encoding.Latin1.GetBytes(document.OuterXml));
        Assert.Contains(report.AllFindings, f => f.Code == "TED_SIGNATURE_INVALID");
        Assert.DoesNotContain(report.AllFindings, f => f.Code == "SIGNATURE_INVALID");
    }

    [Fact]
    public void Signed_without_namespace_verifies_as_received()
    {
        var report = Validator().Validate(F.Build(Base with { Namespace = false }));
        Assert.Equal(Verdict.Accept, report.Verdict);
        Assert.Equal("as-received", report.Documents[0].Signature?.Variant);
        Assert.Contains(report.AllFindings, f => f.Code == "NAMESPACE_MISSING");
    }

    [Fact]
    public void Namespace_added_to_a_standalone_DTE_after_signing_is_rejected_and_says_why()
    {
        var xml = Encoding.Latin1.GetString(F.Build(Base with { Namespace = false }))
            .Replace("<DTE version=\"1.0\">", "<DTE xmlns=\"http://www.sii.cl/SiiDte\" version=\"1.0\">", StringComparison.Ordinal);
        var report = Validator().Validate(Encoding.Latin1.GetBytes(xml));
        Assert.Equal(Verdict.Reject, report.Verdict);
        var finding = Assert.Single(report.AllFindings, f => f.Code == "SIGNATURE_INVALID");
        Assert.Equal("re-rooted-without-namespace", finding.Actual);
        Assert.DoesNotContain(report.AllFindings, f => f.Code == "SIGNATURE_VERIFIED_REROOTED");
    }

    [Fact]
    public void Signature_referencing_another_element_is_rejected()
    {
        var document = F.BuildDocument(Base);
        var reference = (XmlElement)document.GetElementsByTagName("Reference", "http://www.w3.org/2000/09/xmldsig#")[0]!;
        reference.SetAttribute("URI", "#Otro");
        var report = Validator().Validate(Encoding.Latin1.GetBytes(document.OuterXml));
        Assert.Contains(report.AllFindings, f => f.Code == "SIGNATURE_REFERENCE_MISMATCH");
    }

    [Fact]
    public void Valid_variants_are_accepted_credit_note_global_reference_boleta_and_exempt_lines()
    {
        var validator = Validator();
        DteSpec[] specs =
        [
            Base with { Type = 61, References = [new("33", "41", Old, "3")] },
            Base with { Type = 56, References = [new("33", "0", Old, "3", Global: true)] },
            Base with { Type = 39, Lines = [new("Café", 2, 2500)] },
            Base with { Lines = [new("Servicio", 1, 100000), new("Libro", 1, 15000, Exempt: true)] },
            Base with { Type = 34, Lines = [new("Asesoría exenta", 1, 80000, Exempt: true)] },
        ];
        foreach (var spec in specs)
        {
            var report = validator.Validate(F.Build(spec));
            Assert.True(report.Verdict == Verdict.Accept, $"type {spec.Type}: " + string.Join("; ", report.AllFindings));
        }
    }

    [Fact]
    public void Boleta_gross_amounts_give_net_and_iva_by_division()
    {
        var spec = Base with { Type = 39, Lines = [new("Café", 2, 2500)] };
        Assert.Equal((4202L, 798L, 5000L), (spec.EffectiveNet, spec.EffectiveVat, spec.EffectiveTotal));
        var wrongNet = Validator().Validate(F.Build(spec with { Net = 4300, Vat = 700 }));
        Assert.Contains(wrongNet.AllFindings, f => f.Code == "TOTALS_NET_MISMATCH" && f.Expected == "4202");
    }

    [Fact]
    public void Envelope_with_three_documents_is_accepted_and_a_bad_one_is_pinpointed()
    {
        var validator = Validator();
        var good = validator.Validate(F.BuildEnvelope([Base, Base with { Folio = 43 }, Base with { Folio = 44 }]));
        Assert.True(good.Verdict == Verdict.Accept, string.Join("; ", good.AllFindings));
        Assert.Equal(3, good.Documents.Count);
        Assert.True(good.EnvelopeSignature?.Verified);

        var bad = validator.Validate(F.BuildEnvelope([Base, Base with { Folio = 43, Total = 1 }, Base with { Folio = 44 }]));
        Assert.Equal(Verdict.Reject, bad.Verdict);
        Assert.Equal([Verdict.Accept, Verdict.Reject, Verdict.Accept], bad.Documents.Select(d => d.Verdict));

        var otherIssuer = validator.Validate(F.BuildEnvelope([Base], issuerRut: "60803000-K"));
        Assert.Contains(otherIssuer.AllFindings, f => f.Code == "ENVELOPE_ISSUER_MISMATCH");
    }

    [Fact]
    public void Envelope_altered_after_signing_fails_its_envelope_signature()
    {
        var xml = Encoding.Latin1.GetString(F.BuildEnvelope([Base])).Replace("<NroResol>80</NroResol>", "<NroResol>81</NroResol>", StringComparison.Ordinal);
        var report = Validator().Validate(Encoding.Latin1.GetBytes(xml));
        Assert.Contains(report.Findings, f => f.Code == "ENVELOPE_SIGNATURE_INVALID");
        Assert.Equal(Verdict.Reject, report.Verdict);
    }
}
