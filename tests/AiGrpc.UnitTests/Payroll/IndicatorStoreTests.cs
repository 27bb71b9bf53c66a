using System.Text;
using System.Text.Json;
using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>The shipped indicator file and the store: what is sourced is read as published, what is not stays absent.</summary>
public class IndicatorStoreTests
{
    private static readonly PayrollPeriod October2025 = new(2025, 10);

    [Fact]
    public void The_shipped_file_has_every_month_from_2024_01_to_2026_09_and_is_parsed_once()
    {
        var months = IndicatorFile.Shipped;
        Assert.Equal(33, months.Count);
        Assert.Equal(new PayrollPeriod(2024, 1), months.Keys.Min());
        Assert.Equal(new PayrollPeriod(2026, 9), months.Keys.Max());
        Assert.Same(months, IndicatorFile.Shipped);
        Assert.All(months.Values.SelectMany(m => m.Sources().Values), s => Assert.True(s.Length >= 10, s));
    }

    [Fact]
    public void October_2025_reads_as_published()
    {
        var october = new InMemoryIndicatorStore().Get(October2025).Month!;
        Assert.Equal(39597.67m, october.UfLastDay!.Value);
        Assert.Equal(69265m, october.Utm!.Value);
        Assert.Equal("derived", october.Utm.Basis);
        Assert.Equal(12 * 69265m, october.Uta!.Value);
        Assert.Equal(529000m, october.MinimumWage!.Value);
        Assert.Equal("Ley N° 21.751 (D.O. 28-06-2025)", october.MinimumWageLaw);
        Assert.Equal(87.8m, october.TaxableCapPensionUf!.Value);
        Assert.Equal(131.9m, october.TaxableCapUnemploymentUf!.Value);
        Assert.Equal(0.46m, october.AfpCommissionsPercent!.Value["Uno"]);
        Assert.Equal(7, october.AfpCommissionsPercent.Value.Count);
        Assert.Equal(0.6m, october.UnemploymentInsurance!.Value.IndefiniteWorker);
        Assert.Equal(0m, october.UnemploymentInsurance.Value.FixedTermWorker);
        Assert.Equal(8, october.IncomeTaxBrackets!.Value.Count);
        Assert.Null(october.IncomeTaxBrackets.Value[^1].ToUtm);
        Assert.Equal(["family_allowance_brackets", "sis_percent", "uf_first_day"], october.Missing().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_month_not_published_is_reported_as_such()
    {
        var store = new InMemoryIndicatorStore();
        var lookup = store.Get(new PayrollPeriod(2027, 1));
        Assert.False(lookup.Found);
        Assert.Null(lookup.Month);
        Assert.Contains("2027-01", lookup.Reason, StringComparison.Ordinal);
        Assert.Contains("2024-01 a 2026-09", lookup.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_figures_are_never_filled_in()
    {
        // UTM June 2025 and the 2026 tax table are not sourced; neighbouring months are, and must not leak in.
        var store = new InMemoryIndicatorStore();
        Assert.Null(store.Get(new PayrollPeriod(2025, 6)).Month!.Utm);
        Assert.NotNull(store.Get(new PayrollPeriod(2025, 5)).Month!.Utm);
        Assert.Null(store.Get(new PayrollPeriod(2026, 1)).Month!.IncomeTaxBrackets);
        Assert.NotNull(store.Get(new PayrollPeriod(2025, 12)).Month!.IncomeTaxBrackets);
        Assert.Null(store.Get(October2025).Month!.FamilyAllowanceBrackets);
        Assert.NotNull(store.Get(new PayrollPeriod(2025, 7)).Month!.FamilyAllowanceBrackets);

        // The validator says what it could not check instead of borrowing a value.
        var payslip = PayslipJson.Read(PayslipCases.All["warn-june-2025-utm-unsourced"].Body);
        var result = PayslipValidator.Validate(payslip, store);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("impuesto_unico", skipped.Rule);
        Assert.Contains("utm", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_upsert_overrides_the_base_month_and_only_that_month()
    {
        var store = new InMemoryIndicatorStore();
        var october = store.Get(October2025).Month!;
        var brackets = store.Get(new PayrollPeriod(2025, 7)).Month!.FamilyAllowanceBrackets!;
        var corrected = october with
        {
            FamilyAllowanceBrackets = brackets with { Source = "Corrección del administrador: resolución de prueba", Basis = "in_force" },
        };

        store.Upsert(corrected);

        Assert.True(store.IsOverridden(October2025));
        Assert.Same(corrected, store.Get(October2025).Month);
        Assert.False(store.IsOverridden(new PayrollPeriod(2025, 9)));
        Assert.Null(new InMemoryIndicatorStore().Get(October2025).Month!.FamilyAllowanceBrackets);

        // With the tramos corrected, the October payslip with asignación familiar is now fully checked.
        var payslip = PayslipJson.Read(PayslipCases.All["warn-october-family-allowance-unsourced"].Body);
        var result = PayslipValidator.Validate(payslip, store);
        Assert.Empty(result.Findings);
        Assert.Equal(Recommendation.Approve, result.Recommendation);
    }

    [Fact]
    public void An_upsert_adds_a_month_and_keeps_months_in_order()
    {
        var store = new InMemoryIndicatorStore();
        var january = MonthlyIndicators.Empty(new PayrollPeriod(2027, 1)) with
        {
            MinimumWage = new Sourced<decimal>(560000m, "Prueba: ley de reajuste ficticia para el test", "in_force"),
        };
        store.Upsert(january);
        Assert.True(store.Get(january.Period).Found);
        Assert.Equal(january.Period, store.Months[^1]);
        Assert.Equal(34, store.Months.Count);
    }

    [Fact]
    public void A_figure_without_a_source_is_refused()
    {
        var store = new InMemoryIndicatorStore();
        var unsourced = MonthlyIndicators.Empty(October2025) with { Utm = new Sourced<decimal>(70000m, " ", "observed") };
        var error = Assert.Throws<ArgumentException>(() => store.Upsert(unsourced));
        Assert.Contains("utm", error.Message, StringComparison.Ordinal);
        Assert.False(store.IsOverridden(October2025));
    }

    [Fact]
    public void A_file_with_a_value_but_no_source_does_not_load()
    {
        const string json = """{"months": {"2025-10": {"utm": {"value": 69265, "basis": "observed"}}}}""";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        Assert.Throws<InvalidDataException>(() => IndicatorFile.Parse(stream));
    }

    [Fact]
    public void A_month_object_with_nulls_reads_as_missing_figures()
    {
        using var document = JsonDocument.Parse("""{"utm": null, "minimum_wage": {"value": 529000, "source": "Ley N° 21.751 (prueba)", "law": "Ley N° 21.751"}}""");
        var month = IndicatorFile.ParseMonth(October2025, document.RootElement);
        Assert.Null(month.Utm);
        Assert.Equal(529000m, month.MinimumWage!.Value);
        Assert.Equal("Ley N° 21.751", month.MinimumWageLaw);
        Assert.Equal(IndicatorFields.All.Count - 1, month.Missing().Count);
    }

    [Theory]
    [InlineData("2025-10", true)]
    [InlineData("2025-1", false)]
    [InlineData("2025-13", false)]
    [InlineData("2025/10", false)]
    [InlineData("25-10-01", false)]
    [InlineData("1999-12", false)]
    [InlineData("", false)]
    public void Periods_are_read_only_as_yyyy_mm(string text, bool valid)
    {
        Assert.Equal(valid, PayrollPeriod.TryParse(text, out var period));
        if (valid)
        {
            Assert.Equal(text, period.ToString());
        }
    }
}
