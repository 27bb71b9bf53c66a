using AiGrpc.Payroll.Indicators;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>The store's lookups, a month's sources and missing figures, and the module's indicator answer key by key.</summary>
public class IndicatorModelTests
{
    private static readonly PayrollPeriod November = new(2025, 11);

    [Fact]
    public void A_lookup_of_a_month_not_held_names_the_months_there_are()
    {
        var lookup = IndicatorLookup.NotHeld(November, [new PayrollPeriod(2024, 1), Period]);
        Assert.False(lookup.Found);
        Assert.Null(lookup.Month);
        Assert.Equal(November, lookup.Period);
        Assert.Equal("Los indicadores de 2025-11 no están publicados ni cargados (hay indicadores de 2024-01 a 2025-10).", lookup.Reason);
        Assert.Equal(
            "Los indicadores de 2025-11 no están publicados ni cargados (no hay meses cargados).",
            IndicatorLookup.NotHeld(November, []).Reason);
        Assert.Throws<ArgumentNullException>(() => IndicatorLookup.NotHeld(November, null!));
        Assert.True(new IndicatorLookup(Period, Month(), null).Found);
    }

    [Fact]
    public void A_store_of_given_months_holds_those_and_the_upserted_ones_in_order()
    {
        var store = new InMemoryIndicatorStore(new Dictionary<PayrollPeriod, MonthlyIndicators> { [November] = Month(November), [Period] = Month() });
        Assert.Equal([Period, November], store.Months);
        Assert.Same(store.Get(Period).Month, store.Get(Period).Month);
        Assert.Null(store.Get(new PayrollPeriod(2025, 12)).Month);
        Assert.Equal(
            "Los indicadores de 2025-12 no están publicados ni cargados (hay indicadores de 2025-10 a 2025-11).",
            store.Get(new PayrollPeriod(2025, 12)).Reason);
        Assert.Null(store.Get(Period).Reason);

        var september = Month(new PayrollPeriod(2025, 9));
        store.Upsert(september);
        Assert.Equal([new PayrollPeriod(2025, 9), Period, November], store.Months);
        Assert.True(store.IsOverridden(september.Period));
        Assert.False(store.IsOverridden(Period));
        Assert.Same(september, store.Get(september.Period).Month);

        // An upsert of a base month takes precedence; the base month is still listed once.
        var corrected = Month() with { Utm = S(71000m) };
        store.Upsert(corrected);
        Assert.Same(corrected, store.Get(Period).Month);
        Assert.Equal(3, store.Months.Count);

        Assert.Throws<ArgumentNullException>(() => store.Upsert(null!));
        Assert.Throws<ArgumentNullException>(() => new InMemoryIndicatorStore(null!));
        var unsourced = Assert.Throws<ArgumentException>(() => store.Upsert(Month() with { Uta = new Sourced<decimal>(1m, string.Empty, "observed") }));
        Assert.Equal("month", unsourced.ParamName);
        Assert.Same(corrected, store.Get(Period).Month);
    }

    [Fact]
    public void A_month_lists_each_present_figures_source_and_the_missing_ones()
    {
        var month = Month() with { UfFirstDay = null, SisPercent = null, Uta = new Sourced<decimal>(1m, "SII", "derived") };
        var sources = month.Sources();
        Assert.Equal(
            ["afp_commissions_percent", "family_allowance_brackets", "income_tax_brackets", "minimum_wage", "taxable_cap_pension_uf", "taxable_cap_unemployment_uf", "uf_last_day", "unemployment_insurance", "uta", "utm"],
            sources.Keys);
        Assert.Equal("SII", sources["uta"]);
        Assert.Equal("round figures for the rule tests", sources["utm"]);
        Assert.Equal(["uf_first_day", "sis_percent"], month.Missing());
        Assert.Equal(IndicatorFields.All, MonthlyIndicators.Empty(Period).Missing());

        // Every figure present: each listed with its source, none missing.
        var full = Month() with { UfFirstDay = new Sourced<decimal>(39000m, "BCCh", "observed"), SisPercent = new Sourced<decimal>(1.54m, "SP", "in_force") };
        Assert.Equal(IndicatorFields.All.Order(StringComparer.Ordinal), full.Sources().Keys);
        Assert.Equal("BCCh", full.Sources()["uf_first_day"]);
        Assert.Equal("SP", full.Sources()["sis_percent"]);
        Assert.Empty(full.Missing());
        Assert.Empty(MonthlyIndicators.Empty(Period).Sources());
        Assert.Equal(12, IndicatorFields.All.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_figure_with_a_blank_source_is_refused_naming_every_one(string source)
    {
        var month = Month() with { Utm = new Sourced<decimal>(1m, source, "observed"), MinimumWage = new Sourced<decimal>(1m, source, "observed") };
        var error = Assert.Throws<ArgumentException>(() => month.ThrowIfUnsourced("m"));
        Assert.Equal("m", error.ParamName);
        Assert.StartsWith("2025-10: figures without a source: minimum_wage, utm.", error.Message, StringComparison.Ordinal);
        Month().ThrowIfUnsourced();
        MonthlyIndicators.Empty(Period).ThrowIfUnsourced();
    }

    [Fact]
    public void The_module_reads_every_sourced_figure_under_its_key()
    {
        var answer = LegacyIndicators.From(new IndicatorLookup(Period, Month(), null));
        Assert.True(answer.Success);
        Assert.Null(answer.Detail);
        var expected = new Dictionary<string, decimal>
        {
            ["uf"] = 40000m,
            ["utm"] = 70000m,
            ["uta"] = 840000m,
            ["sueldo_minimo"] = 500000m,
            ["afp_tope_uf"] = 80m,
            ["afc_tope_uf"] = 120m,
            ["sis_pct"] = 1.54m,
            ["afc_trabajador_indefinido"] = 0.6m,
            ["afc_empleador_indefinido"] = 2.4m,
            ["afc_trabajador_plazo_fijo"] = 0m,
            ["afc_empleador_plazo_fijo"] = 3m,
            ["asig_fam_tramo_1"] = 20000m,
            ["asig_fam_tramo_1_hasta"] = 600000m,
            ["asig_fam_tramo_2"] = 12000m,
            ["asig_fam_tramo_2_hasta"] = 900000m,
            ["asig_fam_tramo_3"] = 4000m,
            ["asig_fam_tramo_3_hasta"] = 1400000m,
            ["asig_fam_tramo_4"] = 0m,
            ["afp_capital_comision_pct"] = 1.44m,
            ["afp_capital_tasa_pct"] = 11.44m,
            ["afp_cuprum_comision_pct"] = 1.44m,
            ["afp_cuprum_tasa_pct"] = 11.44m,
            ["afp_habitat_comision_pct"] = 1.27m,
            ["afp_habitat_tasa_pct"] = 11.27m,
            ["afp_modelo_comision_pct"] = 0.58m,
            ["afp_modelo_tasa_pct"] = 10.58m,
            ["afp_planvital_comision_pct"] = 1.16m,
            ["afp_planvital_tasa_pct"] = 11.16m,
            ["afp_provida_comision_pct"] = 1.45m,
            ["afp_provida_tasa_pct"] = 11.45m,
            ["afp_uno_comision_pct"] = 0.46m,
            ["afp_uno_tasa_pct"] = 10.46m,
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), answer.Indicators.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), answer.Metadata.Sources.Keys);
        Assert.All(answer.Metadata.Sources.Values, s => Assert.Equal("round figures for the rule tests", s));
        Assert.Empty(answer.Metadata.Missing);
        Assert.Equal("2025-10", answer.Metadata.Period);
    }

    [Fact]
    public void Figures_not_sourced_are_listed_missing_and_never_sent_as_zero()
    {
        var month = MonthlyIndicators.Empty(Period) with { UfLastDay = S(40000m), Utm = S(70000m), Uta = S(840000m), MinimumWage = S(500000m) };
        var answer = LegacyIndicators.From(new IndicatorLookup(Period, month, null));
        Assert.True(answer.Success);
        Assert.Equal(["sueldo_minimo", "uf", "uta", "utm"], answer.Indicators.Keys);
        Assert.Equal(
            [
                "afp_tope_uf", "afc_tope_uf", "sis_pct", "afc_trabajador_indefinido", "afc_empleador_indefinido",
                "afc_trabajador_plazo_fijo", "afc_empleador_plazo_fijo", "asig_fam_tramo_1", "asig_fam_tramo_1_hasta",
                "asig_fam_tramo_2", "asig_fam_tramo_2_hasta", "asig_fam_tramo_3", "asig_fam_tramo_3_hasta", "asig_fam_tramo_4",
                "afp_*_comision_pct",
            ],
            answer.Metadata.Missing);

        // Two tramos published: the other two are missing, not zero.
        var two = month with { FamilyAllowanceBrackets = S<IReadOnlyList<FamilyAllowanceBracket>>([new("A", 600000m, 20000m), new("B", null, 0m)]) };
        var partial = LegacyIndicators.From(new IndicatorLookup(Period, two, null));
        Assert.Equal(20000m, partial.Indicators["asig_fam_tramo_1"]);
        Assert.Equal(600000m, partial.Indicators["asig_fam_tramo_1_hasta"]);
        Assert.Equal(0m, partial.Indicators["asig_fam_tramo_2"]);
        Assert.Equal(0m, partial.Indicators["asig_fam_tramo_2_hasta"]);
        Assert.False(partial.Indicators.ContainsKey("asig_fam_tramo_3"));
        Assert.Contains("asig_fam_tramo_3_hasta", partial.Metadata.Missing);
        Assert.Contains("asig_fam_tramo_4", partial.Metadata.Missing);
        Assert.DoesNotContain("asig_fam_tramo_4_hasta", partial.Metadata.Missing);
    }

    [Fact]
    public void Without_a_figure_the_module_needs_the_answer_is_no_success_and_names_it()
    {
        var month = Month() with { Uta = null, MinimumWage = null };
        var answer = LegacyIndicators.From(new IndicatorLookup(Period, month, null));
        Assert.False(answer.Success);
        Assert.Equal("Indicadores de 2025-10 sin fuente publicada: uta, sueldo_minimo. Cárguelos manualmente.", answer.Detail);
        Assert.Equal(40000m, answer.Indicators["uf"]);

        var none = LegacyIndicators.From(IndicatorLookup.NotHeld(Period, []));
        Assert.False(none.Success);
        Assert.Empty(none.Indicators);
        Assert.Empty(none.Metadata.Missing);
        Assert.Empty(none.Metadata.Sources);
        Assert.Equal("Los indicadores de 2025-10 no están publicados ni cargados (no hay meses cargados).", none.Detail);
        Assert.Equal(["uf", "utm", "uta", "sueldo_minimo"], LegacyIndicators.Required);
        Assert.Throws<ArgumentNullException>(() => LegacyIndicators.From(null!));
    }

    [Fact]
    public void Afp_keys_are_lower_case_whatever_the_culture()
    {
        var month = Month() with { AfpCommissionsPercent = S<IReadOnlyDictionary<string, decimal>>(new Dictionary<string, decimal> { ["PlanVital"] = 1.16m, ["ISAPRE"] = 1m }) };
        var answer = LegacyIndicators.From(new IndicatorLookup(Period, month, null));
        Assert.Equal(1.16m, answer.Indicators["afp_planvital_comision_pct"]);
        Assert.Equal(11m, answer.Indicators["afp_isapre_tasa_pct"]);
    }
}
