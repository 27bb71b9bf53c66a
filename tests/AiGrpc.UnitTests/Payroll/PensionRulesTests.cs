using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// AFP (DL 3.500 art. 17: 10 % + the AFP's commission) and health (7 %) on the pay up to the tope imponible of 80 UF ×
/// $40.000 = $3.200.000 (the round month of <see cref="PayrollKit"/>).
/// </summary>
public class PensionRulesTests
{
    private static RuleContext Afp(decimal pay, decimal paid, string name = "AFP Habitat", MonthlyIndicators? month = null) =>
        After(Slip(pay, Line("BASIC", pay), Line("AFP", -paid, name)) with { TotalImponible = pay }, month ?? Month(), new AfpRule());

    private static RuleContext Health(decimal pay, decimal paid, string name, MonthlyIndicators? month = null) =>
        After(Slip(pay, Line("BASIC", pay), Line("SALUD", -paid, name)) with { TotalImponible = pay }, month ?? Month(), new HealthRule());

    [Theory]
    [InlineData(112700)] // 11,27 % of 1.000.000
    [InlineData(112702)] // the 10 % and the commission rounded apart: two pesos
    [InlineData(112698)]
    public void A_named_afp_pays_ten_percent_plus_its_commission(double paid)
    {
        var context = Afp(1000000m, (decimal)paid);
        Assert.Empty(context.Findings);
        Assert.Empty(context.Notes);
        Assert.Equal(112700m, context.LegalAfp);
        Assert.Equal(CheckQuality.Exact, context.Ran["cotizacion_afp"]);
    }

    [Theory]
    [InlineData(112703)]
    [InlineData(112697)]
    public void Three_pesos_off_a_named_afp_is_an_error(double paid)
    {
        var amount = (decimal)paid;
        var finding = Assert.Single(Afp(1000000m, amount).Findings);
        Assert.Equal(FindingCodes.AfpAmountMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(112700m, finding.Expected);
        Assert.Equal(amount, finding.Actual);
        Assert.Equal("AFP", finding.Line);
        Assert.Equal(LegalSources.Afp, finding.LegalSource);
        Assert.Equal(
            $"La cotización AFP ({Money.Clp(amount)}) no es el 11,27 % (10 % + comisión de Habitat 1,27 %) de $1.000.000 = $112.700.",
            finding.Message);
    }

    [Fact]
    public void An_amount_that_is_another_afps_commission_says_which()
    {
        // Habitat named, 10,58 % paid: 105.800 is Modelo's rate on 1.000.000.
        var finding = Assert.Single(Afp(1000000m, 105800m).Findings);
        Assert.Equal(112700m, finding.Expected);
        Assert.Equal(
            "La cotización AFP ($105.800) no es el 11,27 % (10 % + comisión de Habitat 1,27 %) de $1.000.000 = $112.700; el monto corresponde a la comisión de Modelo.",
            finding.Message);

        // Modelo named, Habitat's amount paid (above the rate): the expected amount is Modelo's.
        var above = Assert.Single(Afp(1000000m, 112700m, "AFP Modelo").Findings);
        Assert.Equal(105800m, above.Expected);
        Assert.EndsWith("; el monto corresponde a la comisión de Habitat.", above.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(104600)] // 10,46 % (Uno, the lowest commission) of 1.000.000
    [InlineData(104598)]
    [InlineData(114500)] // 11,45 % (ProVida, the highest)
    [InlineData(114502)]
    [InlineData(112700)]
    public void An_unnamed_afp_is_accepted_within_the_published_commissions(double paid)
    {
        var context = Afp(1000000m, (decimal)paid, "Cotización previsional");
        Assert.Empty(context.Findings);
        Assert.Equal(114500m, context.LegalAfp);
        Assert.Equal(CheckQuality.Lenient, context.Ran["cotizacion_afp"]);
        Assert.Equal(
            "El nombre de la línea AFP no identifica la administradora; se aceptó el rango de comisiones publicadas (10,46 % a 11,45 %).",
            Assert.Single(context.Notes));
    }

    [Theory]
    [InlineData(104597, 104600)]
    [InlineData(114503, 114500)]
    public void An_unnamed_afp_outside_the_commissions_is_an_error(double paid, double expected)
    {
        var amount = (decimal)paid;
        var context = Afp(1000000m, amount, "AFP");
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.AfpAmountMismatch, finding.Code);
        Assert.Equal((decimal)expected, finding.Expected);
        Assert.Equal(
            $"La cotización AFP ({Money.Clp(amount)}) no está entre 10,46 % y 11,45 % (las comisiones publicadas) de $1.000.000: $104.600 a $114.500.",
            finding.Message);
        Assert.Empty(context.Notes);
    }

    [Fact]
    public void Above_the_cap_the_afp_is_on_the_cap()
    {
        // 4.000.000 of pay, cap 3.200.000: Habitat 11,27 % × 3.200.000 = 360.640.
        var context = Afp(4000000m, 360640m);
        Assert.Empty(context.Findings);
        Assert.Equal(360640m, context.LegalAfp);

        // 11,27 % × 4.000.000 = 450.800: the cap was not applied.
        var finding = Assert.Single(Afp(4000000m, 450800m).Findings);
        Assert.Equal(FindingCodes.PensionCapNotApplied, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(360640m, finding.Expected);
        Assert.Equal(450800m, finding.Actual);
        Assert.Equal("AFP", finding.Line);
        Assert.Equal(LegalSources.PensionCap, finding.LegalSource);
        Assert.Equal(
            "La cotización de AFP ($450.800) se calculó sobre $4.000.000, que supera el tope imponible de 2025-10 ($3.200.000); corresponde $360.640.",
            finding.Message);

        // Two pesos either side of the uncapped amount is still that error; three is a plain mismatch.
        Assert.Equal(FindingCodes.PensionCapNotApplied, Assert.Single(Afp(4000000m, 450802m).Findings).Code);
        Assert.Equal(FindingCodes.PensionCapNotApplied, Assert.Single(Afp(4000000m, 450798m).Findings).Code);
        Assert.Equal(FindingCodes.AfpAmountMismatch, Assert.Single(Afp(4000000m, 450803m).Findings).Code);
        Assert.Equal(FindingCodes.AfpAmountMismatch, Assert.Single(Afp(4000000m, 450797m).Findings).Code);
    }

    [Fact]
    public void Above_the_cap_an_unnamed_afp_on_the_whole_pay_is_the_cap_error()
    {
        // Range on the whole pay: 10,46 % × 4.000.000 = 418.400 to 11,45 % × 4.000.000 = 458.000; expected the highest
        // on the cap, 11,45 % × 3.200.000 = 366.400.
        foreach (var paid in new[] { 418398m, 440000m, 458002m })
        {
            var finding = Assert.Single(Afp(4000000m, paid, "AFP").Findings);
            Assert.Equal(FindingCodes.PensionCapNotApplied, finding.Code);
            Assert.Equal(366400m, finding.Expected);
        }

        Assert.Equal(FindingCodes.AfpAmountMismatch, Assert.Single(Afp(4000000m, 418397m, "AFP").Findings).Code);
        Assert.Equal(FindingCodes.AfpAmountMismatch, Assert.Single(Afp(4000000m, 458003m, "AFP").Findings).Code);
    }

    [Theory]
    [InlineData(100000)] // 10 % of 1.000.000
    [InlineData(99998)]
    [InlineData(150000)] // more than 10 % cannot be judged without the commissions
    public void Without_the_commissions_only_the_ten_percent_floor_is_checked(double paid)
    {
        var context = Afp(1000000m, (decimal)paid, month: Month() with { AfpCommissionsPercent = null });
        Assert.Empty(context.Findings);
        Assert.Null(context.LegalAfp);
        Assert.Equal(CheckQuality.Lenient, context.Ran["cotizacion_afp"]);
        var skipped = Assert.Single(context.Skipped);
        Assert.Equal("comision_afp", skipped.Rule);
        Assert.Equal("sin comisiones de AFP publicadas con fuente para 2025-10: solo se verificó el 10 %", skipped.Reason);
    }

    [Fact]
    public void Without_the_commissions_an_afp_under_ten_percent_is_an_error()
    {
        var finding = Assert.Single(Afp(1000000m, 99997m, month: Month() with { AfpCommissionsPercent = null }).Findings);
        Assert.Equal(FindingCodes.AfpAmountMismatch, finding.Code);
        Assert.Equal(100000m, finding.Expected);
        Assert.Equal(99997m, finding.Actual);
        Assert.Equal("La cotización AFP ($99.997) es menor que el 10 % de $1.000.000 ($100.000).", finding.Message);

        // Above the cap the floor is 10 % of the cap: 320.000.
        Assert.Empty(Afp(4000000m, 319998m, month: Month() with { AfpCommissionsPercent = null }).Findings);
        Assert.Equal(320000m, Assert.Single(Afp(4000000m, 319997m, month: Month() with { AfpCommissionsPercent = null }).Findings).Expected);
    }

    [Fact]
    public void The_afp_rule_runs_only_with_an_afp_line_pay_and_the_cap()
    {
        var noLine = After(Slip(1000000m, Line("BASIC", 1000000m)), Month(), new AfpRule());
        Assert.False(noLine.Ran.ContainsKey("cotizacion_afp"));
        Assert.Null(noLine.LegalAfp);

        var noPay = After(Slip(1000000m, Line("BASIC", 0m), Line("AFP", -1000m, "AFP Habitat")), Month(), new AfpRule());
        Assert.False(noPay.Ran.ContainsKey("cotizacion_afp"));
        Assert.Empty(noPay.Findings);

        var noCap = Afp(1000000m, 1m, month: Month() with { TaxableCapPensionUf = null });
        Assert.False(noCap.Ran.ContainsKey("cotizacion_afp"));
        Assert.Empty(noCap.Findings);
        Assert.Contains(noCap.Skipped, s => s.Rule == "cotizacion_afp" && s.Reason.EndsWith(": taxable_cap_pension_uf", StringComparison.Ordinal));

        var noUf = Afp(1000000m, 1m, month: Month() with { UfLastDay = null });
        Assert.Contains(noUf.Skipped, s => s.Rule == "cotizacion_afp" && s.Reason.EndsWith(": uf_last_day", StringComparison.Ordinal));
        Assert.Empty(noUf.Findings);
    }

    [Theory]
    [InlineData(70000)] // 7 % of 1.000.000
    [InlineData(70001)]
    [InlineData(69999)]
    public void Fonasa_is_exactly_seven_percent(double paid)
    {
        var context = Health(1000000m, (decimal)paid, "Fonasa");
        Assert.Empty(context.Findings);
        Assert.Empty(context.Notes);
        Assert.Equal(70000m, context.LegalHealth);
        Assert.Equal(CheckQuality.Exact, context.Ran["cotizacion_salud"]);
    }

    [Theory]
    [InlineData(70002)]
    [InlineData(69998)]
    [InlineData(100000)]
    public void Fonasa_other_than_seven_percent_is_an_error(double paid)
    {
        var amount = (decimal)paid;
        var finding = Assert.Single(Health(1000000m, amount, "Salud Fonasa").Findings);
        Assert.Equal(FindingCodes.HealthAmountMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(70000m, finding.Expected);
        Assert.Equal(amount, finding.Actual);
        Assert.Equal("SALUD", finding.Line);
        Assert.Equal(LegalSources.Health, finding.LegalSource);
        Assert.Equal($"La cotización Fonasa ({Money.Clp(amount)}) no es el 7 % de $1.000.000 ($70.000).", finding.Message);
    }

    [Fact]
    public void Fonasa_above_the_cap_is_seven_percent_of_the_cap()
    {
        // 7 % × 3.200.000 = 224.000; 7 % × 4.000.000 = 280.000 is the cap not applied.
        var context = Health(4000000m, 224000m, "FONASA");
        Assert.Empty(context.Findings);
        Assert.Equal(224000m, context.LegalHealth);

        var finding = Assert.Single(Health(4000000m, 280000m, "FONASA").Findings);
        Assert.Equal(FindingCodes.PensionCapNotApplied, finding.Code);
        Assert.Equal(224000m, finding.Expected);
        Assert.Equal(280000m, finding.Actual);
        Assert.Equal("SALUD", finding.Line);
        Assert.Equal(
            "La cotización de salud ($280.000) se calculó sobre $4.000.000, que supera el tope imponible de 2025-10 ($3.200.000); corresponde $224.000.",
            finding.Message);
        Assert.Equal(FindingCodes.PensionCapNotApplied, Assert.Single(Health(4000000m, 280001m, "FONASA").Findings).Code);
        Assert.Equal(FindingCodes.HealthAmountMismatch, Assert.Single(Health(4000000m, 280002m, "FONASA").Findings).Code);
    }

    [Theory]
    [InlineData(70000)]
    [InlineData(69999)] // one peso of rounding
    [InlineData(150000)] // a plan above the 7 %
    public void An_isapre_pays_at_least_seven_percent(double paid)
    {
        var context = Health(1000000m, (decimal)paid, "Isapre Colmena");
        Assert.Empty(context.Findings);
        Assert.Empty(context.Notes);
        Assert.Equal(70000m, context.LegalHealth);
        Assert.Equal(CheckQuality.Exact, context.Ran["cotizacion_salud"]);
    }

    [Fact]
    public void An_isapre_below_seven_percent_is_an_error()
    {
        var finding = Assert.Single(Health(1000000m, 69998m, "Banmédica").Findings);
        Assert.Equal(FindingCodes.HealthBelowLegal, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(70000m, finding.Expected);
        Assert.Equal(69998m, finding.Actual);
        Assert.Equal("SALUD", finding.Line);
        Assert.Equal(LegalSources.Health, finding.LegalSource);
        Assert.Equal("La cotización de salud ($69.998) es menor que el 7 % legal de $1.000.000 ($70.000).", finding.Message);

        // Above the cap the floor is 7 % of the cap (224.000), not of the pay.
        Assert.Empty(Health(4000000m, 224000m, "Isapre Consalud").Findings);
        Assert.Equal(224000m, Assert.Single(Health(4000000m, 223998m, "Isapre Consalud").Findings).Expected);
    }

    [Fact]
    public void An_unknown_insurer_is_held_to_the_floor_and_above_it_taken_as_an_isapre()
    {
        var exact = Health(1000000m, 70000m, "Salud");
        Assert.Empty(exact.Findings);
        Assert.Empty(exact.Notes);
        Assert.Equal(CheckQuality.Lenient, exact.Ran["cotizacion_salud"]);
        Assert.Empty(Health(1000000m, 70001m, "Salud").Notes);

        var plan = Health(1000000m, 70002m, "Salud");
        Assert.Empty(plan.Findings);
        Assert.Equal(
            "La línea SALUD no dice si es Fonasa o Isapre; $70.002 supera el 7 % ($70.000) y se tomó como plan de Isapre.",
            Assert.Single(plan.Notes));

        Assert.Equal(FindingCodes.HealthBelowLegal, Assert.Single(Health(1000000m, 69998m, "Salud").Findings).Code);
    }

    [Fact]
    public void The_health_rule_runs_only_with_a_health_line_pay_and_the_cap()
    {
        var noLine = After(Slip(1000000m, Line("BASIC", 1000000m)), Month(), new HealthRule());
        Assert.False(noLine.Ran.ContainsKey("cotizacion_salud"));
        Assert.Null(noLine.LegalHealth);

        var noPay = After(Slip(1000000m, Line("BASIC", 0m), Line("SALUD", -100m, "Fonasa")), Month(), new HealthRule());
        Assert.False(noPay.Ran.ContainsKey("cotizacion_salud"));
        Assert.Empty(noPay.Findings);

        var noCap = Health(1000000m, 1m, "Fonasa", Month() with { TaxableCapPensionUf = null });
        Assert.False(noCap.Ran.ContainsKey("cotizacion_salud"));
        Assert.Empty(noCap.Findings);
        Assert.Contains(noCap.Skipped, s => s.Rule == "cotizacion_salud" && s.Reason.EndsWith(": taxable_cap_pension_uf", StringComparison.Ordinal));
        Assert.Contains(Health(1000000m, 1m, "Fonasa", Month() with { UfLastDay = null }).Skipped, s => s.Rule == "cotizacion_salud" && s.Reason.EndsWith(": uf_last_day", StringComparison.Ordinal));
    }
}
