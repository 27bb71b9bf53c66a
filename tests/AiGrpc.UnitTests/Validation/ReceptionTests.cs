using AiGrpc.Common;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>A received DTE against the supplier's earlier DTEs (the module's reception mode and the typed RPC).</summary>
public class ReceptionTests
{
    private static readonly DteSummaryChecks Checks = new(new DteValidator());

    private static ReceivedDteValidation Received() => new(Checks);

    private static DteSummary Dte(long folio, string date, decimal total, int type = 33) => new()
    {
        TypeText = type.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Folio = folio,
        IssueDateText = date,
        IssuerRut = "76354771-K",
        Total = total,
        Net = type == 33 ? Math.Round(total / 1.19m) : null,
        Vat = type == 33 ? total - Math.Round(total / 1.19m) : null,
        Exempt = type == 33 ? null : total,
    };

    /// <summary>Ten monthly bills between 1.0 and 1.4 million, folios rising with the dates.</summary>
    private static List<DteSummary> TenMonths() =>
        [.. Enumerable.Range(0, 10).Select(i => Dte(1000 + (10 * i), $"2025-{i + 1:00}-05", 1_000_000m + (40_000m * i)))];

    [Fact]
    public void An_ordinary_bill_is_accepted_and_the_full_history_counts_towards_the_confidence()
    {
        var result = Received().Validate(Dte(1100, "2025-11-05", 1_190_000m), TenMonths());
        Assert.Equal(Verdict.Accept, result.Verdict);
        Assert.Equal(10, result.HistoryCompared);
        Assert.Equal(100, result.Confidence);

        var shortHistory = Received().Validate(Dte(1100, "2025-11-05", 1_190_000m), TenMonths().Take(3).ToList());
        Assert.Equal(Verdict.Accept, shortHistory.Verdict);
        Assert.True(shortHistory.Confidence < result.Confidence);
    }

    [Fact]
    public void A_folio_already_received_is_a_duplicate_and_rejected()
    {
        var history = TenMonths();
        var same = Received().Validate(Dte(1050, "2025-06-05", 1_200_000m), history);
        Assert.Equal(Verdict.Reject, same.Verdict);
        var finding = Assert.Single(same.Findings, f => f.Code == "RECEPTION_DUPLICATE_FOLIO");
        Assert.Contains("duplicada", finding.Message, StringComparison.Ordinal);

        var otherAmount = Received().Validate(Dte(1050, "2025-06-05", 900_000m), history);
        Assert.Contains("otro monto", Assert.Single(otherAmount.Findings, f => f.Code == "RECEPTION_DUPLICATE_FOLIO").Message, StringComparison.Ordinal);

        // Folios are numbered per type: a credit note 1050 is not the factura 1050.
        var note = Received().Validate(Dte(1050, "2025-06-05", 100_000m, type: 61), history);
        Assert.DoesNotContain(note.Findings, f => f.Code == "RECEPTION_DUPLICATE_FOLIO");
    }

    [Theory]
    [InlineData(59_500_000, true)]   // 50 times the usual amount
    [InlineData(3_000_000, true)]    // about 2.5 times, beyond this supplier's spread
    [InlineData(1_600_000, false)]   // a little above the highest earlier bill
    [InlineData(20_000, true)]       // 1/60 of the usual amount
    public void Amounts_far_outside_the_suppliers_range_are_review(long total, bool unusual)
    {
        var result = Received().Validate(Dte(1100, "2025-11-05", total), TenMonths());
        Assert.Equal(unusual, result.Findings.Any(f => f.Code == "RECEPTION_AMOUNT_UNUSUAL"));
        Assert.Equal(unusual ? Verdict.Review : Verdict.Accept, result.Verdict);
    }

    [Fact]
    public void The_amount_finding_names_the_usual_amount_and_the_range()
    {
        var result = Received().Validate(Dte(1100, "2025-11-05", 59_500_000m), TenMonths());
        var finding = Assert.Single(result.Findings, f => f.Code == "RECEPTION_AMOUNT_UNUSUAL");

        // Median of log10 amounts of 1.00 .. 1.36 million (even count): between 1.16 and 1.20 million.
        Assert.Contains("mediana $1.17", finding.Message, StringComparison.Ordinal);
        Assert.Contains("en 10 facturas anteriores", finding.Message, StringComparison.Ordinal);
        Assert.Equal("59500000", finding.Actual);
        Assert.InRange(result.Confidence, 50, 84);
    }

    [Fact]
    public void Below_three_earlier_amounts_nothing_is_said_about_the_amount()
    {
        var two = TenMonths().Take(2).ToList();
        var result = Received().Validate(Dte(1100, "2025-11-05", 59_500_000m), two);
        Assert.Equal(Verdict.Accept, result.Verdict);
        Assert.Contains(result.Findings, f => f is { Code: "RECEPTION_HISTORY_SHORT", Severity: FindingSeverity.Info });
        Assert.Equal(2, result.HistoryCompared);

        var three = TenMonths().Take(3).ToList();
        Assert.Contains(Received().Validate(Dte(1100, "2025-11-05", 59_500_000m), three).Findings, f => f.Code == "RECEPTION_AMOUNT_UNUSUAL");
    }

    [Fact]
    public void Credit_notes_are_compared_with_credit_notes_only()
    {
        // Ten facturas of about a million, then a credit note of 50,000: no history of credit notes, nothing said.
        var result = Received().Validate(Dte(9, "2025-11-05", 50_000m, type: 61), TenMonths());
        Assert.DoesNotContain(result.Findings, f => f.Code == "RECEPTION_AMOUNT_UNUSUAL");
        Assert.Equal(0, result.HistoryCompared);
    }

    [Fact]
    public void A_fixed_fee_supplier_is_reported_at_about_twice_its_fee_not_at_a_readjustment()
    {
        var rent = Enumerable.Range(0, 6).Select(i => Dte(500 + i, $"2025-{i + 1:00}-01", 2_380_000m)).ToList();
        Assert.Equal(Verdict.Accept, Received().Validate(Dte(510, "2025-07-01", 2_499_000m), rent).Verdict);   // +5 %
        Assert.Equal(Verdict.Review, Received().Validate(Dte(510, "2025-07-01", 4_760_000m), rent).Verdict);   // 2 times
    }

    [Fact]
    public void A_date_far_out_of_sequence_with_the_folios_is_review()
    {
        var history = TenMonths();
        var backdated = Received().Validate(Dte(1100, "2024-11-05", 1_190_000m), history);
        var finding = Assert.Single(backdated.Findings, f => f.Code == "RECEPTION_DATE_OUT_OF_SEQUENCE");
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(Verdict.Review, backdated.Verdict);

        // A lower folio dated much later than higher ones.
        Assert.Contains(Received().Validate(Dte(995, "2025-12-20", 1_190_000m), history).Findings, f => f.Code == "RECEPTION_DATE_OUT_OF_SEQUENCE");

        // Within the tolerance: several authorised ranges in use at once.
        Assert.DoesNotContain(Received().Validate(Dte(1100, "2025-09-01", 1_190_000m), history).Findings, f => f.Code == "RECEPTION_DATE_OUT_OF_SEQUENCE");
    }

    [Fact]
    public void Vat_inconsistent_with_the_net_amount_is_review()
    {
        var dte = Dte(1100, "2025-11-05", 1_190_000m) with { Vat = 180_000m, Total = 1_180_000m };
        var result = Received().Validate(dte, TenMonths());
        Assert.Contains(result.Findings, f => f is { Code: "TOTALS_VAT_MISMATCH", Expected: "190000", Actual: "180000" });
        Assert.Equal(Verdict.Review, result.Verdict);
    }

    [Fact]
    public void The_receiver_is_not_required_but_the_folio_lowers_the_confidence_when_missing()
    {
        var full = Received().Validate(Dte(1100, "2025-11-05", 1_190_000m), TenMonths());
        var noFolio = Received().Validate(Dte(1100, "2025-11-05", 1_190_000m) with { Folio = null }, TenMonths());
        Assert.Equal(Verdict.Accept, noFolio.Verdict);
        Assert.True(noFolio.Confidence < full.Confidence);
        Assert.DoesNotContain(full.Findings, f => f.Code == "FIELDS_MISSING");
    }

    [Fact]
    public void More_than_a_hundred_earlier_documents_is_invalid_input()
    {
        var many = Enumerable.Range(0, 101).Select(i => Dte(i + 1, "2025-01-01", 1000m)).ToList();
        Assert.Equal("history", Assert.Throws<InvalidInputException>(() => Received().Validate(Dte(500, "2025-02-01", 1000m), many)).Violations[0].Field);
    }

    [Fact]
    public void Module_history_dates_with_a_time_are_read_as_dates()
    {
        Assert.Equal("2025-10-01", DteSummary.DatePart("2025-10-01T00:00:00"));
        Assert.Equal("2025-10-01", DteSummary.DatePart("2025-10-01 13:45:00"));
        Assert.Equal("01/10/2025", DteSummary.DatePart(" 01/10/2025 "));
        Assert.Null(DteSummary.DatePart("  "));
        Assert.Equal("76123456-0", DteSummary.NormalizeRut("CL761234560"));
        Assert.Equal("ESA28015865", DteSummary.NormalizeRut(" ESA28015865 "));
    }

    [Theory]
    [InlineData(1190000, "$1.190.000")]
    [InlineData(1234.5, "$1.234,50")]
    [InlineData(0, "$0")]
    public void Amounts_are_written_the_Chilean_way(decimal amount, string text) =>
        Assert.Equal(text, VendorHistoryChecks.Money(amount));
}
