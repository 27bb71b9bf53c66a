using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>The engine around the rules: which rules ran, what could not be checked, the recommendation and the confidence.</summary>
public class PayslipValidatorTests
{
    /// <summary>1.000.000 with AFP Habitat 11,27 %, Fonasa 7 % and cesantía 0,6 % (indefinite): base 811.300, exempt
    /// (≤ 13,5 UTM = 945.000); haberes 1.000.000, descuentos 188.700, líquido 811.300.</summary>
    private static Payslip Clean() =>
        Slip(1000000m, Line("BASIC", 1000000m), Line("AFP", -112700m, "AFP Habitat"), Line("SALUD", -70000m, "Fonasa"), Line("AFC", -6000m))
        with { TotalImponible = 1000000m, TotalHaberes = 1000000m, TotalDescuentos = 188700m, TotalLiquido = 811300m, ContractType = ContractType.Indefinite };

    [Fact]
    public void A_clean_payslip_is_approved_with_full_confidence_and_every_rule_that_applies_ran()
    {
        var result = Validate(Clean());
        Assert.Empty(result.Findings);
        Assert.Equal(Recommendation.Approve, result.Recommendation);
        Assert.Equal(100, result.Confidence);
        Assert.Empty(result.Skipped);
        Assert.Empty(result.Notes);
        Assert.Equal(
            ["cotizacion_afp", "cotizacion_salud", "estructura", "impuesto_unico", "ingreso_minimo", "seguro_cesantia", "tope_imponible", "tope_imponible_cesantia", "total_imponible", "totales"],
            result.RulesRun.Order(StringComparer.Ordinal));
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var legacy = result.ToLegacyAnswer();
        Assert.Equal("approve", legacy.Recommendation);
        Assert.Equal(100, legacy.Confidence);
    }

    [Fact]
    public void The_store_is_asked_for_the_payslips_month()
    {
        var store = new InMemoryIndicatorStore(new Dictionary<PayrollPeriod, MonthlyIndicators> { [Period] = Month() });
        Assert.Equal(100, PayslipValidator.Validate(Clean(), store).Confidence);

        var other = Clean() with { Period = new PayrollPeriod(2025, 11) };
        var result = PayslipValidator.Validate(other, store);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.IndicatorsNotAvailable, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(LegalSources.Indicators, finding.LegalSource);
        Assert.StartsWith("Los indicadores de 2025-11 no están publicados ni cargados (hay indicadores de 2025-10 a 2025-10). No se verificaron: ", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Recommendation.Review, result.Recommendation);

        Assert.Throws<ArgumentNullException>(() => PayslipValidator.Validate(null!, store));
        Assert.Throws<ArgumentNullException>(() => PayslipValidator.Validate(Clean(), (IIndicatorStore)null!));
        Assert.Throws<ArgumentNullException>(() => PayslipValidator.Validate(null!, Month()));
        var wrongMonth = Assert.Throws<ArgumentException>(() => PayslipValidator.Validate(Clean(), Month(November)));
        Assert.Equal("month", wrongMonth.ParamName);
        Assert.StartsWith("Indicators of 2025-11 given for a payslip of 2025-10.", wrongMonth.Message, StringComparison.Ordinal);
    }

    private static readonly PayrollPeriod November = new(2025, 11);

    [Fact]
    public void Without_the_month_one_warning_names_every_rule_not_checked()
    {
        var result = PayslipValidator.Validate(Clean(), (MonthlyIndicators?)null);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.IndicatorsNotAvailable, finding.Code);
        Assert.Equal(
            "No hay indicadores de 2025-10. No se verificaron: tope_imponible, tope_imponible_cesantia, ingreso_minimo, cotizacion_afp, cotizacion_salud, seguro_cesantia, impuesto_unico.",
            finding.Message);
        Assert.Equal(["estructura", "total_imponible", "totales"], result.RulesRun.Order(StringComparer.Ordinal));
        Assert.Equal(Recommendation.Review, result.Recommendation);

        Assert.StartsWith("Sin datos. No se verificaron: tope_imponible,", Assert.Single(PayslipValidator.Validate(Clean(), (MonthlyIndicators?)null, "Sin datos.").Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_rule_not_checked_is_its_own_warning()
    {
        var result = Validate(Clean(), Month() with { Utm = null, MinimumWage = null });
        Assert.Equal([FindingCodes.RuleNotChecked, FindingCodes.RuleNotChecked], result.Findings.Select(f => f.Code));
        Assert.All(result.Findings, f =>
        {
            Assert.Equal(FindingSeverity.Warning, f.Severity);
            Assert.Equal(LegalSources.Indicators, f.LegalSource);
        });
        Assert.Equal("No se verificó la regla ingreso_minimo: sin valor publicado con fuente para 2025-10: minimum_wage.", result.Findings[0].Message);
        Assert.Equal("No se verificó la regla impuesto_unico: sin valor publicado con fuente para 2025-10: utm.", result.Findings[1].Message);
        Assert.Equal(Recommendation.Review, result.Recommendation);
    }

    [Fact]
    public void Errors_reject_and_warnings_alone_send_to_review()
    {
        var error = Validate(Clean() with { Lines = [.. Clean().Lines.Where(l => l.Code != "AFP"), Line("AFP", -100000m, "AFP Habitat")] });
        Assert.Contains(error.Findings, f => f.Code == FindingCodes.AfpAmountMismatch);
        Assert.Equal(Recommendation.Reject, error.Recommendation);
        Assert.Equal("reject", error.ToLegacyAnswer().Recommendation);
        Assert.InRange(error.Confidence, 0, 49);

        var warning = Validate(Clean() with { Lines = [.. Clean().Lines, Line("TOPE_IMPONIBLE_UF", 84.3m)] });
        Assert.Equal(FindingCodes.TaxableCapLineMismatch, Assert.Single(warning.Findings).Code);
        Assert.Equal(Recommendation.Review, warning.Recommendation);
        Assert.Equal("review", warning.ToLegacyAnswer().Recommendation);
        Assert.Equal(84, warning.Confidence);
        Assert.Single(warning.Warnings);
        Assert.Empty(warning.Errors);
    }

    [Theory]
    [InlineData(1.0, 100)]
    [InlineData(0.5, 93)] // 85 + round(7,5)
    [InlineData(0.0, 85)]
    [InlineData(1.5, 100)] // clamped
    [InlineData(-1.0, 85)]
    public void Approval_confidence_is_85_plus_15_times_the_evidence(double evidence, int confidence) =>
        Assert.Equal(confidence, PayrollConfidence.Of(Recommendation.Approve, [], evidence));

    [Theory]
    [InlineData(1, 1.0, 84)]
    [InlineData(1, 0.7, 81)] // 84 − round(10 × 0,3)
    [InlineData(2, 1.0, 76)] // 84 − 8
    [InlineData(3, 0.5, 63)] // 84 − 16 − 5
    [InlineData(10, 0.0, 50)] // floor of the band
    [InlineData(0, 1.0, 84)] // ceiling of the band
    public void Review_confidence_falls_with_each_warning_and_the_missing_evidence(int warnings, double evidence, int confidence)
    {
        var findings = Enumerable.Range(0, warnings).Select(_ => new PayrollFinding("W", FindingSeverity.Warning, "w", "s")).ToList();
        Assert.Equal(confidence, PayrollConfidence.Of(Recommendation.Review, findings, evidence));
    }

    [Theory]
    [InlineData(1, 0, 49)]
    [InlineData(2, 0, 37)] // 49 − 12
    [InlineData(1, 2, 41)] // 49 − 8
    [InlineData(3, 1, 21)] // 49 − 24 − 4
    [InlineData(6, 0, 0)] // floor of the band
    [InlineData(0, 0, 49)] // ceiling
    public void Reject_confidence_falls_with_each_error_and_warning(int errors, int warnings, int confidence)
    {
        var findings = Enumerable.Range(0, errors).Select(_ => new PayrollFinding("E", FindingSeverity.Error, "e", "s"))
            .Concat(Enumerable.Range(0, warnings).Select(_ => new PayrollFinding("W", FindingSeverity.Warning, "w", "s")))
            .ToList();
        Assert.Equal(confidence, PayrollConfidence.Of(Recommendation.Reject, findings, 1.0));
    }

    [Fact]
    public void Evidence_is_the_share_of_rules_pinned_times_the_share_of_money_on_known_lines()
    {
        // 900.000 of sueldo and 100.000 of an unknown bonus: 90 % of the money on known lines.
        var context = Context(Slip(900000m, Line("BASIC", 900000m), Line("BONO_X", 100000m)), Month());
        context.Checked("a");
        context.Checked("b", CheckQuality.Lenient);
        context.Skip("c", "x");
        context.Skip("c", "y");
        context.Skip("a", "z");
        context.Skip("e", "w");

        // Rules: a exact 1, b lenient ½, c and e skipped 0 (once each; a ran, so its skip does not count):
        // 1,5 / 4 × 0,9 = 0,3375.
        Assert.Equal(0.3375, PayrollConfidence.Evidence(context), 10);

        // Known money: 900.000 sueldo + 50.000 colación + 90.000 AFP = 1.040.000, and a 10.000 loan unknown.
        var known = Context(Slip(900000m, Line("BASIC", 900000m), Line("COL_SOPA", 50000m), Line("AFP", -90000m), Line("PRESTAMO", -10000m)), Month());
        known.Checked("a");
        Assert.Equal(1040000.0 / 1050000.0, PayrollConfidence.Evidence(known), 10);

        // As much unknown money as known: half.
        var half = Context(Slip(500000m, Line("BASIC", 500000m), Line("BONO_X", 500000m)), Month());
        half.Checked("a");
        Assert.Equal(0.5, PayrollConfidence.Evidence(half), 10);

        // No rule ran, or no money on any line: no evidence.
        Assert.Equal(0.0, PayrollConfidence.Evidence(Context(Slip(900000m, Line("BASIC", 900000m)), Month())));
        var empty = Context(Slip(900000m, Line("BASIC", 0m)), Month());
        empty.Checked("a");
        Assert.Equal(0.0, PayrollConfidence.Evidence(empty));
    }

    [Fact]
    public void A_rule_checked_twice_keeps_the_weaker_quality()
    {
        var context = Context(Slip(1m, Line("BASIC", 1m)), Month());
        context.Checked("a", CheckQuality.Lenient);
        context.Checked("a");
        context.Checked("b");
        context.Checked("b", CheckQuality.Lenient);
        context.Checked("c");
        context.Checked("c");
        Assert.Equal(CheckQuality.Lenient, context.Ran["a"]);
        Assert.Equal(CheckQuality.Lenient, context.Ran["b"]);
        Assert.Equal(CheckQuality.Exact, context.Ran["c"]);
    }

    [Fact]
    public void Require_names_every_missing_figure_and_passes_only_with_all()
    {
        var context = Context(Slip(1m, Line("BASIC", 1m)), Month());
        Assert.True(context.Require("r", ("a", 1m), ("b", "x")));
        Assert.True(context.Require("r"));
        Assert.Empty(context.Skipped);
        Assert.False(context.Require("r", ("a", null), ("b", 1m), ("c", null)));
        Assert.Equal(new SkippedRule("r", "sin valor publicado con fuente para 2025-10: a, c"), Assert.Single(context.Skipped));

        var none = Context(Slip(1m, Line("BASIC", 1m)), null);
        Assert.False(none.Require("r"));
        Assert.Equal(new SkippedRule("r", "no hay indicadores del mes"), Assert.Single(none.Skipped));
    }

    [Fact]
    public void Findings_carry_what_the_rule_said()
    {
        var context = Context(Slip(1m, Line("BASIC", 1m)), Month());
        context.Error("E", "error", "ley", 1m, 2m, "L");
        context.Warn("W", "aviso", "ley 2", 3m, 4m, "M");
        context.Note("nota");
        Assert.Equal(new PayrollFinding("E", FindingSeverity.Error, "error", "ley", 1m, 2m, "L"), context.Findings[0]);
        Assert.Equal(new PayrollFinding("W", FindingSeverity.Warning, "aviso", "ley 2", 3m, 4m, "M"), context.Findings[1]);
        Assert.Equal(["nota"], context.Notes);
        Assert.Same(context.Facts, context.Facts);
        Assert.Equal(Period, context.Indicators!.Period);
    }

    [Fact]
    public void The_legacy_answer_lists_errors_and_warnings_as_code_and_message()
    {
        var result = new PayrollValidationResult(
            Recommendation.Reject,
            30,
            [new("E1", FindingSeverity.Error, "uno", "s"), new("W1", FindingSeverity.Warning, "dos", "s"), new("E2", FindingSeverity.Error, "tres", "s")],
            [],
            [],
            []);
        var legacy = result.ToLegacyAnswer();
        Assert.True(legacy.Success);
        Assert.Equal(30, legacy.Confidence);
        Assert.Equal(["E1: uno", "E2: tres"], legacy.Errors);
        Assert.Equal(["W1: dos"], legacy.Warnings);
        Assert.Equal("reject", legacy.Recommendation);
        Assert.Equal("review", (result with { Recommendation = Recommendation.Review }).ToLegacyAnswer().Recommendation);
        Assert.Equal("approve", (result with { Recommendation = Recommendation.Approve }).ToLegacyAnswer().Recommendation);
    }
}
