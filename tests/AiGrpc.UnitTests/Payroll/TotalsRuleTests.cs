using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// The liquidación adds up (Código del Trabajo art. 54): haberes, descuentos, líquido = haberes − descuentos, and each
/// subtotal line repeats its total. The payslip below: sueldo 1.000.000 + colación 50.000 = 1.050.000 of known
/// haberes; AFP 112.700 + salud 70.000 + cesantía 6.000 = 188.700 of known descuentos; líquido 861.300.
/// </summary>
public class TotalsRuleTests
{
    private static readonly PayslipLine[] Known =
    [
        Line("BASIC", 1000000m), Line("COL_SOPA", 50000m), Line("AFP", -112700m), Line("SALUD", -70000m), Line("AFC", -6000m),
    ];

    private static Payslip Sheet(decimal? haberes, decimal? descuentos, decimal? liquido, params PayslipLine[] extra) =>
        Slip(1000000m, [.. Known, .. extra]) with { TotalHaberes = haberes, TotalDescuentos = descuentos, TotalLiquido = liquido };

    private static RuleContext Run(Payslip payslip, decimal? taxablePay = null)
    {
        var context = Context(payslip, Month());
        context.TaxablePay = taxablePay ?? context.Facts.TaxablePay;
        new TotalsRule().Run(context);
        return context;
    }

    private static PayrollFinding Single(Payslip payslip, string code)
    {
        var finding = Assert.Single(Run(payslip).Findings);
        Assert.Equal(code, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(LegalSources.Liquidation, finding.LegalSource);
        return finding;
    }

    [Fact]
    public void A_liquidacion_that_adds_up_is_right_and_exact()
    {
        var context = Run(Sheet(1050000m, 188700m, 861300m));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Exact, context.Ran["totales"]);

        // Descuentos may be sent negative; a peso of rounding either way is accepted.
        Assert.Empty(Run(Sheet(1050000m, -188700m, 861300m)).Findings);
        Assert.Empty(Run(Sheet(1050001m, 188699m, 861302m)).Findings);
        Assert.Empty(Run(Sheet(1049999m, 188701m, 861298m)).Findings);
    }

    [Fact]
    public void Nothing_is_compared_with_a_total_that_is_not_sent()
    {
        var context = Run(Sheet(null, null, null));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Exact, context.Ran["totales"]);
    }

    [Theory]
    [InlineData(1049998)]
    [InlineData(1050002)]
    public void Haberes_that_are_not_the_earning_lines_are_an_error(double haberes)
    {
        var total = (decimal)haberes;
        var finding = Single(Sheet(total, null, null), FindingCodes.HaberesTotalMismatch);
        Assert.Equal(1050000m, finding.Expected);
        Assert.Equal(total, finding.Actual);
        Assert.Equal("TOTAL_HABERES", finding.Line);
        Assert.Equal($"El total de haberes ({Money.Clp(total)}) no es la suma de los haberes ($1.050.000).", finding.Message);
    }

    [Theory]
    [InlineData(1050000)] // without the unknown bonus
    [InlineData(1080000)] // with it
    [InlineData(1080001)]
    [InlineData(1049999)]
    public void Haberes_may_or_may_not_include_unknown_earnings(double haberes)
    {
        var context = Run(Sheet((decimal)haberes, null, null, Line("BONO_X", 30000m)));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Lenient, context.Ran["totales"]);
    }

    [Theory]
    [InlineData(1080002)]
    [InlineData(1049998)]
    public void Haberes_outside_the_known_and_unknown_earnings_are_an_error_that_names_both(double haberes)
    {
        var total = (decimal)haberes;
        var finding = Single(Sheet(total, null, null, Line("BONO_X", 30000m)), FindingCodes.HaberesTotalMismatch);
        Assert.Equal(1050000m, finding.Expected);
        Assert.Equal(
            $"El total de haberes ({Money.Clp(total)}) no es la suma de los haberes ($1.050.000; con otros haberes no reconocidos, $30.000 más).",
            finding.Message);
    }

    [Theory]
    [InlineData(188698)]
    [InlineData(188702)]
    [InlineData(-188702)]
    public void Descuentos_that_are_not_the_deduction_lines_are_an_error(double descuentos)
    {
        var total = (decimal)descuentos;
        var finding = Single(Sheet(null, total, null), FindingCodes.DescuentosTotalMismatch);
        Assert.Equal(188700m, finding.Expected);
        Assert.Equal(Math.Abs(total), finding.Actual);
        Assert.Equal("TOTAL_DESCUENTOS", finding.Line);
        Assert.Equal($"El total de descuentos ({Money.Clp(Math.Abs(total))}) no es la suma de los descuentos ($188.700).", finding.Message);
    }

    [Theory]
    [InlineData(188700)]
    [InlineData(208700)] // with the loan
    [InlineData(208701)]
    [InlineData(-208700)]
    public void Descuentos_may_or_may_not_include_unknown_deductions(double descuentos)
    {
        var context = Run(Sheet(null, (decimal)descuentos, null, Line("PRESTAMO", -20000m)));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Lenient, context.Ran["totales"]);
    }

    [Fact]
    public void Descuentos_outside_the_known_and_unknown_deductions_are_an_error_that_names_both()
    {
        var finding = Single(Sheet(null, 208702m, null, Line("PRESTAMO", -20000m)), FindingCodes.DescuentosTotalMismatch);
        Assert.Equal(
            "El total de descuentos ($208.702) no es la suma de los descuentos ($188.700; con otros descuentos no reconocidos, $20.000 más).",
            finding.Message);
        Assert.Equal(FindingCodes.DescuentosTotalMismatch, Single(Sheet(null, 188698m, null, Line("PRESTAMO", -20000m)), FindingCodes.DescuentosTotalMismatch).Code);
    }

    [Theory]
    [InlineData(861302)]
    [InlineData(861298)]
    public void A_liquido_that_is_not_haberes_minus_descuentos_is_an_error(double liquido)
    {
        var net = (decimal)liquido;
        var finding = Single(Sheet(1050000m, -188700m, net), FindingCodes.TotalsMismatch);
        Assert.Equal(861300m, finding.Expected);
        Assert.Equal(net, finding.Actual);
        Assert.Equal("NET", finding.Line);
        Assert.Equal($"Haberes $1.050.000 − descuentos $188.700 = $861.300, pero el líquido informado es {Money.Clp(net)}.", finding.Message);
    }

    [Fact]
    public void The_liquido_is_compared_only_when_both_totals_are_sent()
    {
        Assert.Empty(Run(Sheet(1050000m, null, 1m)).Findings);
        Assert.Empty(Run(Sheet(null, 188700m, 1m)).Findings);
    }

    [Fact]
    public void A_negative_liquido_is_an_error()
    {
        // Deductions of 1.100.000 against 1.050.000 of haberes: líquido −50.000, sent or worked out.
        var extra = Line("PRESTAMO", -911300m);
        var sent = Run(Sheet(1050000m, 1100000m, -50000m, extra));
        var finding = Assert.Single(sent.Findings);
        Assert.Equal(FindingCodes.NegativeNetPay, finding.Code);
        Assert.Equal(0m, finding.Expected);
        Assert.Equal(-50000m, finding.Actual);
        Assert.Equal("NET", finding.Line);
        Assert.Equal("El líquido a pagar es negativo (-$50.000): los descuentos superan los haberes.", finding.Message);

        var worked = Assert.Single(Run(Sheet(1050000m, 1100000m, null, extra)).Findings);
        Assert.Equal(FindingCodes.NegativeNetPay, worked.Code);
        Assert.Equal(-50000m, worked.Actual);

        // Only the líquido sent: it is the net.
        Assert.Equal(-1m, Assert.Single(Run(Sheet(null, null, -1m)).Findings).Actual);

        // Zero is not negative.
        Assert.Empty(Run(Sheet(1050000m, 1050000m, 0m, Line("PRESTAMO", -861300m))).Findings);
        Assert.Empty(Run(Sheet(null, null, 0m)).Findings);
    }

    [Theory]
    [InlineData("TOTAL_HABERES", 1050000, false)]
    [InlineData("TOTAL_HABERES", 1050001, false)]
    [InlineData("TOTAL_HABERES", 1050002, true)]
    [InlineData("TOTAL_HABERES", 1049998, true)]
    [InlineData("TOTAL_DESCUENTOS", -188700, false)]
    [InlineData("TOTAL_DESCUENTOS", 188700, false)]
    [InlineData("TOTAL_DESCUENTOS", 188701, false)]
    [InlineData("TOTAL_DESCUENTOS", -188702, true)]
    [InlineData("NET", 861300, false)]
    [InlineData("NET", 861299, false)]
    [InlineData("NET", 861302, true)]
    [InlineData("NET", -861300, true)]
    public void A_subtotal_line_repeats_its_total(string code, double value, bool wrong)
    {
        var line = (decimal)value;
        var context = Run(Sheet(1050000m, 188700m, 861300m, Line(code, line)));
        if (!wrong)
        {
            Assert.Empty(context.Findings);
            return;
        }

        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.SubtotalLineMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(LegalSources.Liquidation, finding.LegalSource);
        Assert.Equal(code, finding.Line);
        Assert.Equal(line, finding.Actual);
        var expected = code switch { "TOTAL_HABERES" => 1050000m, "TOTAL_DESCUENTOS" => 188700m, _ => 861300m };
        Assert.Equal(expected, finding.Expected);
        Assert.Equal($"La línea {code} ({Money.Clp(line)}) no coincide con el total que representa ({Money.Clp(expected)}).", finding.Message);
    }

    [Fact]
    public void A_subtotal_line_without_its_total_is_not_compared()
    {
        Assert.Empty(Run(Sheet(null, null, null, Line("TOTAL_HABERES", 5m), Line("TOTAL_DESCUENTOS", 5m), Line("NET", 5m), Line("TOTAL_IMPONIBLE", 5m))).Findings);
    }

    [Fact]
    public void The_total_imponible_line_repeats_the_total_imponible()
    {
        var slip = Sheet(null, null, null, Line("TOTAL_IMPONIBLE", 1000000m)) with { TotalImponible = 1000000m };
        Assert.Empty(Run(slip).Findings);
        Assert.Empty(Run(slip with { TotalImponible = 1000001m }).Findings);
        var finding = Assert.Single(Run(slip with { TotalImponible = 999998m }).Findings);
        Assert.Equal(FindingCodes.SubtotalLineMismatch, finding.Code);
        Assert.Equal(999998m, finding.Expected);
        Assert.Equal(1000000m, finding.Actual);
        Assert.Equal("TOTAL_IMPONIBLE", finding.Line);
    }

    [Fact]
    public void The_taxable_earnings_line_is_the_total_imponible_the_taxable_lines_or_the_taxable_pay_used()
    {
        // Sum of the taxable lines: 1.000.000.
        Assert.Empty(Run(Sheet(null, null, null, Line("HABERES_IMPONIBLES", 1000000m))).Findings);

        // The body's total imponible (the capped 3.200.000 of a larger pay, say), or the pay the rules used.
        Assert.Empty(Run(Sheet(null, null, null, Line("HABERES_IMPONIBLES", 3200000m)) with { TotalImponible = 3200000m }).Findings);
        Assert.Empty(Run(Sheet(null, null, null, Line("HABERES_IMPONIBLES", 1030000m)), taxablePay: 1030000m).Findings);

        var finding = Assert.Single(Run(Sheet(null, null, null, Line("HABERES_IMPONIBLES", 1030000m))).Findings);
        Assert.Equal(FindingCodes.SubtotalLineMismatch, finding.Code);
        Assert.Equal(1000000m, finding.Expected);

        // The first total it stands for is the one named: the body's total imponible.
        var named = Assert.Single(Run(Sheet(null, null, null, Line("HABERES_IMPONIBLES", 5m)) with { TotalImponible = 3200000m }).Findings);
        Assert.Equal(3200000m, named.Expected);
    }

    [Fact]
    public void The_non_taxable_earnings_line_is_the_allowances_plus_at_most_the_unknown_earnings()
    {
        // Colación 50.000; an unknown bonus of 30.000 may be in it.
        Assert.Empty(Run(Sheet(null, null, null, Line("HABERES_NO_IMPONIBLES", 50000m))).Findings);
        Assert.Empty(Run(Sheet(null, null, null, Line("HABERES_NO_IMPONIBLES", 80000m), Line("BONO_X", 30000m))).Findings);
        Assert.Empty(Run(Sheet(null, null, null, Line("HABERES_NO_IMPONIBLES", 80001m), Line("BONO_X", 30000m))).Findings);

        var over = Assert.Single(Run(Sheet(null, null, null, Line("HABERES_NO_IMPONIBLES", 80002m), Line("BONO_X", 30000m))).Findings);
        Assert.Equal(FindingCodes.SubtotalLineMismatch, over.Code);
        Assert.Equal(50000m, over.Expected);
        Assert.Equal(FindingCodes.SubtotalLineMismatch, Assert.Single(Run(Sheet(null, null, null, Line("HABERES_NO_IMPONIBLES", 80000m))).Findings).Code);
        Assert.Equal(FindingCodes.SubtotalLineMismatch, Assert.Single(Run(Sheet(null, null, null, Line("HABERES_NO_IMPONIBLES", 49998m))).Findings).Code);
    }
}
