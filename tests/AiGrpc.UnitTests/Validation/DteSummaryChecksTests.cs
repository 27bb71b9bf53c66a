using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="DteSummaryChecks"/> on its own: the accepted range of each amount on both sides, amounts with decimals
/// checked in their own units, what a summary does not carry, zero totals, and the evidence each field adds.
/// </summary>
public class DteSummaryChecksTests
{
    private static readonly DteSummaryChecks Checks = new(new DteValidator());

    /// <summary>A consistent factura: 100,000 + 19,000 = 119,000.</summary>
    private static readonly DteSummary Factura = new()
    {
        TypeText = "33",
        Folio = 10,
        IssueDateText = "2025-03-10",
        IssuerRut = "76354771-K",
        ReceiverRut = "96790240-3",
        Net = 100_000m,
        Vat = 19_000m,
        Total = 119_000m,
    };

    private static SummaryCheckResult Run(DteSummary summary, bool received = false) => Checks.Run(summary, received);

    [Fact]
    public void A_consistent_summary_has_no_findings_and_full_evidence()
    {
        var result = Run(Factura);
        Assert.Empty(result.Findings);
        Assert.Equal(1.0, result.Evidence);
    }

    [Theory]
    [InlineData("-0.01", true)]
    [InlineData("0", false)]
    [InlineData("999999999999", false)]
    [InlineData("999999999999.01", true)]
    public void Amounts_must_be_between_zero_and_the_old_services_limit(string exempt, bool outOfRange)
    {
        var amount = decimal.Parse(exempt, System.Globalization.CultureInfo.InvariantCulture);
        var findings = Run(new DteSummary { TypeText = "34", Exempt = amount }).Findings;
        Assert.Equal(outOfRange, findings.Any(f => f.Code == "TOTALS_OUT_OF_RANGE"));
    }

    [Fact]
    public void An_amount_out_of_range_is_an_error_naming_the_element_and_left_out_of_the_arithmetic()
    {
        var findings = Run(Factura with { Net = -1m }).Findings;
        Assert.Equal(2, findings.Count);
        var finding = findings[0];

        // The net amount is left out: the total is then compared with the VAT alone.
        Assert.Equal(("TOTALS_TOTAL_MISMATCH", "19000", "119000"), (findings[1].Code, findings[1].Expected, findings[1].Actual));
        Assert.Equal(new Finding("TOTALS_OUT_OF_RANGE", FindingSeverity.Error, "Documento/Encabezado/Totales/MntNeto",
            "El monto neto está fuera del rango aceptado (no negativo y hasta 999,999,999,999).", "0..999999999999", "-1"), finding);

        Assert.Equal(["Documento/Encabezado/Totales/MntExe", "Documento/Encabezado/Totales/IVA", "Documento/Encabezado/Totales/MntTotal"],
            Run(Factura with { Exempt = -1m, Vat = -1m, Total = 1_000_000_000_000m }).Findings.Where(f => f.Code == "TOTALS_OUT_OF_RANGE").Select(f => f.Path));
        Assert.Contains("El IVA está fuera", Assert.Single(Run(Factura with { Vat = -1m }).Findings, f => f.Code == "TOTALS_OUT_OF_RANGE").Message, StringComparison.Ordinal);
        Assert.Contains("El monto exento está fuera", Assert.Single(Run(Factura with { Exempt = -1m }).Findings, f => f.Code == "TOTALS_OUT_OF_RANGE").Message, StringComparison.Ordinal);
        Assert.Contains("El monto total está fuera", Assert.Single(Run(Factura with { Total = -1m }).Findings, f => f.Code == "TOTALS_OUT_OF_RANGE").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vat_is_checked_against_the_net_amount_at_nineteen_percent_when_no_rate_is_given()
    {
        var finding = Assert.Single(Run(Factura with { Vat = 18_000m, Total = 118_000m }).Findings);
        Assert.Equal(("TOTALS_VAT_MISMATCH", "19000", "18000"), (finding.Code, finding.Expected, finding.Actual));

        // A rate that is given is used.
        Assert.Empty(Run(Factura with { Vat = 10_000m, Total = 110_000m, VatRate = 10m }).Findings);

        // A net amount and VAT alone are enough to check them.
        var alone = Assert.Single(Run(new DteSummary { TypeText = "33", Net = 100_000m, Vat = 18_000m }).Findings, f => f.Code.StartsWith("TOTALS", StringComparison.Ordinal));
        Assert.Equal("TOTALS_VAT_MISMATCH", alone.Code);
    }

    [Fact]
    public void Exempt_types_and_documents_without_a_type_get_no_default_rate()
    {
        var exempt = Run(new DteSummary { TypeText = "34", Net = 100_000m, Vat = 5m, Total = 100_005m }).Findings;
        Assert.DoesNotContain(exempt, f => f.Code == "TOTALS_VAT_MISMATCH");
        Assert.Contains(exempt, f => f is { Code: "STRUCTURE_INVALID_VALUE", Path: "Documento/Encabezado/Totales/IVA" });
        Assert.DoesNotContain(Run(new DteSummary { Net = 100_000m, Vat = 5m, Total = 100_005m }).Findings, f => f.Code == "TOTALS_VAT_MISMATCH");
    }

    [Fact]
    public void Amounts_with_cents_are_checked_in_cents_and_reported_in_the_documents_units()
    {
        // USD 100.5 at 19 % is 19.095, rounded to 19.10.
        Assert.Empty(Run(Factura with { Net = 100.5m, Vat = 19.1m, Total = 119.6m }).Findings);
        var finding = Assert.Single(Run(Factura with { Net = 100.5m, Vat = 20m, Total = 120.5m }).Findings);
        Assert.Equal(("TOTALS_VAT_MISMATCH", "19.1", "20"), (finding.Code, finding.Expected, finding.Actual));

        // Trailing zeros are not decimals: 100.50 has one.
        var zeros = Assert.Single(Run(Factura with { Net = 100.50m, Vat = 20.00m, Total = 120.50m }).Findings);
        Assert.Equal(("19.1", "20"), (zeros.Expected, zeros.Actual));
    }

    [Fact]
    public void At_most_four_decimals_are_kept()
    {
        // 100.123456 is kept as 100.1235; its VAT, 19.023465, as 19.0235.
        var finding = Assert.Single(Run(Factura with { Net = 100.123456m, Vat = 0m, Total = 100.123456m }).Findings, f => f.Code == "TOTALS_VAT_MISMATCH");
        Assert.Equal(("19.0235", "0"), (finding.Expected, finding.Actual));
    }

    [Fact]
    public void Findings_outside_the_totals_keep_their_values_when_amounts_have_cents()
    {
        var finding = Assert.Single(Run(Factura with { IssuerRut = "76354771-1", Net = 100.5m, Vat = 19.1m, Total = 119.6m }).Findings);
        Assert.Equal(("RUT_CHECK_DIGIT", "K", "1"), (finding.Code, finding.Expected, finding.Actual));
    }

    [Fact]
    public void What_a_summary_does_not_carry_is_not_reported_one_by_one()
    {
        // No lines, no TasaIVA element, no references for a credit note: none is a finding of its own.
        var note = Run(Factura with { TypeText = "61" }).Findings;
        Assert.DoesNotContain(note, f => f.Code is "STRUCTURE_MISSING_ELEMENT" or "REFERENCE_MISSING" or "REFERENCE_CODE_MISSING");
        Assert.Empty(note);
    }

    [Fact]
    public void A_dispatch_guide_transfer_indicator_is_checked_only_when_sent()
    {
        var guide = Factura with { TypeText = "52" };
        Assert.Empty(Run(guide).Findings);
        Assert.Empty(Run(guide with { TransferIndicator = "6" }).Findings);
        var finding = Assert.Single(Run(guide with { TransferIndicator = "0" }).Findings);
        Assert.Equal(("STRUCTURE_INVALID_VALUE", "Documento/Encabezado/IdDoc/IndTraslado", "0"), (finding.Code, finding.Path, finding.Actual));
    }

    [Fact]
    public void The_header_fields_are_checked_as_in_a_document()
    {
        Assert.Contains(Run(Factura with { TypeText = "99" }).Findings, f => f is { Code: "STRUCTURE_TYPE_UNSUPPORTED", Actual: "99" });
        Assert.Contains(Run(Factura with { Folio = -5 }).Findings, f => f is { Code: "STRUCTURE_INVALID_VALUE", Path: "Documento/Encabezado/IdDoc/Folio", Actual: "-5" });
        Assert.Empty(Run(Factura with { Folio = 0 }).Findings);
        Assert.Contains(Run(Factura with { ReceiverRut = "96790240-4" }).Findings, f => f is { Code: "RUT_CHECK_DIGIT", Path: "Documento/Encabezado/Receptor/RUTRecep" });
        Assert.Contains(Run(Factura with { IssueDateText = "2000-01-01" }).Findings, f => f is { Code: "DATE_OUT_OF_RANGE", Path: "Documento/Encabezado/IdDoc/FchEmis" });
    }

    [Theory]
    [InlineData("33", true)]
    [InlineData("34", true)]
    [InlineData(null, true)]
    [InlineData("56", false)]
    [InlineData("61", false)]
    [InlineData("111", false)]
    [InlineData("112", false)]
    public void A_zero_total_is_a_warning_except_on_notes(string? type, bool reported)
    {
        var findings = Run(new DteSummary { TypeText = type, IssueDateText = "2025-03-10", IssuerRut = "76354771-K", ReceiverRut = "96790240-3", Exempt = 0m, Total = 0m }).Findings;
        var zero = findings.Where(f => f.Code == "TOTALS_ZERO").ToList();
        Assert.Equal(reported ? 1 : 0, zero.Count);
        if (reported)
        {
            Assert.Equal(new Finding("TOTALS_ZERO", FindingSeverity.Warning, "Documento/Encabezado/Totales/MntTotal", "El monto total es cero.", "> 0", "0"), zero[0]);
        }

        Assert.DoesNotContain(Run(new DteSummary { TypeText = type, Exempt = 0m }).Findings, f => f.Code == "TOTALS_ZERO");
        Assert.DoesNotContain(Run(new DteSummary { TypeText = type, Total = 1m, Exempt = 1m }).Findings, f => f.Code == "TOTALS_ZERO");
    }

    [Fact]
    public void Missing_fields_the_verdict_rests_on_are_named_in_one_warning()
    {
        var result = Run(new DteSummary { TypeText = "33" });
        var finding = Assert.Single(result.Findings);
        Assert.Equal(new Finding("FIELDS_MISSING", FindingSeverity.Warning, "dte_data",
            "No se recibió la fecha de emisión, el RUT del emisor, el monto total, el RUT del receptor: esa parte del documento no pudo verificarse."), finding);
        Assert.Equal(0.0, result.Evidence);

        // Received from a supplier, the receiver is the company itself: not asked for.
        var received = Run(new DteSummary { TypeText = "33", IssuerRut = "76354771-K", IssueDateText = "2025-03-10" }, received: true);
        Assert.Equal("No se recibió el monto total: esa parte del documento no pudo verificarse.", Assert.Single(received.Findings).Message);
    }

    [Theory]
    [InlineData("33", false, null, 1.0)]
    [InlineData("33", false, "receiver", 5 / 6.0)]   // a vouch field: also a warning
    [InlineData("33", false, "vat", 5 / 6.0)]
    [InlineData("33", false, "breakdown", 5 / 6.0)]
    [InlineData("33", true, null, 1.0)]               // received: the folio instead of the receiver
    [InlineData("33", true, "folio", 5 / 6.0)]
    [InlineData("33", true, "receiver", 1.0)]
    [InlineData("34", false, "vat", 1.0)]             // exempt: no VAT expected
    [InlineData("34", false, "breakdown", 4 / 5.0)]
    [InlineData("39", false, "receiver", 1.0)]        // boletas need no receiver
    [InlineData("39", false, "vat", 4 / 5.0)]
    [InlineData("41", false, "breakdown", 3 / 4.0)]
    [InlineData(null, false, "vat", 1.0)]
    [InlineData(null, false, "receiver", 4 / 5.0)]
    public void The_evidence_is_the_share_of_the_expected_fields_present(string? type, bool received, string? without, double evidence)
    {
        var summary = Factura with { TypeText = type };
        summary = without switch
        {
            "receiver" => summary with { ReceiverRut = null },
            "vat" => summary with { Vat = null },
            "breakdown" => summary with { Net = null, Exempt = null },
            "folio" => summary with { Folio = 0 },
            _ => summary,
        };
        Assert.Equal(evidence, Run(summary, received).Evidence, 6);
    }

    [Fact]
    public void An_exempt_amount_alone_is_a_breakdown()
    {
        var summary = Factura with { TypeText = "34", Net = null, Vat = null, Exempt = 119_000m };
        var result = Run(summary);
        Assert.Empty(result.Findings);
        Assert.Equal(1.0, result.Evidence);
    }
}
