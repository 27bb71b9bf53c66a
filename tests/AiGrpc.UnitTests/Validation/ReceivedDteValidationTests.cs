using AiGrpc.Common;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="ReceivedDteValidation"/> and <see cref="ValidationConfidence"/>: the history limit on both sides, how the
/// content and the history weigh in the confidence, and the band of each verdict with its arithmetic.
/// </summary>
public class ReceivedDteValidationTests
{
    private static readonly ReceivedDteValidation Received = new(new DteSummaryChecks(new DteValidator()));

    private static DteSummary Bill(long folio, decimal total = 119_000m) => new()
    {
        TypeText = "33",
        Folio = folio,
        IssueDateText = "2025-03-10",
        IssuerRut = "76354771-K",
        Net = Math.Round(total / 1.19m),
        Vat = total - Math.Round(total / 1.19m),
        Total = total,
    };

    private static List<DteSummary> History(int count) => [.. Enumerable.Range(1, count).Select(i => Bill(i))];

    private static Finding Of(FindingSeverity severity) => new("X", severity, "p", "m");

    [Fact]
    public void A_hundred_earlier_documents_are_accepted_and_one_more_is_invalid_input()
    {
        Assert.Equal(100, Received.Validate(Bill(500), History(100)).HistoryCompared);
        var ex = Assert.Throws<InvalidInputException>(() => Received.Validate(Bill(500), History(101), "vendor_history"));
        var violation = Assert.Single(ex.Violations);
        Assert.Equal("vendor_history", violation.Field);
        Assert.Equal("at most 100 items", violation.Description);
    }

    [Theory]
    [InlineData(3, 97)]    // 0.75 + 0.25 * 0.3 = 0.825: 85 + round(12.375)
    [InlineData(5, 98)]    // 0.875: 85 + round(13.125)
    [InlineData(10, 100)]
    [InlineData(20, 100)]  // beyond ten the history counts no more
    public void The_history_weighs_a_quarter_of_the_confidence_up_to_ten_amounts(int earlier, int confidence)
    {
        var result = Received.Validate(Bill(500), History(earlier));
        Assert.Equal(Verdict.Accept, result.Verdict);
        Assert.Equal(earlier, result.HistoryCompared);
        Assert.Equal(confidence, result.Confidence);
    }

    [Fact]
    public void The_content_weighs_three_quarters_and_its_findings_come_before_the_historys()
    {
        // No folio: content evidence 5/6, 0.625 of the whole; two earlier amounts, 0.05: 85 + round(15 * 0.675).
        var accepted = Received.Validate(Bill(500) with { Folio = null }, History(2));
        Assert.Equal(Verdict.Accept, accepted.Verdict);
        Assert.Equal(95, accepted.Confidence);

        var result = Received.Validate(Bill(500) with { Vat = 1m }, History(2));
        Assert.Equal(["TOTALS_VAT_MISMATCH", "TOTALS_TOTAL_MISMATCH", "RECEPTION_HISTORY_SHORT"], result.Findings.Select(f => f.Code));
        Assert.Equal(Verdict.Reject, result.Verdict);
        Assert.Equal(2, result.HistoryCompared);
        Assert.Equal(45, result.Confidence); // one error and one warning: 49 - 4
    }

    [Theory]
    [InlineData(1.0, 100)]
    [InlineData(0.0, 85)]
    [InlineData(0.6, 94)]
    [InlineData(1.5, 100)]   // evidence is clamped to 0..1
    [InlineData(-0.5, 85)]
    public void Accept_lies_between_85_and_100_by_the_evidence(double evidence, int confidence) =>
        Assert.Equal(confidence, ValidationConfidence.Of(Verdict.Accept, [Of(FindingSeverity.Info)], evidence));

    [Theory]
    [InlineData(1, 1.0, 84)]
    [InlineData(2, 1.0, 76)]
    [InlineData(3, 1.0, 68)]
    [InlineData(1, 0.5, 79)]
    [InlineData(1, 0.0, 74)]
    [InlineData(5, 0.0, 50)]  // 84 - 32 - 10 = 42, kept in the band
    public void Review_loses_eight_per_extra_warning_and_up_to_ten_by_the_evidence(int warnings, double evidence, int confidence)
    {
        var findings = Enumerable.Repeat(Of(FindingSeverity.Warning), warnings).Append(Of(FindingSeverity.Info));
        Assert.Equal(confidence, ValidationConfidence.Of(Verdict.Review, findings, evidence));
    }

    [Theory]
    [InlineData(1, 0, 49)]
    [InlineData(2, 0, 37)]
    [InlineData(1, 2, 41)]
    [InlineData(5, 0, 1)]
    [InlineData(6, 0, 0)]   // 49 - 60, kept in the band
    public void Reject_loses_twelve_per_extra_error_and_four_per_warning(int errors, int warnings, int confidence)
    {
        List<Finding> findings = [.. Enumerable.Repeat(Of(FindingSeverity.Error), errors), .. Enumerable.Repeat(Of(FindingSeverity.Warning), warnings), Of(FindingSeverity.Info)];
        Assert.Equal(confidence, ValidationConfidence.Of(Verdict.Reject, findings, 0.0));
        Assert.Equal(confidence, ValidationConfidence.Of(Verdict.Reject, findings.Where(_ => true), 1.0));
    }
}
