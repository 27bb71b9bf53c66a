using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>The topes imponibles in CLP (DL 3.500 art. 16; Ley 19.728 art. 6) and the total imponible (CT art. 41).</summary>
public class TaxablePayRulesTests
{
    private static RuleContext Caps(Payslip payslip, MonthlyIndicators? month)
    {
        var context = Context(payslip, month);
        new TaxableCapRule().Run(context);
        return context;
    }

    private static RuleContext Total(Payslip payslip, MonthlyIndicators? month = null)
    {
        var context = Caps(payslip, month ?? Month());
        new TaxableTotalRule().Run(context);
        return context;
    }

    [Fact]
    public void The_caps_are_the_uf_of_the_last_day_times_each_cap_in_uf()
    {
        // 80 UF × $40.000 = $3.200.000 (AFP and health); 120 UF × $40.000 = $4.800.000 (cesantía).
        var context = Caps(Slip(1000000m, Line("BASIC", 1000000m)), Month());
        Assert.Equal(3200000m, context.PensionCap);
        Assert.Equal(4800000m, context.UnemploymentCap);
        Assert.Equal(CheckQuality.Exact, context.Ran["tope_imponible"]);
        Assert.Equal(CheckQuality.Exact, context.Ran["tope_imponible_cesantia"]);
        Assert.Empty(context.Findings);
        Assert.Empty(context.Skipped);
    }

    [Fact]
    public void The_caps_are_rounded_to_whole_pesos()
    {
        // October 2025 as published: 87,8 UF × $39.597,67 = $3.476.675,43 → $3.476.675; 131,9 × 39.597,67 = $5.222.932,67 → $5.222.933.
        var month = Month() with { UfLastDay = S(39597.67m), TaxableCapPensionUf = S(87.8m), TaxableCapUnemploymentUf = S(131.9m) };
        var context = Caps(Slip(1000000m, Line("BASIC", 1000000m)), month);
        Assert.Equal(3476675m, context.PensionCap);
        Assert.Equal(5222933m, context.UnemploymentCap);
    }

    [Fact]
    public void Without_the_uf_neither_cap_is_computed_and_both_say_why()
    {
        var context = Caps(Slip(1000000m, Line("BASIC", 1000000m)), Month() with { UfLastDay = null });
        Assert.Null(context.PensionCap);
        Assert.Null(context.UnemploymentCap);
        Assert.Empty(context.Ran);
        Assert.Equal(["tope_imponible", "tope_imponible_cesantia"], context.Skipped.Select(s => s.Rule));
        Assert.All(context.Skipped, s => Assert.Equal("sin valor publicado con fuente para 2025-10: uf_last_day", s.Reason));
    }

    [Fact]
    public void Each_cap_needs_only_its_own_figure()
    {
        var noPension = Caps(Slip(1000000m, Line("BASIC", 1000000m)), Month() with { TaxableCapPensionUf = null });
        Assert.Null(noPension.PensionCap);
        Assert.Equal(4800000m, noPension.UnemploymentCap);
        var skipped = Assert.Single(noPension.Skipped);
        Assert.Equal("tope_imponible", skipped.Rule);
        Assert.EndsWith(": taxable_cap_pension_uf", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(["tope_imponible_cesantia"], noPension.Ran.Keys);

        var noUnemployment = Caps(Slip(1000000m, Line("BASIC", 1000000m)), Month() with { TaxableCapUnemploymentUf = null });
        Assert.Equal(3200000m, noUnemployment.PensionCap);
        Assert.Null(noUnemployment.UnemploymentCap);
        Assert.Equal("tope_imponible_cesantia", Assert.Single(noUnemployment.Skipped).Rule);
        Assert.EndsWith(": taxable_cap_unemployment_uf", noUnemployment.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Equal(["tope_imponible"], noUnemployment.Ran.Keys);
    }

    [Fact]
    public void Without_the_month_the_caps_are_skipped()
    {
        var context = Caps(Slip(1000000m, Line("BASIC", 1000000m)), null);
        Assert.Null(context.PensionCap);
        Assert.Equal(2, context.Skipped.Count);
        Assert.All(context.Skipped, s => Assert.Equal("no hay indicadores del mes", s.Reason));
    }

    [Theory]
    [InlineData(80)] // the cap in UF
    [InlineData(80.01)] // within 0,01 UF
    [InlineData(79.99)]
    [InlineData(-80)] // the sign does not matter
    [InlineData(3200000)] // the cap in CLP
    [InlineData(3200001)] // one peso of rounding
    [InlineData(3199999)]
    public void The_cap_line_may_say_the_cap_in_uf_or_in_pesos(double line)
    {
        var context = Caps(Slip(1000000m, Line("BASIC", 1000000m), Line("TOPE_IMPONIBLE_UF", (decimal)line)), Month());
        Assert.Empty(context.Findings);
    }

    [Theory]
    [InlineData(80.02)]
    [InlineData(79.98)]
    [InlineData(3200002)]
    [InlineData(3199998)]
    [InlineData(84.3)] // last year's cap
    public void A_cap_line_that_is_neither_is_a_warning(double line)
    {
        var value = (decimal)line;
        var context = Caps(Slip(1000000m, Line("BASIC", 1000000m), Line("TOPE_IMPONIBLE_UF", value)), Month());
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.TaxableCapLineMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(3200000m, finding.Expected);
        Assert.Equal(value, finding.Actual);
        Assert.Equal("TOPE_IMPONIBLE_UF", finding.Line);
        Assert.Equal(LegalSources.PensionCap, finding.LegalSource);
        Assert.Equal($"La línea TOPE_IMPONIBLE_UF dice {Money.Units(value)}; el tope de 2025-10 es 80 UF = $3.200.000.", finding.Message);
    }

    [Fact]
    public void The_cap_line_message_writes_amounts_the_chilean_way()
    {
        var context = Caps(Slip(1000000m, Line("BASIC", 1000000m), Line("TOPE_IMPONIBLE_UF", 3476675m)), Month());
        Assert.Equal("La línea TOPE_IMPONIBLE_UF dice 3.476.675; el tope de 2025-10 es 80 UF = $3.200.000.", Assert.Single(context.Findings).Message);
    }

    [Fact]
    public void Without_a_reported_total_the_sum_of_the_remuneration_lines_is_used()
    {
        // 800.000 + 200.000 + 50.000 + 30.000 = 1.080.000; colación and movilización are not remuneration.
        var context = Total(Slip(
            800000m,
            Line("BASIC", 800000m),
            Line("GRAT_SOPA", 200000m),
            Line("HEX_SOPA", 50000m),
            Line("BONUS_SOPA", 30000m),
            Line("COL_SOPA", 40000m),
            Line("MOV_SOPA", 30000m)));
        Assert.Equal(1080000m, context.TaxablePay);
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Lenient, context.Ran["total_imponible"]);
        Assert.Equal("La liquidación no informa total imponible; se usó la suma de los haberes imponibles ($1.080.000).", Assert.Single(context.Notes));
    }

    [Theory]
    [InlineData(1000000)]
    [InlineData(1000001)]
    [InlineData(999999)]
    public void A_total_equal_to_the_sum_within_a_peso_is_right(double total)
    {
        var context = Total(Slip(1000000m, Line("BASIC", 1000000m)) with { TotalImponible = (decimal)total });
        Assert.Empty(context.Findings);
        Assert.Empty(context.Notes);
        Assert.Equal(1000000m, context.TaxablePay);
        Assert.Equal(CheckQuality.Exact, context.Ran["total_imponible"]);
    }

    [Theory]
    [InlineData(1000002)]
    [InlineData(999998)]
    public void A_total_two_pesos_off_the_sum_is_an_error(double total)
    {
        var reported = (decimal)total;
        var context = Total(Slip(1000000m, Line("BASIC", 1000000m)) with { TotalImponible = reported });
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.TaxableTotalMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(1000000m, finding.Expected);
        Assert.Equal(reported, finding.Actual);
        Assert.Equal("TOTAL_IMPONIBLE", finding.Line);
        Assert.Equal(LegalSources.NonTaxable, finding.LegalSource);
        Assert.Equal(
            $"El total imponible ({Money.Clp(reported)}) no es la suma de sueldo base, gratificación, horas extra y bonos ($1.000.000).",
            finding.Message);
        Assert.Equal(CheckQuality.Exact, context.Ran["total_imponible"]);
        Assert.Equal(1000000m, context.TaxablePay);
    }

    [Fact]
    public void A_total_line_is_read_when_the_body_has_no_total_and_the_body_wins_over_the_lines()
    {
        // TOTAL_IMPONIBLE line first, HABERES_IMPONIBLES second; the body's total_imponible over both.
        var basic = Line("BASIC", 1000000m);
        Assert.Equal(FindingCodes.TaxableTotalMismatch, Assert.Single(Total(Slip(1000000m, basic, Line("TOTAL_IMPONIBLE", 900000m))).Findings).Code);
        Assert.Equal(900000m, Total(Slip(1000000m, basic, Line("HABERES_IMPONIBLES", 900000m))).Findings[0].Actual);
        Assert.Empty(Total(Slip(1000000m, basic, Line("TOTAL_IMPONIBLE", 1000000m), Line("HABERES_IMPONIBLES", 900000m))).Findings);
        Assert.Equal(900000m, Total(Slip(1000000m, basic, Line("TOTAL_IMPONIBLE", 900000m), Line("HABERES_IMPONIBLES", 1000000m))).Findings[0].Actual);
        Assert.Empty(Total(Slip(1000000m, basic, Line("TOTAL_IMPONIBLE", 900000m)) with { TotalImponible = 1000000m }).Findings);
        Assert.Empty(Total(Slip(1000000m, basic, Line("HABERES_IMPONIBLES", 900000m)) with { TotalImponible = 1000000m }).Findings);
    }

    [Fact]
    public void Above_the_cap_a_total_that_is_the_cap_is_right()
    {
        // 4.000.000 of pay, cap 80 UF × 40.000 = 3.200.000: a total imponible of 3.200.000 (or 3.200.001) is the capped one.
        var slip = Slip(4000000m, Line("BASIC", 4000000m));
        Assert.Empty(Total(slip with { TotalImponible = 3200000m }).Findings);
        Assert.Empty(Total(slip with { TotalImponible = 3200001m }).Findings);
        Assert.Equal(4000000m, Total(slip with { TotalImponible = 3200000m }).TaxablePay);
        Assert.Equal(FindingCodes.TaxableTotalMismatch, Assert.Single(Total(slip with { TotalImponible = 3200002m }).Findings).Code);

        // Below the cap, the cap is no excuse; and without the cap's figures it is not accepted either.
        Assert.Equal(FindingCodes.TaxableTotalMismatch, Assert.Single(Total(Slip(3000000m, Line("BASIC", 3000000m)) with { TotalImponible = 3200000m }).Findings).Code);
        Assert.Equal(FindingCodes.TaxableTotalMismatch, Assert.Single(Total(slip with { TotalImponible = 3200000m }, Month() with { TaxableCapPensionUf = null }).Findings).Code);
    }

    [Fact]
    public void A_total_that_adds_the_allowances_is_that_error()
    {
        // 1.000.000 of sueldo + 50.000 colación + 40.000 movilización + 20.000 asignación familiar: 1.110.000 is wrong.
        var slip = Slip(1000000m, Line("BASIC", 1000000m), Line("COL_SOPA", 50000m), Line("MOV_SOPA", 40000m), Line("ASIGFAM_SOPA", 20000m));
        foreach (var total in new[] { 1110000m, 1110001m, 1109999m })
        {
            var finding = Assert.Single(Total(slip with { TotalImponible = total }).Findings);
            Assert.Equal(FindingCodes.NonTaxableInTaxableBase, finding.Code);
            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Equal(1000000m, finding.Expected);
            Assert.Equal(total, finding.Actual);
            Assert.Equal("TOTAL_IMPONIBLE", finding.Line);
            Assert.Equal(LegalSources.NonTaxable, finding.LegalSource);
            Assert.Equal(
                $"El total imponible ({Money.Clp(total)}) incluye colación, movilización o asignación familiar ($110.000); lo imponible es $1.000.000.",
                finding.Message);
        }

        Assert.Equal(FindingCodes.TaxableTotalMismatch, Assert.Single(Total(slip with { TotalImponible = 1110002m }).Findings).Code);

        // The pay less the allowances (890.000) is a plain mismatch, not the allowance error.
        Assert.Equal(FindingCodes.TaxableTotalMismatch, Assert.Single(Total(slip with { TotalImponible = 890000m }).Findings).Code);
    }

    [Fact]
    public void A_total_that_adds_the_allowances_and_the_unknown_lines_is_the_allowance_error()
    {
        // 1.000.000 + 50.000 colación + 70.000 of an unknown bonus = 1.120.000.
        var slip = Slip(1000000m, Line("BASIC", 1000000m), Line("COL_SOPA", 50000m), Line("BONO_X", 70000m));
        var context = Total(slip with { TotalImponible = 1120000m });
        Assert.Equal(FindingCodes.NonTaxableInTaxableBase, Assert.Single(context.Findings).Code);
        Assert.Equal(1000000m, context.TaxablePay);
        Assert.Equal(CheckQuality.Exact, context.Ran["total_imponible"]);

        // 1.070.000 is the pay plus the unknown bonus: taken as imponible, not an allowance error.
        var unknown = Total(slip with { TotalImponible = 1070000m });
        Assert.Empty(unknown.Findings);
        Assert.Equal(1070000m, unknown.TaxablePay);
    }

    [Theory]
    [InlineData(1070000)] // every unknown line
    [InlineData(1030000)] // part of them
    [InlineData(1070001)]
    public void A_total_between_the_sum_and_the_sum_plus_the_unknown_lines_is_taken_as_taxable(double total)
    {
        var reported = (decimal)total;
        var context = Total(Slip(1000000m, Line("BASIC", 1000000m), Line("BONO_X", 70000m)) with { TotalImponible = reported });
        Assert.Empty(context.Findings);
        Assert.Equal(reported, context.TaxablePay);
        Assert.Equal(CheckQuality.Lenient, context.Ran["total_imponible"]);
        Assert.Equal(
            $"El total imponible incluye {Money.Clp(reported - 1000000m)} de líneas con códigos que el motor no conoce; se tomaron como imponibles.",
            Assert.Single(context.Notes));
    }

    [Fact]
    public void A_total_above_the_sum_plus_the_unknown_lines_is_an_error()
    {
        var context = Total(Slip(1000000m, Line("BASIC", 1000000m), Line("BONO_X", 70000m)) with { TotalImponible = 1070002m });
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.TaxableTotalMismatch, finding.Code);
        Assert.Equal(1000000m, context.TaxablePay);

        // Unknown deductions are no unknown earnings.
        var deduction = Total(Slip(1000000m, Line("BASIC", 1000000m), Line("PRESTAMO", -70000m)) with { TotalImponible = 1030000m });
        Assert.Equal(FindingCodes.TaxableTotalMismatch, Assert.Single(deduction.Findings).Code);
    }
}
