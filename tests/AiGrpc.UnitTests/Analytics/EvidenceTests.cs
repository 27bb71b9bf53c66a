using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>What the engine reads from a bill (<c>LocalMatchIndex.Evidence.cs</c>, <c>LocalMatchIndex.cs</c>): each
/// feature on both sides of its rule, through <see cref="LocalMatchIndex.Features"/>.</summary>
public class EvidenceTests
{
    // Feature positions (MatchWeights.ProjectVector order).
    private const int Reference = 0;
    private const int Supplier = 1;
    private const int ProjectText = 2;
    private const int HistoryText = 3;
    private const int Date = 4;
    private const int OverBudget = 5;
    private const int Address = 19;

    private static readonly ProjectCandidate Substation = new(
        1, "PRJ-001", "Ampliación Subestación Alto Jahuel 220 kV", null, "Transelec", "Buin", new(2024, 1, 15), new(2025, 6, 30), 2_800_000_000m, ["OC-4500112233"]);

    private static readonly ProjectCandidate Tender = new(
        2, "PRJ-002", "Mantención planta ENAMI Paipote", null, "ENAMI", "Tierra Amarilla", new(2024, 3, 1), new(2025, 3, 31), 500_000m, ["ENAMI-LP-2025-0087", "812"]);

    private static readonly ProjectCandidate Solar = new(
        3, "PRJ-003", "Planta Fotovoltaica Pampa Norte 80 MW", "Hincado de pilotes y montaje de módulos", "Enel Green Power", "María Elena", new(2024, 2, 1), new(2025, 8, 31), 7_200_000_000m, []);

    private static readonly ProjectCandidate[] Projects = [Substation, Tender, Solar];

    private static InvoiceToMatch Invoice(string? text, string? po = null, DateOnly? date = null, decimal? amount = null, string? rut = null, params string[] lines) =>
        new(text, rut, rut is null ? null : "Proveedor", amount, date ?? new(2024, 6, 1), po, [.. lines.Select(l => new InvoiceLineToMatch(l))]);

    private static double[] Of(IReadOnlyList<CandidateFeatures> features, int index) => features.Single(f => f.ProjectIndex == index).Values;

    private static double[] None(IReadOnlyList<CandidateFeatures> features) => features.Single(f => f.ProjectIndex < 0).Values;

    private static IReadOnlyList<CandidateFeatures> Features(InvoiceToMatch invoice, IReadOnlyList<ProjectCandidate>? projects = null, params AssignedInvoice[] history) =>
        new LocalInvoiceMatcher().Build(projects ?? Projects, history).Features(invoice);

    [Fact]
    public void A_bill_with_only_lines_is_read_from_its_lines()
    {
        var features = Features(Invoice(null, lines: "montaje de módulos planta fotovoltaica pampa norte"));
        Assert.True(Of(features, 2)[ProjectText] > 0.15);
        Assert.Equal(0, Of(features, 0)[ProjectText]);
    }

    [Theory]
    [InlineData("812", 1.0)]       // a bare order number of three characters is a reference
    [InlineData("81", 0.0)]        // of two, not
    [InlineData("OC N° 4500112233 / 2024", 0.0)] // another project's order: not this one
    public void A_short_bare_order_number_is_a_reference(string po, double expected) =>
        Assert.Equal(expected, Of(Features(Invoice("servicios", po)), 1)[Reference]);

    [Fact]
    public void An_order_number_inside_a_longer_order_field_is_read()
    {
        var features = Features(Invoice("servicios", "OC N° 4500112233 / 2024"));
        Assert.Equal(1, Of(features, 0)[Reference]);
        Assert.Equal(0, Of(features, 1)[Reference]);
    }

    [Fact]
    public void A_tender_written_with_spaces_is_read_in_the_order_field_and_in_lines()
    {
        Assert.Equal(1, Of(Features(Invoice("servicios", "ENAMI LP 2025 0087")), 1)[Reference]);
        Assert.Equal(1, Of(Features(Invoice("servicios", null, lines: "SEGUN LICITACION ENAMI LP 2025 0087")), 1)[Reference]);
        Assert.Equal(0, Of(Features(Invoice("servicios", "ENAMI LP 2025 0088")), 1)[Reference]);
    }

    [Fact]
    public void An_address_counts_only_for_the_project_at_it()
    {
        ProjectCandidate[] hospitals =
        [
            new(20, "GM-01", "Red de gases clínicos Hospital de Temuco", "Red de oxígeno y vacío (Manuel Montt 115), 40 camas.", "SS Araucanía Sur", "Temuco", null, null, null, []),
            new(21, "GM-02", "Central de esterilización Clínica de Temuco", "Autoclaves y red de vapor (Senador Estébanez 645).", "Clínica Alemana", "Temuco", null, null, null, []),
            new(22, "GM-03", "Bodega central", null, null, "Temuco", null, null, null, []),
        ];
        var features = Features(Invoice("DESPACHO MATERIALES SENADOR ESTEBANEZ 645"), hospitals);
        Assert.Equal(0, Of(features, 0)[Address]);
        Assert.Equal(1, Of(features, 1)[Address]);
        Assert.Equal(0, Of(features, 2)[Address]);
    }

    [Theory]
    [InlineData(2024, 1, 15, 1)]   // the start
    [InlineData(2023, 12, 1, 1)]   // 45 days before it: still inside the tolerance
    [InlineData(2023, 11, 30, -1)] // 46 days before it
    [InlineData(2025, 10, 28, 1)]  // 120 days after the end (2025-06-30)
    [InlineData(2025, 10, 29, -1)] // 121 days after it
    public void The_date_window_has_a_tolerance_on_each_side(int year, int month, int day, double expected) =>
        Assert.Equal(expected, Of(Features(Invoice("servicios", date: new(year, month, day))), 0)[Date]);

    [Fact]
    public void A_project_with_only_an_end_date_is_still_dated()
    {
        ProjectCandidate[] projects = [Substation with { StartDate = null }, Solar with { StartDate = null, EndDate = null }];
        var features = Features(Invoice("servicios", date: new(2026, 6, 1)), projects);
        Assert.Equal(-1, Of(features, 0)[Date]);
        Assert.Equal(0, Of(features, 1)[Date]); // no dates: nothing to compare
        Assert.Equal(0, Of(Features(Invoice("servicios") with { IssueDate = null }), 0)[Date]);
    }

    [Theory]
    [InlineData(1_000_000, 1)] // over the 500,000 budget
    [InlineData(500_000, 0)]   // at it
    public void An_amount_over_the_budget_is_flagged(int amount, double expected) =>
        Assert.Equal(expected, Of(Features(Invoice("servicios", amount: amount)), 1)[OverBudget]);

    [Fact]
    public void A_budget_of_zero_is_unknown_not_exceeded()
    {
        // The Odoo module sends "budget": 0 for every project.
        var features = Features(Invoice("servicios", amount: 1_000_000), [Tender with { Budget = 0 }]);
        Assert.Equal(0, Of(features, 0)[OverBudget]);
    }

    [Fact]
    public void History_text_counts_for_its_project_and_overhead_history_for_no_project()
    {
        AssignedInvoice[] history =
        [
            new(null, "Otro", "arriendo grúa horquilla faena buin", 1),
            new(null, "Otro", "arriendo grúa horquilla faena buin", 1),
            new(null, "Otro", "toner impresora oficina central", null),
        ];
        var lift = Features(Invoice("arriendo grúa horquilla faena buin"), null, history);
        Assert.True(Of(lift, 0)[HistoryText] > 0.5);
        Assert.Equal(0, Of(lift, 2)[HistoryText]);
        Assert.Equal(0, None(lift)[2]);

        var toner = Features(Invoice("toner impresora oficina central"), null, history);
        Assert.True(None(toner)[2] > 0.5);
        Assert.Equal(0, Of(toner, 0)[HistoryText]);
    }

    [Fact]
    public void A_supplier_of_the_first_project_counts_for_it()
    {
        var rut = "76.111.111-6";
        var history = Enumerable.Repeat(new AssignedInvoice(rut, "Proveedor", "servicio", 1), 4).ToArray();
        var features = Features(Invoice("servicio", rut: rut), null, history);
        Assert.True(Of(features, 0)[Supplier] > 0);
        Assert.Equal(0, Of(features, 1)[Supplier]);
    }

    [Fact]
    public void A_misspelt_long_word_finds_the_projects_word()
    {
        ProjectCandidate[] projects = [Solar, new(7, "PRJ-007", "Cancha sintética Tierras Blancas", null, "Municipalidad de Coquimbo", "Coquimbo", null, null, null, [])];
        var features = Features(Invoice("BLACNAS"), projects);
        Assert.True(Of(features, 1)[ProjectText] > 0);
        Assert.Equal(0, Of(features, 0)[ProjectText]);
    }

    [Fact]
    public void The_index_checks_its_arguments_and_the_cancellation()
    {
        var index = new LocalInvoiceMatcher().Build(Projects, []);
        Assert.Throws<ArgumentNullException>(() => index.Match(null!, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentNullException>(() => index.Features(null!));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => index.Match(Invoice("servicios"), cancelled.Token));
    }

    [Theory]
    [InlineData(1.0, "high")]
    [InlineData(0.85, "high")]
    [InlineData(0.8499, "medium")]
    [InlineData(0.7, "medium")]
    [InlineData(0.6999, "low")]
    [InlineData(0.5, "low")]
    [InlineData(0.4999, "very_low")]
    [InlineData(0.0, "very_low")]
    public void Confidence_bands_for_traces(double confidence, string band) =>
        Assert.Equal(band, LocalMatchIndex.ConfidenceBand(confidence));
}
