using AiGrpc.Validation.Dte;
using Microsoft.Extensions.Time.Testing;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// The structure, date, reference and totals rules on structured documents (no XML, no signature): one consistent
/// factura that has nothing to report, then one change at a time, each with the finding it must produce, and each
/// boundary from both sides. Every finding code of these rules has a test here that fails when its check is deleted.
/// </summary>
public class DocumentRulesTests
{
    /// <summary>"Now" for every test here: 2025-06-10 02:00 UTC (still 2025-06-09 in Chile).</summary>
    private static readonly DateTimeOffset Now = new(2025, 6, 10, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A consistent factura 33: two lines, net 337 500, IVA 64 125, total 401 625.</summary>
    private static DteDocument Factura(
        string? type = "33", string? folio = "42", string? date = "2025-06-01", string? issuer = "76354771-K", string? issuerName = "ÑANDÚ SPA",
        string? receiver = "96790240-3", bool hasTotals = true, DteTotals? totals = null, IReadOnlyList<DetailLine>? lines = null,
        IReadOnlyList<DteReference>? references = null, IReadOnlyList<GlobalAdjustment>? adjustments = null, string? transfer = null,
        bool gross = false) => new()
        {
            TypeText = type,
            FolioText = folio,
            IssueDateText = date,
            IssuerRut = issuer,
            IssuerName = issuerName,
            ReceiverRut = receiver,
            HasTotals = hasTotals,
            TransferIndicator = transfer,
            GrossAmounts = gross,
            Totals = totals ?? new DteTotals { Net = 337500, VatRate = 19, Vat = 64125, Total = 401625 },
            Lines = lines ?? [Line("Servicio de ingeniería", 2, 150000), Line("Materiales eléctricos", 3, 12500)],
            References = references ?? [],
            Adjustments = adjustments ?? [],
        };

    private static DetailLine Line(string? name, decimal quantity, decimal price, long? amount = -1, int? exempt = null) =>
        new() { Name = name, Quantity = quantity, Price = price, Amount = amount == -1 ? (long)(quantity * price) : amount, ExemptIndicator = exempt };

    private static DocumentReport Validate(DteDocument document, TimeSpan? tolerance = null)
    {
        var settings = new DteValidatorSettings { FutureTolerance = tolerance ?? TimeSpan.FromHours(24) };
        var report = Assert.Single(new DteValidator(settings, time: new FakeTimeProvider(Now)).Validate(document).Documents);
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Message), $"{f.Code} has no message"));
        Assert.All(report.ChecksSkipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason), $"{s.Check} has no reason"));
        return report;
    }

    private static string Describe(DocumentReport report) =>
        string.Join("; ", report.Findings.Select(f => $"{f.Severity}:{f.Code}@{f.Path} exp={f.Expected} act={f.Actual}"));

    private static Finding Only(DocumentReport report, string code)
    {
        var found = report.Findings.Where(f => f.Code == code).ToList();
        Assert.True(found.Count == 1, $"expected one {code}, got {Describe(report)}");
        return found[0];
    }

    private static void None(DocumentReport report, string code) =>
        Assert.True(report.Findings.All(f => f.Code != code), $"expected no {code}, got {Describe(report)}");

    [Fact]
    public void The_consistent_factura_has_nothing_to_report()
    {
        var report = Validate(Factura());
        Assert.True(report.Findings.Count == 0, Describe(report));
        Assert.Equal(Verdict.Accept, report.Verdict);
        Assert.Equal(["structure", "rut", "dates", "totals", "references"], report.ChecksRun);
    }

    // ---------------------------------------------------------------------------------------------
    // Structure
    // ---------------------------------------------------------------------------------------------

    public static TheoryData<string, string, string> RequiredHeaderFields() => new()
    {
        { "type", "Documento/Encabezado/IdDoc/TipoDTE", "tipo de documento" },
        { "folio", "Documento/Encabezado/IdDoc/Folio", "folio" },
        { "date", "Documento/Encabezado/IdDoc/FchEmis", "fecha de emisión" },
        { "issuer", "Documento/Encabezado/Emisor/RUTEmisor", "RUT del emisor" },
        { "issuerName", "Documento/Encabezado/Emisor/RznSoc", "razón social del emisor" },
        { "receiver", "Documento/Encabezado/Receptor/RUTRecep", "RUT del receptor" },
    };

    [Theory]
    [MemberData(nameof(RequiredHeaderFields))]
    public void Each_required_header_field_missing_is_an_error_at_its_path(string field, string path, string what)
    {
        var document = field switch
        {
            "type" => Factura(type: null),
            "folio" => Factura(folio: null),
            "date" => Factura(date: null),
            "issuer" => Factura(issuer: null),
            "issuerName" => Factura(issuerName: null),
            _ => Factura(receiver: null),
        };
        var report = Validate(document);
        var finding = Assert.Single(report.Findings, f => f.Path == path);
        Assert.Equal(("STRUCTURE_MISSING_ELEMENT", FindingSeverity.Error), (finding.Code, finding.Severity));
        Assert.Contains(what, finding.Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Reject, report.Verdict);
    }

    [Fact]
    public void Missing_totals_or_total_amount_is_an_error()
    {
        var noTotals = Validate(Factura(hasTotals: false));
        Assert.Equal("Documento/Encabezado/Totales", Only(noTotals, "STRUCTURE_MISSING_ELEMENT").Path);

        var noTotal = Validate(Factura(totals: new DteTotals { Net = 337500, VatRate = 19, Vat = 64125 }));
        Assert.Equal("Documento/Encabezado/Totales/MntTotal", Only(noTotal, "STRUCTURE_MISSING_ELEMENT").Path);
    }

    [Fact]
    public void A_document_without_lines_is_an_error_and_lines_without_name_or_amount_too()
    {
        var empty = Validate(Factura(lines: []));
        Assert.Contains(empty.Findings, f => f.Code == "STRUCTURE_MISSING_ELEMENT" && f.Path == "Documento/Detalle");

        var incomplete = Validate(Factura(lines: [Line(null, 2, 150000), Line("Materiales eléctricos", 3, 12500, amount: null), Line("", 1, 0)]));
        Assert.Contains(incomplete.Findings, f => f.Code == "STRUCTURE_MISSING_ELEMENT" && f.Path == "Documento/Detalle[1]/NmbItem");
        Assert.Contains(incomplete.Findings, f => f.Code == "STRUCTURE_MISSING_ELEMENT" && f.Path == "Documento/Detalle[2]/MontoItem");
        Assert.Contains(incomplete.Findings, f => f.Code == "STRUCTURE_MISSING_ELEMENT" && f.Path == "Documento/Detalle[3]/NmbItem");
        Assert.DoesNotContain(incomplete.Findings, f => f.Path is "Documento/Detalle[1]/MontoItem" or "Documento/Detalle[2]/NmbItem" or "Documento/Detalle");
    }

    [Theory]
    [InlineData("33", 60, false)]
    [InlineData("33", 61, true)]
    [InlineData("39", 1000, false)]
    [InlineData("39", 1001, true)]
    public void Line_count_limits_are_60_and_1000_for_boletas_both_sides(string type, int count, bool tooMany)
    {
        var lines = Enumerable.Range(1, count).Select(i => Line($"Ítem {i}", 1, 100)).ToList();
        var report = Validate(Factura(type: type, lines: lines, totals: new DteTotals { Total = 100L * count }));
        if (!tooMany)
        {
            None(report, "STRUCTURE_TOO_MANY_LINES");
            return;
        }

        var finding = Only(report, "STRUCTURE_TOO_MANY_LINES");
        Assert.Equal(("Documento/Detalle", type == "39" ? "1000" : "60", count.ToString(System.Globalization.CultureInfo.InvariantCulture)), (finding.Path, finding.Expected, finding.Actual));
    }

    [Theory]
    [InlineData("35")]
    [InlineData("tres")]
    public void A_type_the_sii_does_not_define_is_unsupported(string type)
    {
        var finding = Only(Validate(Factura(type: type)), "STRUCTURE_TYPE_UNSUPPORTED");
        Assert.Equal(("Documento/Encabezado/IdDoc/TipoDTE", type), (finding.Path, finding.Actual));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-1", true)]
    [InlineData("cuarenta", true)]
    [InlineData("1", false)]
    public void The_folio_must_be_a_positive_integer(string folio, bool invalid)
    {
        var report = Validate(Factura(folio: folio));
        if (!invalid)
        {
            None(report, "STRUCTURE_INVALID_VALUE");
            return;
        }

        var finding = Only(report, "STRUCTURE_INVALID_VALUE");
        Assert.Equal(("Documento/Encabezado/IdDoc/Folio", "> 0", folio), (finding.Path, finding.Expected, finding.Actual));
    }

    [Fact]
    public void Net_amount_requires_vat_rate_and_vat_on_facturas_but_not_on_guias_or_boletas()
    {
        var noRate = Validate(Factura(totals: new DteTotals { Net = 337500, Vat = 64125, Total = 401625 }));
        Assert.Contains(noRate.Findings, f => f.Code == "STRUCTURE_MISSING_ELEMENT" && f.Path == "Documento/Encabezado/Totales/TasaIVA");
        Assert.DoesNotContain(noRate.Findings, f => f.Path == "Documento/Encabezado/Totales/IVA" && f.Code == "STRUCTURE_MISSING_ELEMENT");

        var noVat = Validate(Factura(totals: new DteTotals { Net = 337500, VatRate = 19, Total = 401625 }));
        Assert.Contains(noVat.Findings, f => f.Code == "STRUCTURE_MISSING_ELEMENT" && f.Path == "Documento/Encabezado/Totales/IVA");
        Assert.DoesNotContain(noVat.Findings, f => f.Path == "Documento/Encabezado/Totales/TasaIVA");

        var guia = Validate(Factura(type: "52", transfer: "6", totals: new DteTotals { Net = 337500, Total = 337500 }));
        Assert.True(guia.Findings.Count == 0, Describe(guia));

        var zeroNet = Validate(Factura(totals: new DteTotals { Net = 0, Total = 0 }, lines: [Line("Sin costo", 1, 0)]));
        None(zeroNet, "STRUCTURE_MISSING_ELEMENT");
    }

    [Theory]
    [InlineData("34")]
    [InlineData("41")]
    public void An_exempt_document_with_vat_is_invalid_and_without_it_is_fine(string type)
    {
        var lines = new[] { Line("Asesoría", 1, 100000) };
        var withVat = Validate(Factura(type: type, lines: lines, totals: new DteTotals { Exempt = 100000, Vat = 19000, Total = 119000 }));
        var finding = Assert.Single(withVat.Findings, f => f.Code == "STRUCTURE_INVALID_VALUE");
        Assert.Equal(("Documento/Encabezado/Totales/IVA", "0", "19000"), (finding.Path, finding.Expected, finding.Actual));

        var zeroVat = Validate(Factura(type: type, lines: lines, totals: new DteTotals { Exempt = 100000, Vat = 0, Total = 100000 }));
        None(zeroVat, "STRUCTURE_INVALID_VALUE");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("0", true)]
    [InlineData("10", true)]
    [InlineData("1", false)]
    [InlineData("2", false)]
    [InlineData("3", false)]
    [InlineData("4", false)]
    [InlineData("5", false)]
    [InlineData("6", false)]
    [InlineData("7", false)]
    [InlineData("8", false)]
    [InlineData("9", false)]
    public void A_guia_must_say_how_goods_move_1_to_9(string? transfer, bool invalid)
    {
        var report = Validate(Factura(type: "52", transfer: transfer));
        var found = report.Findings.Where(f => f.Code == "STRUCTURE_INVALID_VALUE" && f.Path == "Documento/Encabezado/IdDoc/IndTraslado").ToList();
        Assert.Equal(invalid ? 1 : 0, found.Count);
        if (invalid)
        {
            Assert.Equal(("1-9", transfer), (found[0].Expected, found[0].Actual));
        }
    }

    [Fact]
    public void Other_types_do_not_need_a_transfer_indicator()
    {
        None(Validate(Factura(type: "56", references: [new DteReference { DocumentType = "33", Folio = "41", Date = "2025-05-01", Code = "3" }])), "STRUCTURE_INVALID_VALUE");
    }

    [Theory]
    [InlineData("35")]
    public void An_unsupported_type_lists_the_types_the_sii_defines(string type)
    {
        var finding = Only(Validate(Factura(type: type)), "STRUCTURE_TYPE_UNSUPPORTED");
        Assert.Equal("33, 34, 39, 41, 43, 46, 52, 56, 61, 110, 111, 112", finding.Expected);
    }

    [Theory]
    [InlineData(110)]
    [InlineData(112)]
    public void Export_documents_belong_in_exportaciones(int type)
    {
        var spec = new AiGrpc.TestKit.Validation.DteSpec { Type = type, References = type == 112 ? [new("110", "5", "2025-01-02", "1")] : [] };
        var report = Assert.Single(MutationTests.Validator().Validate(AiGrpc.TestKit.Validation.DteFixtures.Shared.Build(spec)).Documents);
        var finding = Assert.Single(report.Findings, f => f.Path == "DTE/Documento");
        Assert.Equal(("STRUCTURE_INVALID_VALUE", "Exportaciones", "Documento"), (finding.Code, finding.Expected, finding.Actual));
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
    }

    [Fact]
    public void A_dte_without_documento_says_so_and_checks_no_further_structure()
    {
        var report = Assert.Single(MutationTests.Validator().Validate("<DTE xmlns=\"http://www.sii.cl/SiiDte\" version=\"1.0\"><Otro/></DTE>").Documents);
        var finding = Assert.Single(report.Findings, f => f.Code == "STRUCTURE_MISSING_ELEMENT");
        Assert.Equal("DTE/Documento", finding.Path);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
    }

    // ---------------------------------------------------------------------------------------------
    // RUTs
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void Every_rut_of_the_document_is_checked_at_its_path_and_named_in_the_message()
    {
        var report = Validate(Factura(issuer: "76354771-1", receiver: "96.790.240-3",
            references: [Ref(), new DteReference { DocumentType = "33", Folio = "41", Date = "2025-05-01", Code = "3", OtherRut = "60803000-1" }]));
        var issuer = Assert.Single(report.Findings, f => f.Path == "Documento/Encabezado/Emisor/RUTEmisor");
        Assert.Equal(("RUT_CHECK_DIGIT", "K", "1"), (issuer.Code, issuer.Expected, issuer.Actual));
        Assert.Contains("del emisor", issuer.Message, StringComparison.Ordinal);
        var receiver = Assert.Single(report.Findings, f => f.Path == "Documento/Encabezado/Receptor/RUTRecep");
        Assert.Equal(("RUT_FORMAT", "99999999-K", "96.790.240-3"), (receiver.Code, receiver.Expected, receiver.Actual));
        Assert.Contains("del receptor", receiver.Message, StringComparison.Ordinal);
        var other = Assert.Single(report.Findings, f => f.Path == "Documento/Referencia[2]/RUTOtr");
        Assert.Equal(("RUT_CHECK_DIGIT", "K", "1"), (other.Code, other.Expected, other.Actual));
        Assert.Contains("otro contribuyente", other.Message, StringComparison.Ordinal);
        Assert.Equal(3, report.Findings.Count(f => f.Code.StartsWith("RUT_", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_lowercase_k_is_a_right_check_digit()
    {
        None(Validate(Factura(issuer: "76354771-k")), "RUT_CHECK_DIGIT");
    }

    // ---------------------------------------------------------------------------------------------
    // Dates
    // ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("2025-02-30")]
    [InlineData("01-06-2025")]
    public void An_issue_date_that_is_not_a_date_is_invalid(string date)
    {
        var finding = Only(Validate(Factura(date: date)), "DATE_INVALID");
        Assert.Equal(("Documento/Encabezado/IdDoc/FchEmis", "AAAA-MM-DD", date), (finding.Path, finding.Expected, finding.Actual));
        None(Validate(Factura(date: date)), "DATE_OUT_OF_RANGE");
    }

    [Theory]
    [InlineData("2003-03-31", true)]
    [InlineData("2003-04-01", false)]
    [InlineData("2050-12-31", false)]
    [InlineData("2051-01-01", true)]
    public void The_issue_date_range_is_2003_04_01_to_2050_12_31_both_ends_included(string date, bool outOfRange)
    {
        // Far ahead of "now" so that the range, not the future check, decides: a tolerance of a century.
        var report = Validate(Factura(date: date), TimeSpan.FromDays(36500));
        if (!outOfRange)
        {
            None(report, "DATE_OUT_OF_RANGE");
            return;
        }

        var finding = Only(report, "DATE_OUT_OF_RANGE");
        Assert.Equal(("2003-04-01..2050-12-31", date), (finding.Expected, finding.Actual));
        None(report, "DATE_IN_FUTURE");
    }

    [Theory]
    [InlineData("2025-06-11", 24, false)] // now + 24 h is 2025-06-11 02:00 UTC
    [InlineData("2025-06-12", 24, true)]
    [InlineData("2025-06-10", 0, false)]
    [InlineData("2025-06-11", 0, true)]
    [InlineData("2025-06-12", 48, false)]
    public void A_date_after_now_plus_the_tolerance_is_in_the_future(string date, int toleranceHours, bool future)
    {
        var report = Validate(Factura(date: date), TimeSpan.FromHours(toleranceHours));
        if (!future)
        {
            None(report, "DATE_IN_FUTURE");
            return;
        }

        var finding = Only(report, "DATE_IN_FUTURE");
        Assert.Equal((FindingSeverity.Error, $"<= {Now.AddHours(toleranceHours):yyyy-MM-dd}", date), (finding.Severity, finding.Expected, finding.Actual));
    }

    // ---------------------------------------------------------------------------------------------
    // References
    // ---------------------------------------------------------------------------------------------

    private static DteReference Ref(string? type = "33", string? folio = "41", string? date = "2025-05-01", string? code = "3", bool global = false) =>
        new() { DocumentType = type, Folio = folio, Date = date, Code = code, Global = global };

    private static DocumentReport Note(string type, params DteReference[] references) =>
        Validate(Factura(type: type, references: references));

    [Theory]
    [InlineData("56")]
    [InlineData("61")]
    public void A_note_must_reference_a_tax_document(string type)
    {
        Assert.Equal("Documento/Referencia", Only(Note(type), "REFERENCE_MISSING").Path);
        Only(Note(type, Ref(type: "801"), Ref(type: "SET")), "REFERENCE_MISSING");
        None(Note(type, Ref(type: "801"), Ref()), "REFERENCE_MISSING");
    }

    [Fact]
    public void An_invoice_needs_no_reference()
    {
        var report = Validate(Factura());
        None(report, "REFERENCE_MISSING");
    }

    [Fact]
    public void A_note_must_give_the_reference_code_on_some_tax_reference()
    {
        Assert.Equal("Documento/Referencia/CodRef", Only(Note("61", Ref(code: null)), "REFERENCE_CODE_MISSING").Path);
        None(Note("61", Ref(code: null), Ref(folio: "40", code: "3")), "REFERENCE_CODE_MISSING");
        Only(Note("61", Ref(type: "801", code: "3"), Ref(code: null)), "REFERENCE_CODE_MISSING");
    }

    [Theory]
    [InlineData("1", 2, true)]
    [InlineData("2", 2, true)]
    [InlineData("3", 2, false)]
    [InlineData("1", 1, false)]
    [InlineData("2", 1, false)]
    public void Cancelling_or_correcting_text_takes_a_single_reference(string code, int count, bool error)
    {
        var references = Enumerable.Range(0, count).Select(i => Ref(folio: (41 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), code: code)).ToArray();
        var report = Note("61", references);
        if (!error)
        {
            None(report, "REFERENCE_SINGLE_REQUIRED");
            return;
        }

        var finding = Only(report, "REFERENCE_SINGLE_REQUIRED");
        Assert.Equal(("Documento/Referencia", "1", "2"), (finding.Path, finding.Expected, finding.Actual));
    }

    [Fact]
    public void Only_tax_references_count_for_the_single_reference_rule()
    {
        None(Note("61", Ref(code: "1"), Ref(type: "801", code: null)), "REFERENCE_SINGLE_REQUIRED");
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("4", true)]
    [InlineData("1", false)]
    [InlineData("2", false)]
    [InlineData("3", false)]
    public void The_reference_code_is_1_2_or_3(string code, bool invalid)
    {
        var report = Validate(Factura(references: [Ref(code: code)]));
        if (!invalid)
        {
            None(report, "REFERENCE_CODE_INVALID");
            return;
        }

        var finding = Only(report, "REFERENCE_CODE_INVALID");
        Assert.Equal(("Documento/Referencia[1]/CodRef", code), (finding.Path, finding.Actual));
    }

    [Fact]
    public void Each_reference_needs_its_folio_type_and_date()
    {
        var report = Validate(Factura(references: [Ref(), Ref(folio: null), Ref(type: null), Ref(date: null)]));
        Assert.Equal(
            ["Documento/Referencia[2]/FolioRef", "Documento/Referencia[3]/TpoDocRef", "Documento/Referencia[4]/FchRef"],
            report.Findings.Where(f => f.Code == "STRUCTURE_MISSING_ELEMENT").Select(f => f.Path).Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [InlineData("0", false, true)]
    [InlineData("000", false, true)]
    [InlineData("0", true, false)]
    [InlineData("10", false, false)]
    public void A_zero_folio_reference_needs_the_global_indicator(string folio, bool global, bool error)
    {
        var report = Validate(Factura(references: [Ref(folio: folio, global: global)]));
        Assert.Equal(error ? 1 : 0, report.Findings.Count(f => f.Code == "REFERENCE_FOLIO_ZERO" && f.Path == "Documento/Referencia[1]/FolioRef"));
    }

    [Theory]
    [InlineData("2002-07-31", true)]
    [InlineData("2002-08-01", false)]
    [InlineData("2025-02-30", true)]
    [InlineData("2051-01-01", true)]
    public void The_reference_date_is_a_date_from_2002_08_01_to_2050_12_31(string date, bool invalid)
    {
        var report = Validate(Factura(references: [Ref(date: date)]));
        if (!invalid)
        {
            None(report, "REFERENCE_DATE_INVALID");
            return;
        }

        var finding = Only(report, "REFERENCE_DATE_INVALID");
        Assert.Equal(("Documento/Referencia[1]/FchRef", date), (finding.Path, finding.Actual));
    }

    [Fact]
    public void The_last_valid_reference_date_is_not_invalid_only_later_than_the_document()
    {
        var report = Validate(Factura(references: [Ref(date: "2050-12-31")]));
        None(report, "REFERENCE_DATE_INVALID");
        Only(report, "REFERENCE_DATE_AFTER_EMISSION");
    }

    [Theory]
    [InlineData("33", "2025-06-02", true)]
    [InlineData("33", "2025-06-01", false)]
    [InlineData("801", "2025-06-02", false)]
    public void A_tax_document_referenced_with_a_later_date_is_a_warning(string type, string date, bool warning)
    {
        var report = Validate(Factura(references: [Ref(type: type, date: date)]));
        if (!warning)
        {
            None(report, "REFERENCE_DATE_AFTER_EMISSION");
            return;
        }

        var finding = Only(report, "REFERENCE_DATE_AFTER_EMISSION");
        Assert.Equal((FindingSeverity.Warning, "Documento/Referencia[1]/FchRef", "<= 2025-06-01", date), (finding.Severity, finding.Path, finding.Expected, finding.Actual));
    }

    [Fact]
    public void A_note_that_corrects_text_and_carries_an_amount_is_a_warning()
    {
        var finding = Only(Note("61", Ref(code: "2")), "REFERENCE_TEXT_CORRECTION_WITH_AMOUNT");
        Assert.Equal((FindingSeverity.Warning, "Documento/Encabezado/Totales/MntTotal", "401625"), (finding.Severity, finding.Path, finding.Actual));

        var zero = Validate(Factura(type: "61", references: [Ref(code: "2")], totals: new DteTotals { Total = 0 }, lines: [Line("Corrige giro", 1, 0)]));
        None(zero, "REFERENCE_TEXT_CORRECTION_WITH_AMOUNT");
        None(Note("61", Ref(code: "3")), "REFERENCE_TEXT_CORRECTION_WITH_AMOUNT");
        None(Validate(Factura(references: [Ref(code: "2")])), "REFERENCE_TEXT_CORRECTION_WITH_AMOUNT");
    }

    [Fact]
    public void Boleta_references_are_skipped_with_a_reason()
    {
        var report = Validate(Factura(type: "39", references: [Ref(code: "9", folio: "0")], totals: new DteTotals { Total = 337500 }));
        Assert.Contains(report.ChecksSkipped, s => s.Check == "references-boleta");
        None(report, "REFERENCE_CODE_INVALID");
        None(report, "REFERENCE_FOLIO_ZERO");
    }

    [Theory]
    [InlineData("33", true)]
    [InlineData("1", true)]
    [InlineData("799", true)]
    [InlineData("800", false)]
    [InlineData("0", false)]
    [InlineData("SET", false)]
    [InlineData(null, false)]
    public void Tax_documents_are_the_numeric_types_below_800(string? type, bool tax) =>
        Assert.Equal(tax, ReferenceChecks.IsTaxDocument(type));

    // ---------------------------------------------------------------------------------------------
    // Totals
    // ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(300001, false)] // off by one peso: rounding tolerance
    [InlineData(299999, false)]
    [InlineData(300002, true)]
    [InlineData(299998, true)]
    public void A_line_amount_may_differ_from_quantity_times_price_by_one_peso(long amount, bool mismatch)
    {
        var lines = new[] { Line("Servicio de ingeniería", 2, 150000, amount: amount), Line("Materiales eléctricos", 3, 12500) };
        var net = amount + 37500;
        var vat = (long)Math.Round(net * 0.19m, MidpointRounding.AwayFromZero);
        var report = Validate(Factura(lines: lines, totals: new DteTotals { Net = net, VatRate = 19, Vat = vat, Total = net + vat }));
        if (!mismatch)
        {
            Assert.True(report.Findings.Count == 0, Describe(report));
            return;
        }

        var finding = Only(report, "LINE_AMOUNT_MISMATCH");
        Assert.Equal(("Documento/Detalle[1]/MontoItem", "300000", amount.ToString(System.Globalization.CultureInfo.InvariantCulture)), (finding.Path, finding.Expected, finding.Actual));
    }

    [Fact]
    public void A_line_amount_counts_its_discount_and_surcharge()
    {
        var line = new DetailLine { Name = "Servicio", Quantity = 2, Price = 150000, Discount = 10000, Surcharge = 2500, Amount = 292500 };
        var report = Validate(Factura(lines: [line], totals: new DteTotals { Net = 292500, VatRate = 19, Vat = 55575, Total = 348075 }));
        Assert.True(report.Findings.Count == 0, Describe(report));

        var noQuantity = new DetailLine { Name = "Servicio", Price = 150000, Amount = 150000 };
        var single = Validate(Factura(lines: [noQuantity], totals: new DteTotals { Net = 150000, VatRate = 19, Vat = 28500, Total = 178500 }));
        Assert.True(single.Findings.Count == 0, Describe(single));
    }

    [Fact]
    public void The_net_amount_must_be_the_sum_of_taxable_lines()
    {
        var finding = Only(Validate(Factura(totals: new DteTotals { Net = 337000, VatRate = 19, Vat = 64030, Total = 401030 })), "TOTALS_NET_MISMATCH");
        Assert.Equal(("Documento/Encabezado/Totales/MntNeto", "337500", "337000"), (finding.Path, finding.Expected, finding.Actual));

        var missing = Only(Validate(Factura(totals: new DteTotals { Total = 401625 })), "TOTALS_NET_MISMATCH");
        Assert.Equal(("337500", "0"), (missing.Expected, missing.Actual));
    }

    [Fact]
    public void The_exempt_amount_must_be_the_sum_of_exempt_lines()
    {
        var lines = new[] { Line("Servicio de ingeniería", 2, 150000), Line("Materiales eléctricos", 3, 12500), Line("Flete", 1, 20000, exempt: 1) };
        var ok = Validate(Factura(lines: lines, totals: new DteTotals { Net = 337500, Exempt = 20000, VatRate = 19, Vat = 64125, Total = 421625 }));
        Assert.True(ok.Findings.Count == 0, Describe(ok));

        var wrong = Only(Validate(Factura(lines: lines, totals: new DteTotals { Net = 337500, Exempt = 19000, VatRate = 19, Vat = 64125, Total = 420625 })), "TOTALS_EXEMPT_MISMATCH");
        Assert.Equal((FindingSeverity.Warning, "Documento/Encabezado/Totales/MntExe", "20000", "19000"), (wrong.Severity, wrong.Path, wrong.Expected, wrong.Actual));

        var missing = Only(Validate(Factura(lines: lines, totals: new DteTotals { Net = 337500, VatRate = 19, Vat = 64125, Total = 401625 })), "TOTALS_EXEMPT_MISMATCH");
        Assert.Equal(("20000", "0"), (missing.Expected, missing.Actual));

        var declaredWithoutLines = Only(Validate(Factura(totals: new DteTotals { Net = 337500, Exempt = 5000, VatRate = 19, Vat = 64125, Total = 406625 })), "TOTALS_EXEMPT_MISMATCH");
        Assert.Equal(("0", "5000"), (declaredWithoutLines.Expected, declaredWithoutLines.Actual));
    }

    [Fact]
    public void Lines_of_an_exempt_type_are_exempt_and_non_billable_lines_count_nowhere()
    {
        var exemptType = Validate(Factura(type: "34", lines: [Line("Asesoría", 1, 100000)], totals: new DteTotals { Exempt = 100000, Total = 100000 }));
        Assert.True(exemptType.Findings.Count == 0, Describe(exemptType));

        var nonBillable = Validate(Factura(lines: [Line("Servicio de ingeniería", 2, 150000), Line("Materiales eléctricos", 3, 12500), Line("Garantía", 1, 5000, exempt: 2)]));
        Assert.True(nonBillable.Findings.Count == 0, Describe(nonBillable));
    }

    [Fact]
    public void Global_discounts_and_surcharges_adjust_the_sums()
    {
        // 10 % discount on the taxable lines: 337 500 - 33 750 = 303 750; IVA 57 713; surcharge of $1 000 on exempt.
        var lines = new[] { Line("Servicio de ingeniería", 2, 150000), Line("Materiales eléctricos", 3, 12500), Line("Flete", 1, 20000, exempt: 1) };
        var adjustments = new[] { new GlobalAdjustment("D", "%", 10, null), new GlobalAdjustment("R", "$", 1000, 1), new GlobalAdjustment("D", "$", 999, 2), new GlobalAdjustment("D", "$", null, null) };
        var report = Validate(Factura(lines: lines, adjustments: adjustments,
            totals: new DteTotals { Net = 303750, Exempt = 21000, VatRate = 19, Vat = 57713, Total = 382463 }));
        Assert.True(report.Findings.Count == 0, Describe(report));

        var ignored = Validate(Factura(lines: lines, adjustments: [new GlobalAdjustment("R", "%", 10, 1)],
            totals: new DteTotals { Net = 337500, Exempt = 22000, VatRate = 19, Vat = 64125, Total = 423625 }));
        Assert.True(ignored.Findings.Count == 0, Describe(ignored));
    }

    [Fact]
    public void Vat_must_be_net_times_rate_rounded_half_up()
    {
        var finding = Only(Validate(Factura(totals: new DteTotals { Net = 337500, VatRate = 19, Vat = 64126, Total = 401626 })), "TOTALS_VAT_MISMATCH");
        Assert.Equal((FindingSeverity.Warning, "Documento/Encabezado/Totales/IVA", "64125", "64126"), (finding.Severity, finding.Path, finding.Expected, finding.Actual));

        // 0.5 rounds up: 50 * 19 % = 9.5 -> 10.
        var half = Validate(Factura(lines: [Line("Clavo", 1, 50)], totals: new DteTotals { Net = 50, VatRate = 19, Vat = 10, Total = 60 }));
        Assert.True(half.Findings.Count == 0, Describe(half));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void A_vat_rate_outside_0_to_100_is_invalid_and_left_out_of_the_sums(int rate)
    {
        var report = Validate(Factura(totals: new DteTotals { Net = 337500, VatRate = rate, Vat = 64125, Total = 401625 }));
        var finding = Only(report, "STRUCTURE_INVALID_VALUE");
        Assert.Equal(("Documento/Encabezado/Totales/TasaIVA", "0..100"), (finding.Path, finding.Expected));
        None(report, "TOTALS_VAT_MISMATCH");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Vat_rates_of_0_and_100_are_valid(int rate)
    {
        var vat = 337500L * rate / 100;
        var report = Validate(Factura(totals: new DteTotals { Net = 337500, VatRate = rate, Vat = vat, Total = 337500 + vat }));
        Assert.True(report.Findings.Count == 0, Describe(report));
    }

    [Fact]
    public void The_total_must_add_up_with_taxes_withholdings_and_the_other_terms()
    {
        var wrong = Only(Validate(Factura(totals: new DteTotals { Net = 337500, VatRate = 19, Vat = 64125, Total = 401626 })), "TOTALS_TOTAL_MISMATCH");
        Assert.Equal((FindingSeverity.Error, "Documento/Encabezado/Totales/MntTotal", "401625", "401626"), (wrong.Severity, wrong.Path, wrong.Expected, wrong.Actual));

        // + additional tax (code 27: 10 000) - withheld VAT (code 15: 64 125) - construction credit 1 000 + deposits 500 - commissions 200.
        var totals = new DteTotals
        {
            Net = 337500, VatRate = 19, Vat = 64125, Taxes = [new TaxLine(27, 10, 10000), new TaxLine(15, 19, 64125), new TaxLine(null, null, 300), new TaxLine(15, 19, null)],
            VatNotWithheld = 0, ConstructionCredit = 1000, Deposits = 500, Commissions = 200, Total = 337500 + 64125 + 10000 + 300 - 64125 - 1000 + 500 - 200,
        };
        var report = Validate(Factura(totals: totals));
        Assert.True(report.Findings.Count == 0, Describe(report));
    }

    [Fact]
    public void Vat_not_withheld_must_be_vat_minus_the_withheld_vat()
    {
        var totals = new DteTotals { Net = 337500, VatRate = 19, Vat = 64125, Taxes = [new TaxLine(15, 19, 60000)], VatNotWithheld = 4126, Total = 337500 + 64125 - 60000 };
        var finding = Only(Validate(Factura(totals: totals)), "TOTALS_VAT_NOT_WITHHELD_MISMATCH");
        Assert.Equal((FindingSeverity.Warning, "Documento/Encabezado/Totales/IVANoRet", "4125", "4126"), (finding.Severity, finding.Path, finding.Expected, finding.Actual));
        None(Validate(Factura(totals: totals with { VatNotWithheld = 4125 })), "TOTALS_VAT_NOT_WITHHELD_MISMATCH");
    }

    [Fact]
    public void A_boleta_total_is_the_sum_of_its_gross_lines_and_its_vat_the_difference_with_the_net()
    {
        var lines = new[] { Line("Café", 2, 2500) };
        var ok = Validate(Factura(type: "39", lines: lines, totals: new DteTotals { Net = 4202, Vat = 798, Total = 5000 }));
        Assert.True(ok.Findings.Count == 0, Describe(ok));

        var total = Only(Validate(Factura(type: "39", lines: lines, totals: new DteTotals { Net = 4202, Vat = 798, Total = 5100 })), "TOTALS_TOTAL_MISMATCH");
        Assert.Equal(("5000", "5100"), (total.Expected, total.Actual));

        var net = Only(Validate(Factura(type: "39", lines: lines, totals: new DteTotals { Net = 4200, Vat = 800, Total = 5000 })), "TOTALS_NET_MISMATCH");
        Assert.Equal(("4202", "4200"), (net.Expected, net.Actual));

        var vat = Only(Validate(Factura(type: "39", lines: lines, totals: new DteTotals { Net = 4202, Vat = 799, Total = 5000 })), "TOTALS_VAT_MISMATCH");
        Assert.Equal(("798", "799"), (vat.Expected, vat.Actual));
    }

    [Fact]
    public void A_factura_with_gross_amounts_divides_its_lines_by_one_plus_the_rate()
    {
        var ok = Validate(Factura(gross: true, lines: [Line("Servicio", 1, 119000)], totals: new DteTotals { Net = 100000, VatRate = 19, Vat = 19000, Total = 119000 }));
        Assert.True(ok.Findings.Count == 0, Describe(ok));

        var wrong = Only(Validate(Factura(gross: true, lines: [Line("Servicio", 1, 119000)], totals: new DteTotals { Net = 119000, VatRate = 19, Vat = 22610, Total = 141610 })), "TOTALS_NET_MISMATCH");
        Assert.Equal(("100000", "119000"), (wrong.Expected, wrong.Actual));

        var noNet = Only(Validate(Factura(gross: true, lines: [Line("Servicio", 1, 119000)], totals: new DteTotals { Total = 119000 })), "TOTALS_NET_MISMATCH");
        Assert.Equal(("100000", "0"), (noNet.Expected, noNet.Actual));
    }

    [Fact]
    public void Totals_are_skipped_with_fractional_amounts_or_without_line_amounts()
    {
        var fractional = Validate(new DteDocument
        {
            TypeText = "33", FolioText = "42", IssueDateText = "2025-06-01", IssuerRut = "76354771-K", IssuerName = "X", ReceiverRut = "96790240-3",
            HasTotals = true, FractionalAmounts = true, Totals = new DteTotals { Net = 1, Total = 999 }, Lines = [Line("Ítem", 1, 1)],
        });
        Assert.Contains(fractional.ChecksSkipped, s => s.Check == "totals");
        None(fractional, "TOTALS_TOTAL_MISMATCH");

        var noAmounts = Validate(Factura(lines: [Line("Ítem", 1, 1, amount: null)], totals: new DteTotals { Net = 1, VatRate = 19, Vat = 0, Total = 1 }));
        Assert.Contains(noAmounts.ChecksSkipped, s => s.Check == "totals-lines");
        None(noAmounts, "TOTALS_NET_MISMATCH");
    }

    [Fact]
    public void A_structured_total_without_breakdown_is_not_summed()
    {
        var report = Validate(Factura(totals: new DteTotals { Total = 401625 }, lines: [Line("Ítem", 1, 1, amount: null)]));
        Assert.Contains(report.ChecksSkipped, s => s.Check == "totals-sum");
        None(report, "TOTALS_TOTAL_MISMATCH");
    }
}
