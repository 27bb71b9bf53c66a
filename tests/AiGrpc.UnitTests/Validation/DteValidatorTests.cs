using System.Text;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="DteValidator"/>'s dispatch on the root element and its envelope-level findings: what each root kind
/// yields, the carátula's RUTs and counts, the issuer of each DTE against the carátula's, the envelope signature, the
/// AEC and CAF inputs, and the checks run or skipped for XML and structured documents.
/// </summary>
public class DteValidatorTests
{
    private const string Sii = "xmlns=\"http://www.sii.cl/SiiDte\"";

    private static readonly DteFixtures F = DteFixtures.Shared;

    private static readonly DteValidator Validator = MutationTests.Validator();

    private static string Caratula(string issuer = "76354771-K", string subtotals = "<SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>1</NroDTE></SubTotDTE>") =>
        $"<Caratula><RutEmisor>{issuer}</RutEmisor><RutEnvia>13185095-6</RutEnvia><RutReceptor>60803000-K</RutReceptor>{subtotals}</Caratula>";

    private static string Dte(string issuer = "76354771-K", int type = 33) =>
        $"<DTE><Documento><Encabezado><IdDoc><TipoDTE>{type}</TipoDTE><Folio>1</Folio></IdDoc><Emisor><RUTEmisor>{issuer}</RUTEmisor></Emisor></Encabezado></Documento></DTE>";

    private static string Envelope(string set, string root = "EnvioDTE") => $"<{root} {Sii}>{set}</{root}>";

    [Theory]
    [InlineData("EnvioDTE")]
    [InlineData("EnvioBOLETA")]
    public void An_envelope_without_SetDTE_says_so_and_nothing_else(string root)
    {
        var report = Validator.Validate(Envelope(string.Empty, root));
        Assert.Equal(root, report.RootKind);
        Assert.Equal(Verdict.Reject, report.Verdict);
        Assert.Empty(report.Documents);
        Assert.Null(report.EnvelopeSignature);
        Assert.Equal(new Finding("STRUCTURE_MISSING_ELEMENT", FindingSeverity.Error, root + "/SetDTE", "El envío no contiene SetDTE."), Assert.Single(report.Findings));
    }

    [Fact]
    public void An_empty_set_without_caratula_or_signature_lists_each_missing_part()
    {
        var report = Validator.Validate(Envelope("<SetDTE ID=\"S\"></SetDTE>"));
        Assert.Equal(
            [
                new Finding("STRUCTURE_MISSING_ELEMENT", FindingSeverity.Error, "SetDTE/Caratula", "El envío no tiene carátula."),
                new Finding("ENVELOPE_EMPTY", FindingSeverity.Error, "SetDTE", "El envío no contiene documentos."),
                new Finding("ENVELOPE_SIGNATURE_MISSING", FindingSeverity.Error, "EnvioDTE/Signature", "El envío no tiene firma electrónica."),
            ],
            report.Findings);
        Assert.Null(report.EnvelopeSignature);
        Assert.Equal("EnvioBOLETA/Signature", Validator.Validate(Envelope("<SetDTE/>", "EnvioBOLETA")).Findings[^1].Path);
    }

    [Fact]
    public void A_signature_outside_the_xmldsig_namespace_is_no_signature()
    {
        var report = Validator.Validate(Envelope($"<SetDTE>{Caratula()}{Dte()}</SetDTE><Signature xmlns=\"urn:other\"/>"));
        Assert.Contains(report.Findings, f => f.Code == "ENVELOPE_SIGNATURE_MISSING");
    }

    [Fact]
    public void The_caratulas_ruts_are_checked_each_under_its_own_name()
    {
        var caratula = "<Caratula><RutEmisor>76354771-1</RutEmisor><RutEnvia>13.185.095-6</RutEnvia><RutReceptor>60803000-1</RutReceptor><SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>1</NroDTE></SubTotDTE></Caratula>";
        var findings = Validator.Validate(Envelope($"<SetDTE>{caratula}{Dte("76354771-1")}</SetDTE>")).Findings.Where(f => f.Code.StartsWith("RUT_", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("RUT_CHECK_DIGIT", "SetDTE/Caratula/RutEmisor"), ("RUT_FORMAT", "SetDTE/Caratula/RutEnvia"), ("RUT_CHECK_DIGIT", "SetDTE/Caratula/RutReceptor")],
            findings.Select(f => (f.Code, f.Path)));
        Assert.Contains("emisor de la carátula", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("de quien envía", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("receptor de la carátula", findings[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_caratulas_total_count_is_compared_with_the_documents()
    {
        var two = Caratula(subtotals: "<SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>2</NroDTE></SubTotDTE><SubTotDTE><TpoDTE>61</TpoDTE><NroDTE>1</NroDTE></SubTotDTE>");
        var report = Validator.Validate(Envelope($"<SetDTE>{two}{Dte()}{Dte()}</SetDTE>"));
        Assert.Equal(new Finding("ENVELOPE_COUNT_MISMATCH", FindingSeverity.Warning, "SetDTE/Caratula/SubTotDTE",
            "La cantidad de documentos declarada en la carátula no coincide con los documentos del envío.", "3", "2"),
            Assert.Single(report.Findings, f => f.Path == "SetDTE/Caratula/SubTotDTE"));

        var none = Validator.Validate(Envelope($"<SetDTE>{Caratula(subtotals: string.Empty)}{Dte()}</SetDTE>"));
        Assert.Contains(none.Findings, f => f is { Code: "ENVELOPE_COUNT_MISMATCH", Path: "SetDTE/Caratula/SubTotDTE", Expected: "0", Actual: "1" });
        Assert.DoesNotContain(Validator.Validate(Envelope($"<SetDTE>{Caratula()}{Dte()}</SetDTE>")).Findings, f => f.Code == "ENVELOPE_COUNT_MISMATCH");
    }

    [Fact]
    public void A_dte_of_another_issuer_than_the_caratulas_is_rejected_at_its_position()
    {
        var report = Validator.Validate(Envelope($"<SetDTE>{Caratula(subtotals: "<SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>2</NroDTE></SubTotDTE>")}{Dte()}{Dte("60803000-K")}</SetDTE>"));
        Assert.Equal([0, 1], report.Documents.Select(d => d.Index));
        Assert.DoesNotContain(report.Documents[0].Findings, f => f.Code == "ENVELOPE_ISSUER_MISMATCH");
        var finding = Assert.Single(report.Documents[1].Findings, f => f.Code == "ENVELOPE_ISSUER_MISMATCH");
        Assert.Equal(new Finding("ENVELOPE_ISSUER_MISMATCH", FindingSeverity.Error, "SetDTE/DTE[2]/Documento/Encabezado/Emisor/RUTEmisor",
            "El emisor del DTE no es el emisor declarado en la carátula del envío.", "76354771-K", "60803000-K"), finding);
        Assert.Equal(Verdict.Reject, report.Documents[1].Verdict);

        // The same RUT spelled with a lower-case k, or a carátula without RutEmisor, is no mismatch.
        Assert.DoesNotContain(Validator.Validate(Envelope($"<SetDTE>{Caratula("76354771-k")}{Dte()}</SetDTE>")).AllFindings, f => f.Code == "ENVELOPE_ISSUER_MISMATCH");
        Assert.DoesNotContain(Validator.Validate(Envelope($"<SetDTE><Caratula/>{Dte()}</SetDTE>")).AllFindings, f => f.Code == "ENVELOPE_ISSUER_MISMATCH");
        Assert.DoesNotContain(Validator.Validate(Envelope($"<SetDTE>{Caratula()}<DTE><Documento/></DTE></SetDTE>")).AllFindings, f => f.Code == "ENVELOPE_ISSUER_MISMATCH");
    }

    [Fact]
    public void A_signed_envelope_reports_its_signature_and_an_altered_one_says_the_set_is_invalid()
    {
        var good = Validator.Validate(F.BuildEnvelope([new DteSpec()]));
        Assert.Equal(Verdict.Accept, good.Verdict);
        Assert.True(good.EnvelopeSignature!.Verified);
        Assert.Equal("EnvioDTE", good.RootKind);

        var xml = Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec()])).Replace("<NroResol>80</NroResol>", "<NroResol>81</NroResol>", StringComparison.Ordinal);
        var bad = Validator.Validate(xml);
        var finding = Assert.Single(bad.Findings, f => f.Code == "ENVELOPE_SIGNATURE_INVALID");
        Assert.Equal("La firma del envío (SetDTE) no es válida.", finding.Message);
        Assert.DoesNotContain(bad.Findings, f => f.Code == "SIGNATURE_INVALID");
        Assert.False(bad.EnvelopeSignature!.Verified);
        Assert.Equal(Verdict.Reject, bad.Verdict);
    }

    [Fact]
    public void An_aec_validates_each_dte_it_holds_and_says_its_own_signatures_are_not_verified()
    {
        var report = Validator.Validate($"<AEC {Sii}><DocumentoAEC><Cesiones><DTECedido>{Dte()}</DTECedido><DTECedido>{Dte()}</DTECedido></Cesiones></DocumentoAEC></AEC>");
        Assert.Equal("AEC", report.RootKind);
        Assert.Equal([0, 1], report.Documents.Select(d => d.Index));
        Assert.Equal(new Finding("AEC_ENVELOPE_NOT_VERIFIED", FindingSeverity.Info, "AEC",
            "Archivo de cesión: se validan los DTE que contiene; las firmas de la cesión no se verifican."), Assert.Single(report.Findings));

        var empty = Validator.Validate($"<AEC {Sii}><DocumentoAEC/></AEC>");
        Assert.Equal(["AEC_ENVELOPE_NOT_VERIFIED", "ENVELOPE_EMPTY"], empty.Findings.Select(f => f.Code));
        Assert.Equal(new Finding("ENVELOPE_EMPTY", FindingSeverity.Error, "AEC", "El archivo de cesión no contiene un DTE."), empty.Findings[1]);
        Assert.Equal(Verdict.Reject, empty.Verdict);
    }

    [Fact]
    public void A_caf_is_validated_on_its_own()
    {
        var report = Validator.Validate($"<AUTORIZACION>{F.Caf(new DteSpec())}</AUTORIZACION>");
        Assert.Equal("AUTORIZACION", report.RootKind);
        var caf = Assert.Single(report.Documents);
        Assert.Equal(((int?)33, (long?)null, "76354771-K", Verdict.Accept), (caf.Type, caf.Folio, caf.IssuerRut, caf.Verdict));
        Assert.Equal(["caf"], caf.ChecksRun);
        Assert.Equal(Verdict.Accept, report.Verdict);

        var wrongRut = Validator.Validate($"<AUTORIZACION>{F.Caf(new DteSpec { CafIssuer = "76354771-1" })}</AUTORIZACION>");
        Assert.Contains(wrongRut.Documents[0].Findings, f => f is { Code: "RUT_CHECK_DIGIT", Path: "AUTORIZACION/CAF/DA/RE" });
        Assert.Equal(Verdict.Reject, wrongRut.Verdict);

        var forged = Validator.Validate($"<AUTORIZACION>{F.Caf(new DteSpec { ForgeCaf = true })}</AUTORIZACION>");
        Assert.Contains(forged.Documents[0].Findings, f => f.Code == "CAF_SIGNATURE_INVALID");
        Assert.Equal(Verdict.Reject, forged.Documents[0].Verdict);
    }

    [Fact]
    public void An_authorization_without_caf_is_malformed()
    {
        var report = Validator.Validate($"<AUTORIZACION {Sii}><RSASK/></AUTORIZACION>");
        var caf = Assert.Single(report.Documents);
        Assert.Equal(new Finding("CAF_MALFORMED", FindingSeverity.Error, "AUTORIZACION/CAF", "La autorización no contiene un CAF."), Assert.Single(caf.Findings));
        Assert.Equal(((int?)null, (string?)null, Verdict.Reject), (caf.Type, caf.IssuerRut, caf.Verdict));
        Assert.Equal(Verdict.Reject, report.Verdict);
    }

    [Theory]
    [InlineData("<Foo/>", "Foo")]
    [InlineData("<AUTORIZACION xmlns=\"urn:other\"/>", "AUTORIZACION")]
    [InlineData("<AEC xmlns=\"urn:other\"/>", "AEC")]
    [InlineData("<EnvioDTE xmlns=\"urn:other\"/>", "EnvioDTE")]
    public void Other_roots_are_not_a_dte(string xml, string root)
    {
        var report = Validator.Validate(xml);
        Assert.Equal(root, report.RootKind);
        Assert.Empty(report.Documents);
        Assert.Equal(new Finding("NOT_A_DTE", FindingSeverity.Error, root, "El XML no es un DTE, EnvioDTE, EnvioBOLETA ni CAF del SII.", "DTE, EnvioDTE, EnvioBOLETA", root),
            Assert.Single(report.Findings));
    }

    [Fact]
    public void A_dte_without_the_sii_namespace_is_noted_and_validated_as_usual()
    {
        var report = Validator.Validate(F.Build(new DteSpec { Namespace = false }));
        Assert.Equal(new Finding("NAMESPACE_MISSING", FindingSeverity.Info, "DTE",
            "El DTE no declara xmlns=\"http://www.sii.cl/SiiDte\" (frecuente en documentos reales); se valida igual.", "http://www.sii.cl/SiiDte", null), Assert.Single(report.Findings));
        Assert.Equal(Verdict.Accept, report.Verdict);
        Assert.Equal("DTE", report.RootKind);
        Assert.Empty(Validator.Validate(F.Build(new DteSpec())).Findings);
    }

    [Fact]
    public void An_xml_dte_runs_every_check_and_skips_only_the_schema_when_none_is_configured()
    {
        var document = Assert.Single(Validator.Validate(F.Build(new DteSpec())).Documents);
        Assert.Equal(["structure", "rut", "dates", "totals", "references", "other-currency", "ted", "signature"], document.ChecksRun);
        Assert.Equal(new SkippedCheck("schema", "Validación XSD no configurada (Validation:SchemaDirectory)."), Assert.Single(document.ChecksSkipped));
        Assert.True(document.Signature!.Verified);
        Assert.Equal(((int?)33, (long?)42, "76354771-K", 0), (document.Type, document.Folio, document.IssuerRut, document.Index));
    }

    [Fact]
    public void A_structured_document_runs_the_content_checks_and_skips_ted_and_signature()
    {
        var report = Validator.Validate(new DteDocument { TypeText = "34", FolioText = "7", IssuerRut = "76354771-K", IssueDateText = "2025-03-10" });
        Assert.Equal("STRUCTURED", report.RootKind);
        Assert.Empty(report.Findings);
        Assert.Null(report.EnvelopeSignature);
        var document = Assert.Single(report.Documents);
        Assert.Equal(["structure", "rut", "dates", "totals", "references"], document.ChecksRun);
        Assert.Equal(
            [
                new SkippedCheck("totals-lines", "El documento no tiene montos de línea con que recalcular los totales."),
                new SkippedCheck("ted", "Documento estructurado: no hay timbre electrónico que verificar."),
                new SkippedCheck("signature", "Documento estructurado: no hay firma electrónica que verificar."),
            ],
            document.ChecksSkipped);
        Assert.Equal(document.Verdict, report.Verdict);
        Assert.Equal(((int?)34, (long?)7, "76354771-K"), (document.Type, document.Folio, document.IssuerRut));
        Assert.Throws<ArgumentNullException>(() => Validator.Validate((DteDocument)null!));
    }

    [Fact]
    public void A_check_that_overflows_is_a_finding_and_the_other_checks_still_run()
    {
        var report = Validator.Validate(new DteDocument
        {
            TypeText = "33",
            Lines = [new DetailLine { Name = "x", Quantity = 1e20m, Price = 1e20m, Amount = 1 }],
        });
        var document = Assert.Single(report.Documents);
        var finding = Assert.Single(document.Findings, f => f.Code == "CHECK_FAILED");
        Assert.Equal(new Finding("CHECK_FAILED", FindingSeverity.Error, "Documento", "La verificación 'totals' no pudo completarse con este documento (OverflowException)."), finding);
        Assert.Equal(["structure", "rut", "dates", "totals", "references"], document.ChecksRun);
        Assert.Equal(Verdict.Reject, report.Verdict);
    }

    [Fact]
    public void The_verdict_of_the_input_is_the_worst_of_the_envelope_and_its_documents()
    {
        // A warning in one document and nothing at envelope level: REVIEW.
        var review = Validator.Validate(F.BuildEnvelope([new DteSpec(), new DteSpec { Folio = 43, Vat = 1000, Total = 1000 + new DteSpec().EffectiveNet }]));
        Assert.Empty(review.Findings);
        Assert.Equal([Verdict.Accept, Verdict.Review], review.Documents.Select(d => d.Verdict));
        Assert.Equal(Verdict.Review, review.Verdict);

        // An info at envelope level does not lower an ACCEPT.
        var aec = Validator.Validate($"<AEC {Sii}>{Encoding.Latin1.GetString(F.Build(new DteSpec())).Replace("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", string.Empty, StringComparison.Ordinal)}</AEC>");
        Assert.Equal(Verdict.Accept, Assert.Single(aec.Documents).Verdict);
        Assert.Equal(Verdict.Accept, aec.Verdict);
    }

    [Fact]
    public void Bytes_over_the_limit_and_unreadable_bytes_are_a_single_finding_at_the_root()
    {
        var validator = new DteValidator(new DteValidatorSettings { MaxXmlBytes = 10 });
        var report = validator.Validate(Encoding.UTF8.GetBytes("<DTE>12345678</DTE>"));
        Assert.Equal((Verdict.Reject, (string?)null), (report.Verdict, report.RootKind));
        Assert.Equal(new Finding("XML_TOO_LARGE", FindingSeverity.Error, "/", "El documento tiene 19 bytes y el máximo aceptado es 10."), Assert.Single(report.Findings));
        Assert.Empty(report.Documents);
        Assert.Null(report.EnvelopeSignature);
    }
}
