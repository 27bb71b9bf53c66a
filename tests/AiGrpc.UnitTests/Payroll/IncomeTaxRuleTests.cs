using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// Impuesto único (LIR art. 42 N° 1 and 43 N° 1) with UTM $70.000: exempt up to 13,5 UTM = $945.000; then 4 % − 0,54
/// UTM ($37.800) up to 30 UTM = $2.100.000; 8 % − 1,74 UTM ($121.800) up to 50 UTM = $3.500.000; 13,5 % − 4,49 UTM
/// ($314.300) up to 70 UTM = $4.900.000; 23 % − 11,14 UTM ($779.800) up to 90 UTM = $6.300.000; 30,4 % − 17,8 UTM
/// ($1.246.000) up to 120 UTM = $8.400.000; 35 % − 23,32 UTM ($1.632.400) up to 310 UTM = $21.700.000; 40 % − 38,82
/// UTM ($2.717.400) above.
/// </summary>
public class IncomeTaxRuleTests
{
    private static IReadOnlyList<IncomeTaxBracket> Table => Month().IncomeTaxBrackets!.Value;

    private static (decimal Tax, string Arithmetic) Tax(decimal taxBase) => IncomeTaxRule.Tax(taxBase, 70000m, Table);

    [Theory]
    [InlineData(1500000, 22200)] // 4 % × 1.500.000 = 60.000 − 37.800
    [InlineData(3000000, 118200)] // 8 % = 240.000 − 121.800
    [InlineData(4000000, 225700)] // 13,5 % = 540.000 − 314.300
    [InlineData(5000000, 370200)] // 23 % = 1.150.000 − 779.800
    [InlineData(7000000, 882000)] // 30,4 % = 2.128.000 − 1.246.000
    [InlineData(10000000, 1867600)] // 35 % = 3.500.000 − 1.632.400
    [InlineData(25000000, 7282600)] // 40 % = 10.000.000 − 2.717.400
    [InlineData(1500013, 22201)] // 60.000,52 − 37.800 = 22.200,52, rounded up
    [InlineData(1500012, 22200)] // 60.000,48 − 37.800, rounded down
    public void Each_bracket_is_its_rate_times_the_base_minus_its_rebate(double taxBase, double tax) =>
        Assert.Equal((decimal)tax, Tax((decimal)taxBase).Tax);

    [Fact]
    public void The_arithmetic_names_the_bracket_used()
    {
        Assert.Equal((0m, "exenta hasta 13,5 UTM = $945.000"), Tax(945000m));
        Assert.Equal((0m, "exenta hasta 13,5 UTM = $945.000"), Tax(0m));
        Assert.Equal((0m, "exenta hasta 13,5 UTM = $945.000"), Tax(1m));

        // One peso above a limit is the next bracket (the table is continuous, so the tax is the same at the limit).
        Assert.Equal((0m, "4 % × $945.001 − 0,54 UTM ($37.800) = $0"), Tax(945001m));
        Assert.Equal((46200m, "4 % × $2.100.000 − 0,54 UTM ($37.800) = $46.200"), Tax(2100000m));
        Assert.Equal((46200m, "8 % × $2.100.001 − 1,74 UTM ($121.800) = $46.200"), Tax(2100001m));
        Assert.Equal((5962600m, "40 % × $21.700.001 − 38,82 UTM ($2.717.400) = $5.962.600"), Tax(21700001m));
        Assert.Equal((5962600m, "35 % × $21.700.000 − 23,32 UTM ($1.632.400) = $5.962.600"), Tax(21700000m));
        Assert.Equal((1307600m, "30,4 % × $8.400.000 − 17,8 UTM ($1.246.000) = $1.307.600"), Tax(8400000m));
    }

    [Fact]
    public void A_rebate_above_the_product_gives_no_tax_not_a_negative_one()
    {
        // A table whose second bracket rebates more than it charges at its start (not the SII table): 0, never negative.
        IReadOnlyList<IncomeTaxBracket> odd = [new(0m, 10m, 0m, 0m), new(10m, null, 5m, 1m)];
        Assert.Equal(0m, IncomeTaxRule.Tax(700001m, 70000m, odd).Tax);
        Assert.Equal(5000m, IncomeTaxRule.Tax(1500000m, 70000m, odd).Tax); // 75.000 − 70.000
    }

    /// <summary>2.000.000 of sueldo, AFP Habitat 11,27 % = 225.400, Fonasa 7 % = 140.000, cesantía 0,6 % = 12.000:
    /// base 2.000.000 − 377.400 = 1.622.600; tax 4 % × 1.622.600 = 64.904 − 37.800 = 27.104.</summary>
    private static Payslip TwoMillion(params PayslipLine[] extra) => Slip(
        2000000m,
        [Line("BASIC", 2000000m), Line("AFP", -225400m, "AFP Habitat"), Line("SALUD", -140000m, "Fonasa"), Line("AFC", -12000m), .. extra])
        with { TotalImponible = 2000000m, ContractType = ContractType.Indefinite };

    private static RuleContext Run(Payslip payslip, MonthlyIndicators? month = null) =>
        After(payslip, month ?? Month(), new AfpRule(), new HealthRule(), new UnemploymentRule(), new IncomeTaxRule());

    [Theory]
    [InlineData(27104)]
    [InlineData(27107)] // three pesos of rounding
    [InlineData(27101)]
    public void The_tax_on_the_base_after_contributions_is_right(double tax)
    {
        var context = Run(TwoMillion(Line("IMPUESTO_UNICO", -(decimal)tax)));
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Exact, context.Ran["impuesto_unico"]);
    }

    [Theory]
    [InlineData(27108)]
    [InlineData(27100)]
    public void Four_pesos_off_the_tax_is_an_error(double tax)
    {
        var paid = (decimal)tax;
        var finding = Assert.Single(Run(TwoMillion(Line("IMPUESTO_UNICO", -paid))).Findings);
        Assert.Equal(FindingCodes.IncomeTaxMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(27104m, finding.Expected);
        Assert.Equal(paid, finding.Actual);
        Assert.Equal("IMPUESTO_UNICO", finding.Line);
        Assert.Equal(LegalSources.IncomeTax, finding.LegalSource);
        Assert.Equal(
            $"El impuesto único ({Money.Clp(paid)}) no corresponde a la base tributable $1.622.600 con la UTM de 2025-10 ($70.000): 4 % × $1.622.600 − 0,54 UTM ($37.800) = $27.104.",
            finding.Message);
    }

    [Fact]
    public void A_missing_tax_line_is_an_error_when_there_is_tax()
    {
        var finding = Assert.Single(Run(TwoMillion()).Findings);
        Assert.Equal(FindingCodes.MissingRequiredLine, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(27104m, finding.Expected);
        Assert.Equal(0m, finding.Actual);
        Assert.Equal("IMPUESTO_UNICO", finding.Line);
        Assert.Equal(LegalSources.IncomeTax, finding.LegalSource);
        Assert.Equal(
            "Falta la línea IMPUESTO_UNICO: la base tributable $1.622.600 paga impuesto (4 % × $1.622.600 − 0,54 UTM ($37.800) = $27.104).",
            finding.Message);
    }

    [Fact]
    public void A_tax_of_three_pesos_or_less_may_be_left_out()
    {
        // Bases without contributions: 4 % × 945.075 = 37.803 − 37.800 = 3 (no line needed); 945.100 gives 4.
        var three = After(Slip(945075m, Line("BASIC", 945075m)), Month(), new IncomeTaxRule());
        Assert.Empty(three.Findings);
        Assert.Equal(CheckQuality.Exact, three.Ran["impuesto_unico"]);
        var four = Assert.Single(After(Slip(945100m, Line("BASIC", 945100m)), Month(), new IncomeTaxRule()).Findings);
        Assert.Equal(FindingCodes.MissingRequiredLine, four.Code);
        Assert.Equal(4m, four.Expected);

        // Exempt pay: no line, no finding.
        Assert.DoesNotContain(Run(Slip(900000m, Line("BASIC", 900000m))).Findings, f => f.Code == FindingCodes.MissingRequiredLine);
    }

    [Fact]
    public void An_isapre_plan_above_seven_percent_is_deducted_only_up_to_the_seven_percent()
    {
        // Isapre 200.000 instead of Fonasa: only the legal 140.000 is deducted, so the tax is still 27.104 (not
        // 4 % × 1.562.600 − 37.800 = 24.704).
        var slip = TwoMillion(Line("IMPUESTO_UNICO", -27104m)) with
        {
            Lines = [Line("BASIC", 2000000m), Line("AFP", -225400m, "AFP Habitat"), Line("SALUD", -200000m, "Isapre Colmena"), Line("AFC", -12000m), Line("IMPUESTO_UNICO", -27104m)],
        };
        Assert.Empty(Run(slip).Findings);
        Assert.Equal(27104m, Assert.Single(Run(slip with { Lines = [.. slip.Lines.SkipLast(1), Line("IMPUESTO_UNICO", -24704m)] }).Findings).Expected);
    }

    [Fact]
    public void Contributions_are_deducted_as_paid_when_their_legal_amount_is_unknown()
    {
        // The tax rule alone (no AFP, health or cesantía rule ran): 2.000.000 − 225.400 − 140.000 − 12.000 = 1.622.600.
        var context = After(TwoMillion(Line("IMPUESTO_UNICO", -27104m)), Month(), new IncomeTaxRule());
        Assert.Empty(context.Findings);

        // An AFP above its legal amount is deducted only up to it: AFP 300.000 paid, 225.400 legal.
        var over = TwoMillion(Line("IMPUESTO_UNICO", -27104m)) with
        {
            Lines = [Line("BASIC", 2000000m), Line("AFP", -300000m, "AFP Habitat"), Line("SALUD", -140000m, "Fonasa"), Line("AFC", -12000m), Line("IMPUESTO_UNICO", -27104m)],
        };
        Assert.Equal([FindingCodes.AfpAmountMismatch], Run(over).Findings.Select(f => f.Code));

        // And a cesantía above its legal 12.000 likewise: 20.000 paid.
        var afc = over with
        {
            Lines = [Line("BASIC", 2000000m), Line("AFP", -225400m, "AFP Habitat"), Line("SALUD", -140000m, "Fonasa"), Line("AFC", -20000m), Line("IMPUESTO_UNICO", -27104m)],
        };
        Assert.Equal([FindingCodes.AfcAmountMismatch], Run(afc).Findings.Select(f => f.Code));
    }

    [Fact]
    public void Apv_b_is_deducted_up_to_fifty_uf_and_apv_a_not_at_all()
    {
        // APV B 100.000: base 1.522.600, tax 60.904 − 37.800 = 23.104.
        Assert.Empty(Run(TwoMillion(Line("APV_B", -100000m), Line("IMPUESTO_UNICO", -23104m))).Findings);

        // APV A 100.000: no deduction, the tax stays 27.104.
        Assert.Empty(Run(TwoMillion(Line("APV_A", -100000m), Line("IMPUESTO_UNICO", -27104m))).Findings);

        // 10.000.000 of pay and no contributions (the tax rule alone), APV B 2.500.000: only 50 UF × 40.000 =
        // 2.000.000 deducted, base 8.000.000, tax 30,4 % = 2.432.000 − 1.246.000 = 1.186.000.
        var slip = Slip(10000000m, Line("BASIC", 10000000m), Line("APV_B", -2500000m), Line("IMPUESTO_UNICO", -1186000m));
        Assert.Empty(After(slip, Month(), new IncomeTaxRule()).Findings);
        var finding = Assert.Single(After(slip with { Lines = [.. slip.Lines.SkipLast(1), Line("IMPUESTO_UNICO", -1034000m)] }, Month(), new IncomeTaxRule()).Findings);
        Assert.Equal(1186000m, finding.Expected);
    }

    [Fact]
    public void A_base_never_goes_below_zero()
    {
        // APV B 500.000 on 400.000 of pay: the base is 0, and a tax of 10 is wrong.
        var slip = Slip(400000m, Line("BASIC", 400000m), Line("APV_B", -500000m), Line("IMPUESTO_UNICO", -10m));
        var finding = Assert.Single(After(slip, Month(), new IncomeTaxRule()).Findings);
        Assert.Equal(FindingCodes.IncomeTaxMismatch, finding.Code);
        Assert.Equal(0m, finding.Expected);
        Assert.StartsWith("El impuesto único ($10) no corresponde a la base tributable $0 con", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BASE_TRIBUTABLE", 1622600)] // the base after contributions
    [InlineData("BASE_TRIBUTABLE", 1622603)]
    [InlineData("BASE_TRIBUTABLE", 2000000)] // the taxable pay before them
    [InlineData("BASE_TRIBUTABLE", 2000001)]
    [InlineData("BASE_IMPUESTO_UNICO", 1622597)]
    [InlineData("BASE_IMPUESTO_UNICO", 1999999)]
    public void A_base_line_may_be_the_pay_or_the_base(string code, double value)
    {
        Assert.Empty(Run(TwoMillion(Line(code, (decimal)value), Line("IMPUESTO_UNICO", -27104m))).Findings);
    }

    [Theory]
    [InlineData("BASE_TRIBUTABLE", 1672600)] // base + 50.000 of colación
    [InlineData("BASE_TRIBUTABLE", 1672603)]
    [InlineData("BASE_IMPUESTO_UNICO", 2050000)] // pay + colación
    [InlineData("BASE_IMPUESTO_UNICO", 2050001)]
    public void A_base_line_with_the_allowances_is_that_error(string code, double value)
    {
        var line = (decimal)value;
        var finding = Assert.Single(Run(TwoMillion(Line("COL_SOPA", 50000m), Line(code, line), Line("IMPUESTO_UNICO", -27104m))).Findings);
        Assert.Equal(FindingCodes.NonTaxableInTaxableBase, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(1622600m, finding.Expected);
        Assert.Equal(line, finding.Actual);
        Assert.Equal(code, finding.Line);
        Assert.Equal(LegalSources.NonTaxable, finding.LegalSource);
        Assert.Equal(
            $"La línea {code} ({Money.Clp(line)}) incluye colación, movilización o asignación familiar ($50.000), que no son renta.",
            finding.Message);
    }

    [Theory]
    [InlineData("BASE_TRIBUTABLE", 1622604)]
    [InlineData("BASE_TRIBUTABLE", 2000002)]
    [InlineData("BASE_IMPUESTO_UNICO", 1672604)] // colación + 4: not the allowances either
    [InlineData("BASE_IMPUESTO_UNICO", 2050002)]
    public void Another_base_line_is_a_base_mismatch(string code, double value)
    {
        var line = (decimal)value;
        var context = Run(TwoMillion(Line("COL_SOPA", 50000m), Line(code, line), Line("IMPUESTO_UNICO", -27104m)));
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.TaxBaseMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(1622600m, finding.Expected);
        Assert.Equal(line, finding.Actual);
        Assert.Equal(code, finding.Line);
        Assert.Equal(LegalSources.IncomeTax, finding.LegalSource);
        Assert.Equal(
            $"La línea {code} ({Money.Clp(line)}) no es la base del impuesto único: $2.000.000 imponible menos las cotizaciones obligatorias deducibles = $1.622.600.",
            finding.Message);
    }

    [Fact]
    public void A_base_line_without_allowances_in_the_payslip_is_a_base_mismatch()
    {
        // No colación: 1.672.600 is just a wrong base.
        Assert.Equal(FindingCodes.TaxBaseMismatch, Assert.Single(Run(TwoMillion(Line("BASE_TRIBUTABLE", 1672600m), Line("IMPUESTO_UNICO", -27104m))).Findings).Code);
    }

    [Fact]
    public void A_tax_that_follows_a_wrong_reported_base_is_reported_once_as_the_base()
    {
        // BASE_IMPUESTO_UNICO 1.700.000: 4 % = 68.000 − 37.800 = 30.200 paid. The base is the error, not the tax.
        var context = Run(TwoMillion(Line("BASE_IMPUESTO_UNICO", 1700000m), Line("IMPUESTO_UNICO", -30200m)));
        Assert.Equal([FindingCodes.TaxBaseMismatch], context.Findings.Select(f => f.Code));
        Assert.Equal([FindingCodes.TaxBaseMismatch], Run(TwoMillion(Line("BASE_IMPUESTO_UNICO", 1700000m), Line("IMPUESTO_UNICO", -30203m))).Findings.Select(f => f.Code));
        Assert.Equal(
            [FindingCodes.TaxBaseMismatch, FindingCodes.IncomeTaxMismatch],
            Run(TwoMillion(Line("BASE_IMPUESTO_UNICO", 1700000m), Line("IMPUESTO_UNICO", -30204m))).Findings.Select(f => f.Code));

        // Two wrong base lines: the tax may follow BASE_IMPUESTO_UNICO (1.700.000), whichever comes first.
        Assert.Equal(
            [FindingCodes.TaxBaseMismatch, FindingCodes.TaxBaseMismatch],
            Run(TwoMillion(Line("BASE_IMPUESTO_UNICO", 1700000m), Line("BASE_TRIBUTABLE", 1800000m), Line("IMPUESTO_UNICO", -30200m))).Findings.Select(f => f.Code));

        // BASE_TRIBUTABLE alone: the tax may follow it (1.800.000: 72.000 − 37.800 = 34.200).
        Assert.Equal(
            [FindingCodes.TaxBaseMismatch],
            Run(TwoMillion(Line("BASE_TRIBUTABLE", 1800000m), Line("IMPUESTO_UNICO", -34200m))).Findings.Select(f => f.Code));

        // With both, the tax that follows BASE_TRIBUTABLE does not count.
        Assert.Contains(
            FindingCodes.IncomeTaxMismatch,
            Run(TwoMillion(Line("BASE_IMPUESTO_UNICO", 1700000m), Line("BASE_TRIBUTABLE", 1800000m), Line("IMPUESTO_UNICO", -34200m))).Findings.Select(f => f.Code));
    }

    [Fact]
    public void The_rule_runs_only_with_pay_and_its_figures()
    {
        var noPay = After(Slip(1000000m, Line("BASIC", 0m), Line("IMPUESTO_UNICO", -100m)), Month(), new IncomeTaxRule());
        Assert.False(noPay.Ran.ContainsKey("impuesto_unico"));
        Assert.Empty(noPay.Findings);

        foreach (var (month, field) in new[]
        {
            (Month() with { Utm = null }, "utm"),
            (Month() with { IncomeTaxBrackets = null }, "income_tax_brackets"),
            (Month() with { UfLastDay = null }, "uf_last_day"),
            (Month() with { TaxableCapPensionUf = null }, "taxable_cap_pension_uf"),
        })
        {
            var context = After(TwoMillion(), month, new IncomeTaxRule());
            Assert.False(context.Ran.ContainsKey("impuesto_unico"));
            Assert.Empty(context.Findings);
            Assert.Contains(context.Skipped, s => s.Rule == "impuesto_unico" && s.Reason == $"sin valor publicado con fuente para 2025-10: {field}");
        }
    }
}
