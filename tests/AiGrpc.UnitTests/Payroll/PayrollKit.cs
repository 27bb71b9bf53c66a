using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// Builders for the rule tests: a month with round figures (so the legal arithmetic in each test reads by hand), and
/// payslips line by line. The rates are the published ones (AFP commissions, seguro de cesantía, the SII tax table);
/// only the UF, UTM, minimum wage and family-allowance tramos are rounded.
/// </summary>
internal static class PayrollKit
{
    /// <summary>October 2025: 31 days.</summary>
    public static readonly PayrollPeriod Period = new(2025, 10);

    private const string Source = "round figures for the rule tests";

    /// <summary>
    /// UF 40.000 on the last day; caps 80 UF (AFP/salud: $3.200.000) and 120 UF (cesantía: $4.800.000); UTM $70.000;
    /// IMM $500.000; AFP commissions of October 2025 (Capital 1,44, Cuprum 1,44, Habitat 1,27, Modelo 0,58, PlanVital
    /// 1,16, ProVida 1,45, Uno 0,46); cesantía 0,6/2,4 indefinido and 0/3 plazo fijo; asignación familiar A up to
    /// $600.000 pays $20.000, B up to $900.000 pays $12.000, C up to $1.400.000 pays $4.000, D pays 0; the monthly tax
    /// table of LIR art. 43 N° 1 in UTM.
    /// </summary>
    public static MonthlyIndicators Month(PayrollPeriod? period = null) => new(
        period ?? Period,
        S(40000m),
        null,
        S(70000m),
        S(840000m),
        S(500000m),
        "test",
        S(80m),
        S(120m),
        S<IReadOnlyDictionary<string, decimal>>(new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["Capital"] = 1.44m,
            ["Cuprum"] = 1.44m,
            ["Habitat"] = 1.27m,
            ["Modelo"] = 0.58m,
            ["PlanVital"] = 1.16m,
            ["ProVida"] = 1.45m,
            ["Uno"] = 0.46m,
        }),
        S(1.54m),
        S(new UnemploymentInsuranceRates(0.6m, 2.4m, 0m, 3m)),
        S<IReadOnlyList<FamilyAllowanceBracket>>(
        [
            new("A", 600000m, 20000m),
            new("B", 900000m, 12000m),
            new("C", 1400000m, 4000m),
            new("D", null, 0m),
        ]),
        S<IReadOnlyList<IncomeTaxBracket>>(
        [
            new(0m, 13.5m, 0m, 0m),
            new(13.5m, 30m, 4m, 0.54m),
            new(30m, 50m, 8m, 1.74m),
            new(50m, 70m, 13.5m, 4.49m),
            new(70m, 90m, 23m, 11.14m),
            new(90m, 120m, 30.4m, 17.8m),
            new(120m, 310m, 35m, 23.32m),
            new(310m, null, 40m, 38.82m),
        ]));

    public static Sourced<T> S<T>(T value) => new(value, Source, "observed");

    public static PayslipLine Line(string code, decimal amount, string? name = null) => new(code, name, null, amount);

    /// <summary>A whole-month payslip of <see cref="Period"/> with no totals.</summary>
    public static Payslip Slip(decimal wage, params PayslipLine[] lines) =>
        new(1, "Test", wage, Period, null, null, lines, null, null, null, null);

    public static RuleContext Context(Payslip payslip, MonthlyIndicators? month) => new(new PayslipFacts(payslip), month);

    /// <summary>A context after the caps and the taxable total have run, as the contribution rules see it.</summary>
    public static RuleContext After(Payslip payslip, MonthlyIndicators? month, params IPayrollRule[] rules)
    {
        var context = Context(payslip, month);
        new TaxableCapRule().Run(context);
        new TaxableTotalRule().Run(context);
        foreach (var rule in rules)
        {
            rule.Run(context);
        }

        return context;
    }

    public static PayrollValidationResult Validate(Payslip payslip, MonthlyIndicators? month = null) =>
        PayslipValidator.Validate(payslip, month ?? Month(payslip.Period));
}
