using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// Ingreso mínimo mensual (CT art. 44; $500.000 in the round month) and gratificación legal (CT art. 50: 25 % of the
/// month's remuneration, capped at 4,75 IMM a year: 4,75 × 500.000 / 12 = 197.916,67 → $197.917 a month).
/// </summary>
public class WageRulesTests
{
    private static RuleContext Minimum(Payslip payslip, MonthlyIndicators? month = null)
    {
        var context = Context(payslip, month ?? Month());
        new MinimumWageRule().Run(context);
        return context;
    }

    private static RuleContext Gratification(Payslip payslip, MonthlyIndicators? month = null)
    {
        var context = Context(payslip, month ?? Month());
        new GratificationRule().Run(context);
        return context;
    }

    private static readonly DateOnly Sixteenth = new(2025, 10, 16);

    [Theory]
    [InlineData(500000)]
    [InlineData(499999)] // a peso of rounding
    [InlineData(900000)]
    public void A_wage_at_or_above_the_minimum_is_right(double wage)
    {
        var amount = (decimal)wage;
        var context = Minimum(Slip(amount, Line("BASIC", amount)));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Exact, context.Ran["ingreso_minimo"]);
    }

    [Fact]
    public void An_agreed_wage_below_the_minimum_is_an_error()
    {
        var context = Minimum(Slip(499998m, Line("BASIC", 100m)));
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.MinimumWageBelow, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(500000m, finding.Expected);
        Assert.Equal(499998m, finding.Actual);
        Assert.Equal("BASIC", finding.Line);
        Assert.Equal(LegalSources.MinimumWage, finding.LegalSource);
        Assert.Equal(
            "El sueldo pactado ($499.998) es menor que el ingreso mínimo mensual de 2025-10 ($500.000, trabajadores de 18 a 65 años con jornada completa).",
            finding.Message);
        Assert.Equal(CheckQuality.Exact, context.Ran["ingreso_minimo"]);
    }

    [Fact]
    public void Without_a_sueldo_base_line_only_the_agreed_wage_is_checked()
    {
        var context = Minimum(Slip(500000m, Line("GRAT_SOPA", 1m)));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Exact, context.Ran["ingreso_minimo"]);
    }

    [Theory]
    [InlineData(499998)]
    [InlineData(1)]
    [InlineData(251000)] // not a whole number of days: 251.000 × 30 / 500.000 = 15,06
    public void A_sueldo_base_below_the_minimum_for_the_days_paid_is_an_error(double basic)
    {
        var amount = (decimal)basic;
        var finding = Assert.Single(Minimum(Slip(500000m, Line("BASIC", amount))).Findings);
        Assert.Equal(FindingCodes.MinimumWageBelow, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(500000m, finding.Expected);
        Assert.Equal(amount, finding.Actual);
        Assert.Equal("BASIC", finding.Line);
        Assert.Equal(LegalSources.MinimumWage, finding.LegalSource);
        Assert.Equal($"El sueldo base pagado ({Money.Clp(amount)}) es menor que el ingreso mínimo proporcional a 30 días ($500.000).", finding.Message);
    }

    [Fact]
    public void A_sueldo_base_of_whole_days_fewer_is_a_proration_warning_not_an_error()
    {
        // 15 days of 500.000: 250.000 (unpaid absences); 250.001 is within a peso of it.
        foreach (var basic in new[] { 250000m, 250001m })
        {
            var finding = Assert.Single(Minimum(Slip(500000m, Line("BASIC", basic))).Findings);
            Assert.Equal(FindingCodes.BasicProrationMismatch, finding.Code);
            Assert.Equal(FindingSeverity.Warning, finding.Severity);
            Assert.Equal(500000m, finding.Expected);
            Assert.Equal(basic, finding.Actual);
            Assert.Equal("BASIC", finding.Line);
            Assert.Equal(LegalSources.MinimumWage, finding.LegalSource);
            Assert.Equal(
                $"El sueldo base ({Money.Clp(basic)}) no es el sueldo pactado ($500.000) por 30/30 días ($500.000) (corresponde a 15 días de sueldo: correcto si hubo ausencias no pagadas).",
                finding.Message);
        }
    }

    [Theory]
    [InlineData(320000)] // 600.000 × 16/30
    [InlineData(320001)]
    [InlineData(309677)] // 600.000 × 16/31 = 309.677,42
    [InlineData(309676)]
    public void A_partial_month_pays_the_wage_for_the_days_by_either_convention(double basic)
    {
        var context = Minimum(Slip(600000m, Line("BASIC", (decimal)basic)) with { DateFrom = Sixteenth });
        Assert.Empty(context.Findings);
    }

    [Fact]
    public void A_partial_month_sueldo_that_is_neither_is_a_warning()
    {
        // 16 days from the 16th: 600.000 × 16/30 = 320.000; 310.500 is neither that nor 309.677 and no whole day count.
        var finding = Assert.Single(Minimum(Slip(600000m, Line("BASIC", 310500m)) with { DateFrom = Sixteenth }).Findings);
        Assert.Equal(FindingCodes.BasicProrationMismatch, finding.Code);
        Assert.Equal(320000m, finding.Expected);
        Assert.Equal("El sueldo base ($310.500) no es el sueldo pactado ($600.000) por 16/30 días ($320.000).", finding.Message);

        // 15 days of 600.000 = 300.000: fewer whole days than the 16 paid, said so.
        var days = Assert.Single(Minimum(Slip(600000m, Line("BASIC", 300000m)) with { DateFrom = Sixteenth }).Findings);
        Assert.EndsWith("por 16/30 días ($320.000) (corresponde a 15 días de sueldo: correcto si hubo ausencias no pagadas).", days.Message, StringComparison.Ordinal);

        // 330.000 is 16,5 days of the wage, rounded to 17: not fewer days than those paid, so no day count is suggested.
        Assert.DoesNotContain("corresponde a", Assert.Single(Minimum(Slip(600000m, Line("BASIC", 330000m)) with { DateFrom = Sixteenth }).Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_minimum_for_a_partial_month_is_the_lower_of_the_two_conventions()
    {
        // 16 days: 500.000 × 16/31 = 258.064,52 → 258.065 (lower than 16/30 = 266.667).
        var below = Assert.Single(Minimum(Slip(500000m, Line("BASIC", 258063m)) with { DateFrom = Sixteenth }).Findings);
        Assert.Equal(FindingCodes.MinimumWageBelow, below.Code);
        Assert.Equal(258065m, below.Expected);
        Assert.Equal("El sueldo base pagado ($258.063) es menor que el ingreso mínimo proporcional a 16 días ($258.065).", below.Message);
        Assert.DoesNotContain(Minimum(Slip(500000m, Line("BASIC", 258064m)) with { DateFrom = Sixteenth }).Findings, f => f.Code == FindingCodes.MinimumWageBelow);
    }

    [Fact]
    public void Without_the_minimum_wage_the_rule_is_skipped()
    {
        var context = Minimum(Slip(1m, Line("BASIC", 1m)), Month() with { MinimumWage = null });
        Assert.Empty(context.Findings);
        Assert.Empty(context.Ran);
        Assert.Equal("ingreso_minimo", Assert.Single(context.Skipped).Rule);
        Assert.Equal("sin valor publicado con fuente para 2025-10: minimum_wage", context.Skipped[0].Reason);
    }

    [Theory]
    [InlineData(150000)] // 25 % of 600.000
    [InlineData(150001)]
    [InlineData(149999)]
    public void The_gratification_is_a_quarter_of_the_remuneration(double paid)
    {
        var context = Gratification(Slip(500000m, Line("BASIC", 500000m), Line("HEX_SOPA", 60000m), Line("BONUS_SOPA", 40000m), Line("GRAT_SOPA", (decimal)paid), Line("COL_SOPA", 99999m)));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Exact, context.Ran["gratificacion_legal"]);
    }

    [Fact]
    public void A_gratification_below_the_legal_one_is_an_error()
    {
        var finding = Assert.Single(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("GRAT_SOPA", 149998m))).Findings);
        Assert.Equal(FindingCodes.GratificationBelowLegal, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(150000m, finding.Expected);
        Assert.Equal(149998m, finding.Actual);
        Assert.Equal("GRAT_SOPA", finding.Line);
        Assert.Equal(LegalSources.Gratification, finding.LegalSource);
        Assert.Equal(
            "La gratificación ($149.998) es menor que la legal del art. 50 ($150.000: 25 % de $600.000 = $150.000, tope 4,75 × $500.000 / 12 = $197.917).",
            finding.Message);
    }

    [Fact]
    public void A_gratification_above_the_legal_one_is_a_warning()
    {
        var finding = Assert.Single(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("GRAT_SOPA", 150002m))).Findings);
        Assert.Equal(FindingCodes.GratificationAboveLegal, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(150000m, finding.Expected);
        Assert.Equal(150002m, finding.Actual);
        Assert.Equal("GRAT_SOPA", finding.Line);
        Assert.Equal(LegalSources.Gratification, finding.LegalSource);
        Assert.Equal(
            "La gratificación ($150.002) supera la legal del art. 50 ($150.000: 25 % de $600.000 = $150.000, tope 4,75 × $500.000 / 12 = $197.917); es válida solo si se pactó una mayor.",
            finding.Message);
    }

    [Fact]
    public void Above_the_cap_the_gratification_is_the_cap()
    {
        // 25 % of 2.000.000 = 500.000, capped at 197.917.
        Assert.Empty(Gratification(Slip(2000000m, Line("BASIC", 2000000m), Line("GRAT_SOPA", 197917m))).Findings);
        Assert.Empty(Gratification(Slip(2000000m, Line("BASIC", 2000000m), Line("GRAT_SOPA", 197916m))).Findings);
        var below = Assert.Single(Gratification(Slip(2000000m, Line("BASIC", 2000000m), Line("GRAT_SOPA", 197915m))).Findings);
        Assert.Equal(FindingCodes.GratificationBelowLegal, below.Code);
        Assert.Equal(197917m, below.Expected);
        var above = Assert.Single(Gratification(Slip(2000000m, Line("BASIC", 2000000m), Line("GRAT_SOPA", 197919m))).Findings);
        Assert.Equal(FindingCodes.GratificationAboveLegal, above.Code);
        Assert.Equal(197917m, above.Expected);

        // The cap follows the month's minimum wage: IMM 600.000 → 4,75 × 600.000 / 12 = 237.500.
        Assert.Empty(Gratification(Slip(2000000m, Line("BASIC", 2000000m), Line("GRAT_SOPA", 237500m)), Month() with { MinimumWage = S(600000m) }).Findings);
    }

    [Fact]
    public void A_partial_month_accepts_the_cap_in_proportion_to_the_days()
    {
        // 16 days: 197.917 × 16/30 = 105.555,73 → 105.556 is the lowest accepted; the whole cap, 197.917, the highest.
        var slip = Slip(1000000m, Line("BASIC", 1000000m), Line("GRAT_SOPA", 105556m)) with { DateFrom = Sixteenth };
        Assert.Empty(Gratification(slip).Findings);
        Assert.Empty(Gratification(slip with { Lines = [Line("BASIC", 1000000m), Line("GRAT_SOPA", 197917m)] }).Findings);
        var below = Assert.Single(Gratification(slip with { Lines = [Line("BASIC", 1000000m), Line("GRAT_SOPA", 105554m)] }).Findings);
        Assert.Equal(FindingCodes.GratificationBelowLegal, below.Code);
        Assert.Equal(197917m, below.Expected);
        Assert.Equal(FindingCodes.GratificationAboveLegal, Assert.Single(Gratification(slip with { Lines = [Line("BASIC", 1000000m), Line("GRAT_SOPA", 197919m)] }).Findings).Code);

        // A whole month has no proportional cap: 105.556 is below.
        Assert.Equal(FindingCodes.GratificationBelowLegal, Assert.Single(Gratification(slip with { DateFrom = null }).Findings).Code);
    }

    [Fact]
    public void A_gratification_that_counts_unknown_earnings_is_accepted()
    {
        // 600.000 of sueldo and a 100.000 bonus the engine does not know: 25 % × 700.000 = 175.000.
        var context = Gratification(Slip(600000m, Line("BASIC", 600000m), Line("BONO_X", 100000m), Line("GRAT_SOPA", 175000m)));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Lenient, context.Ran["gratificacion_legal"]);
        Assert.Empty(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("BONO_X", 100000m), Line("GRAT_SOPA", 175001m))).Findings);
        Assert.Equal(
            FindingCodes.GratificationAboveLegal,
            Assert.Single(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("BONO_X", 100000m), Line("GRAT_SOPA", 175002m))).Findings).Code);

        // 25 % of the known remuneration alone, or a peso above it, is no excess either.
        Assert.Empty(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("BONO_X", 100000m), Line("GRAT_SOPA", 150000m))).Findings);
        Assert.Empty(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("BONO_X", 100000m), Line("GRAT_SOPA", 150001m))).Findings);

        // With many unknown earnings, still no more than the cap: 25 % × 1.600.000 = 400.000 → 197.917.
        Assert.Equal(
            FindingCodes.GratificationAboveLegal,
            Assert.Single(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("BONO_X", 1000000m), Line("GRAT_SOPA", 400000m))).Findings).Code);
    }

    [Fact]
    public void No_gratification_line_or_a_zero_one_is_not_checked()
    {
        Assert.Empty(Gratification(Slip(600000m, Line("BASIC", 600000m))).Ran);
        Assert.Empty(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("GRAT_SOPA", 0m))).Ran);
        Assert.Empty(Gratification(Slip(600000m, Line("BASIC", 600000m), Line("GRAT_SOPA", 0m)), Month() with { MinimumWage = null }).Skipped);
    }

    [Fact]
    public void Without_the_minimum_wage_the_gratification_is_skipped()
    {
        var context = Gratification(Slip(600000m, Line("BASIC", 600000m), Line("GRAT_SOPA", 1m)), Month() with { MinimumWage = null });
        Assert.Empty(context.Findings);
        Assert.Empty(context.Ran);
        var skipped = Assert.Single(context.Skipped);
        Assert.Equal("gratificacion_legal", skipped.Rule);
        Assert.Equal("sin valor publicado con fuente para 2025-10: minimum_wage", skipped.Reason);
    }
}
