using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// The engine against payslips worked out by hand from the law (<c>tests/data/payroll/payslips.json</c>, the
/// arithmetic in each case's <c>why</c>): exactly the expected findings, the recommendation, and the legal amount
/// each finding reports.
/// </summary>
public class PayslipRulesTests
{
    private static readonly InMemoryIndicatorStore Store = new();

    public static TheoryData<string> CaseIds
    {
        get
        {
            var ids = new TheoryData<string>();
            foreach (var id in PayslipCases.All.Keys)
            {
                ids.Add(id);
            }

            return ids;
        }
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Each_hand_worked_payslip_gets_exactly_its_findings(string id)
    {
        var @case = PayslipCases.All[id];
        var payslip = PayslipJson.Read(@case.Body);
        Assert.Equal(@case.Month is null, !Store.Get(payslip.Period).Found);

        var result = PayslipValidator.Validate(payslip, Store);

        var codes = result.Findings.Select(f => f.Code).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            @case.ExpectedCodes.SequenceEqual(codes),
            $"{id}: expected [{string.Join(", ", @case.ExpectedCodes)}], got [{string.Join(", ", codes)}]:\n"
            + string.Join("\n", result.Findings.Select(f => $"  {f.Code}: {f.Message}")) + $"\nwhy: {@case.Why}");
        Assert.Equal(@case.Recommendation, result.ToLegacyAnswer().Recommendation);
        foreach (var (code, amount) in @case.ExpectedAmounts)
        {
            Assert.Contains(result.Findings, f => f.Code == code && f.Expected == amount);
        }

        Assert.All(result.Findings, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Message));
            Assert.False(string.IsNullOrWhiteSpace(f.LegalSource));
        });
    }

    [Fact]
    public void The_case_file_covers_what_the_engine_promises()
    {
        var cases = PayslipCases.All.Values.ToList();
        Assert.True(cases.Count >= 30, $"{cases.Count} cases");
        Assert.All(cases, c => Assert.True(c.Why.Length > 40, c.Id));

        // Every finding code the engine can emit is expected by at least one case, and so is a clean payslip.
        var expected = cases.SelectMany(c => c.ExpectedCodes).ToHashSet(StringComparer.Ordinal);
        var codes = typeof(FindingCodes).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.All(codes, c => Assert.True(expected.Contains(c), $"no case expects {c}"));
        Assert.Contains(cases, c => c.ExpectedCodes.Count == 0);

        // Partial months, both contract kinds, an Isapre above 7 %, the caps and the tax edges, months without data.
        var bodies = cases.Select(c => PayslipJson.Read(c.Body)).ToList();
        Assert.Contains(bodies, b => b.DateFrom?.Day > 1);
        Assert.Contains(bodies, b => b.ContractType == ContractType.FixedTerm);
        Assert.Contains(bodies, b => b.ContractType == ContractType.Indefinite);
        Assert.Contains(cases, c => c.Id.StartsWith("ok-isapre", StringComparison.Ordinal));
        Assert.True(cases.Count(c => c.Id.StartsWith("ok-tax-edge", StringComparison.Ordinal)) >= 4);
        Assert.Contains(cases, c => c.Month is null);
        Assert.True(bodies.Select(b => b.Period).Distinct().Count() >= 5);
    }

    [Fact]
    public void Confidence_stays_in_the_recommendation_band_and_falls_with_findings()
    {
        var results = PayslipCases.All.Values
            .Select(c => PayslipValidator.Validate(PayslipJson.Read(c.Body), Store))
            .ToList();
        Assert.All(results, r => Assert.InRange(
            r.Confidence,
            r.Recommendation switch { Recommendation.Approve => 85, Recommendation.Review => 50, _ => 0 },
            r.Recommendation switch { Recommendation.Approve => 100, Recommendation.Review => 84, _ => 49 }));

        // More errors, lower confidence; an approval pinned exactly beats one accepted within a range.
        var oneError = Validate("err-gratification-below-legal").Confidence;
        var threeErrors = Validate("err-pension-cap-not-applied").Confidence;
        Assert.True(threeErrors < oneError, $"{threeErrors} vs {oneError}");
        Assert.True(Validate("ok-afp-unnamed-within-range").Confidence < Validate("ok-full-month-habitat-fonasa").Confidence);
        Assert.Equal(100, Validate("ok-full-month-habitat-fonasa").Confidence);
    }

    [Fact]
    public void The_legacy_answer_carries_codes_and_spanish_messages()
    {
        var answer = Validate("err-afp-wrong-commission").ToLegacyAnswer();
        Assert.True(answer.Success);
        Assert.Equal("reject", answer.Recommendation);
        Assert.Empty(answer.Warnings);
        Assert.Equal(2, answer.Errors.Count);
        Assert.StartsWith("AFP_AMOUNT_MISMATCH: La cotización AFP ($158.839)", answer.Errors[0], StringComparison.Ordinal);
        Assert.Contains("comisión de Habitat", answer.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_month_with_no_figures_checks_only_what_needs_none()
    {
        var payslip = PayslipJson.Read(PayslipCases.All["ok-full-month-habitat-fonasa"].Body);
        var result = PayslipValidator.Validate(payslip, MonthlyIndicators.Empty(payslip.Period));

        Assert.All(result.Findings, f => Assert.Equal(FindingCodes.RuleNotChecked, f.Code));
        Assert.Equal(Recommendation.Review, result.Recommendation);
        Assert.Equal(["estructura", "total_imponible", "totales"], result.RulesRun.Order(StringComparer.Ordinal));
        Assert.Contains(result.Skipped, s => s.Rule == "impuesto_unico" && s.Reason.Contains("utm", StringComparison.Ordinal));
    }

    [Fact]
    public void Indicators_of_another_month_are_refused()
    {
        var payslip = PayslipJson.Read(PayslipCases.All["ok-full-month-habitat-fonasa"].Body);
        var september = Store.Get(new PayrollPeriod(2025, 9)).Month;
        Assert.Throws<ArgumentException>(() => PayslipValidator.Validate(payslip, september));
    }

    private static PayrollValidationResult Validate(string id) =>
        PayslipValidator.Validate(PayslipJson.Read(PayslipCases.All[id].Body), Store);
}
