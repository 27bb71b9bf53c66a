using AiGrpc.Payroll.Indicators;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>The module's indicator answer: sourced figures under its key names, and never a 0 in place of a null.</summary>
public class LegacyIndicatorsTests
{
    private static readonly InMemoryIndicatorStore Store = new();

    [Fact]
    public void October_2025_answers_with_the_keys_the_module_reads()
    {
        var answer = LegacyIndicators.From(Store.Get(new PayrollPeriod(2025, 10)));
        Assert.True(answer.Success);
        Assert.Null(answer.Detail);
        Assert.Equal(39597.67m, answer.Indicators["uf"]);
        Assert.Equal(69265m, answer.Indicators["utm"]);
        Assert.Equal(831180m, answer.Indicators["uta"]);
        Assert.Equal(529000m, answer.Indicators["sueldo_minimo"]);
        Assert.Equal(87.8m, answer.Indicators["afp_tope_uf"]);
        Assert.Equal(131.9m, answer.Indicators["afc_tope_uf"]);
        Assert.Equal(10.46m, answer.Indicators["afp_uno_tasa_pct"]);
        Assert.Equal(1.16m, answer.Indicators["afp_planvital_comision_pct"]);
        Assert.Equal(0.6m, answer.Indicators["afc_trabajador_indefinido"]);
        Assert.Equal("2025-10", answer.Metadata.Period);
        Assert.Contains("SII", answer.Metadata.Sources["uf"], StringComparison.Ordinal);

        // Not sourced for October: left out and listed, not sent as 0.
        Assert.False(answer.Indicators.ContainsKey("asig_fam_tramo_1"));
        Assert.False(answer.Indicators.ContainsKey("sis_pct"));
        Assert.Contains("asig_fam_tramo_1", answer.Metadata.Missing);
        Assert.Contains("sis_pct", answer.Metadata.Missing);
    }

    [Fact]
    public void July_2025_carries_the_family_allowance_tramos()
    {
        var answer = LegacyIndicators.From(Store.Get(new PayrollPeriod(2025, 7)));
        Assert.True(answer.Success);
        Assert.Equal(22007m, answer.Indicators["asig_fam_tramo_1"]);
        Assert.Equal(620251m, answer.Indicators["asig_fam_tramo_1_hasta"]);
        Assert.Equal(4267m, answer.Indicators["asig_fam_tramo_3"]);
        Assert.Equal(0m, answer.Indicators["asig_fam_tramo_4"]);
        Assert.False(answer.Indicators.ContainsKey("asig_fam_tramo_4_hasta"));
        Assert.Equal(1.88m, answer.Indicators["sis_pct"]);
    }

    [Fact]
    public void A_month_without_utm_is_not_a_success()
    {
        var answer = LegacyIndicators.From(Store.Get(new PayrollPeriod(2025, 6)));
        Assert.False(answer.Success);
        Assert.Contains("utm", answer.Detail, StringComparison.Ordinal);
        Assert.False(answer.Indicators.ContainsKey("utm"));
        Assert.Equal(529000m, answer.Indicators["sueldo_minimo"]);
    }

    [Fact]
    public void A_month_not_published_is_not_a_success_and_says_why()
    {
        var answer = LegacyIndicators.From(Store.Get(new PayrollPeriod(2027, 1)));
        Assert.False(answer.Success);
        Assert.Empty(answer.Indicators);
        Assert.Contains("2027-01", answer.Detail, StringComparison.Ordinal);
    }
}
