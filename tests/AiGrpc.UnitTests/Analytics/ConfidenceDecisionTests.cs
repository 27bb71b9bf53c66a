using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>How the engine uses its confidence: what it reports, when it answers, and the reference floor.</summary>
public class ConfidenceDecisionTests
{
    private static readonly ProjectCandidate[] Projects =
    [
        new(1, "PRJ-001", "Ampliación Subestación Alto Jahuel 220 kV", null, "Transelec", "Buin", new(2024, 1, 15), new(2025, 6, 30), 2_800_000_000m, ["OC-4500112233"]),
        new(2, "PRJ-002", "Seccionamiento Subestación Los Vilos 110 kV", null, "CGE", "Los Vilos", new(2024, 3, 1), new(2025, 3, 31), 1_400_000_000m, []),
        new(3, "PRJ-003", "Planta Fotovoltaica Pampa Norte 80 MW", "Hincado de pilotes y montaje de módulos", "Enel Green Power", "María Elena", new(2024, 2, 1), new(2025, 8, 31), 7_200_000_000m, []),
    ];

    private static InvoiceToMatch Invoice(string text, string? rut = null, string? po = null) =>
        new(text, rut, rut is null ? null : "Proveedor", null, new(2024, 6, 1), po, []);

    private static MatchResult Match(InvoiceToMatch invoice, LocalInvoiceMatcher? matcher = null, params AssignedInvoice[] history) =>
        (matcher ?? new LocalInvoiceMatcher()).BuildIndex(Projects, history).Match(invoice, TestContext.Current.CancellationToken);

    private static ConfidenceModel Constant(double bias) => new(new double[ConfidenceModel.FeatureCount], bias);

    [Fact]
    public void The_reported_confidence_is_the_models()
    {
        var invoice = Invoice("montaje de módulos planta fotovoltaica pampa norte");
        var sure = Match(invoice, new LocalInvoiceMatcher(confidence: Constant(2)));
        var unsure = Match(invoice, new LocalInvoiceMatcher(confidence: Constant(-2)));

        Assert.Equal(Math.Round(1 / (1 + Math.Exp(-2)), 4), sure.Confidence);
        Assert.Equal(3, sure.MatchedProjectId);
        Assert.StartsWith("Asignada a", sure.Reasoning, StringComparison.Ordinal);
        Assert.Contains("88 %", sure.Reasoning, StringComparison.Ordinal);

        // Same ranking, same logit probabilities: only the decision and the confidence follow the model.
        Assert.Null(unsure.MatchedProjectId);
        Assert.Equal(sure.Ranked, unsure.Ranked);
        Assert.Equal(Math.Round(1 / (1 + Math.Exp(2)), 4), unsure.Confidence);
        Assert.StartsWith("Sin coincidencia confiable: evidencia débil; el mejor candidato, PRJ-003", unsure.Reasoning, StringComparison.Ordinal);
        Assert.Contains("12 %: ", unsure.Reasoning, StringComparison.Ordinal);
        Assert.Contains("texto", unsure.Reasoning, StringComparison.Ordinal); // what points at it
    }

    [Fact]
    public void The_threshold_applies_to_the_confidence()
    {
        var invoice = Invoice("montaje de módulos planta fotovoltaica pampa norte");
        var model = Constant(0); // 0.5 for every bill
        Assert.Equal(3, Match(invoice, new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5, 0), confidence: model)).MatchedProjectId);
        Assert.Null(Match(invoice, new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5001, 0), confidence: model)).MatchedProjectId);
    }

    [Fact]
    public void A_bill_naming_one_projects_reference_keeps_the_reference_floor()
    {
        // A model that trusts nothing still answers a bill carrying one project's order number.
        var result = Match(Invoice("materiales varios", po: "4500112233"), new LocalInvoiceMatcher(confidence: Constant(-30)));
        Assert.Equal(1, result.MatchedProjectId);
        Assert.Equal(0.98, result.Confidence);

        // Without the reference, the same model abstains.
        Assert.Null(Match(Invoice("materiales varios subestación alto jahuel"), new LocalInvoiceMatcher(confidence: Constant(-30))).MatchedProjectId);

        // A confident model is not pulled down to the floor.
        Assert.Equal(Math.Round(1 / (1 + Math.Exp(-5)), 4), Match(Invoice("materiales varios", po: "4500112233"), new LocalInvoiceMatcher(confidence: Constant(5))).Confidence);
    }

    [Fact]
    public void A_request_without_dates_is_judged_by_the_undated_weights()
    {
        var zero = new double[ConfidenceModel.FeatureCount];
        var matcher = new LocalInvoiceMatcher(confidence: new ConfidenceModel(zero, 5, zero, -5));
        var dated = Invoice("montaje de módulos planta fotovoltaica pampa norte");
        Assert.Equal(3, Match(dated, matcher).MatchedProjectId);
        Assert.Null(Match(dated with { IssueDate = null }, matcher).MatchedProjectId);

        // Projects without dates leave nothing to compare either.
        var undatedProjects = Projects.Select(p => p with { StartDate = null, EndDate = null }).ToArray();
        Assert.Null(matcher.BuildIndex(undatedProjects, []).Match(dated, TestContext.Current.CancellationToken).MatchedProjectId);
    }

    [Fact]
    public void A_more_consistent_supplier_history_never_lowers_the_confidence()
    {
        var rut = "76.111.111-6";
        var invoice = Invoice("servicio mensual", rut);
        var previous = 0.0;
        foreach (var bills in new[] { 1, 2, 4, 8, 16, 32 })
        {
            var result = Match(invoice, null, [.. Enumerable.Repeat(new AssignedInvoice(rut, "Proveedor", "servicio mensual", 2), bills)]);
            Assert.Equal(2, result.Ranked[0].ProjectId);
            Assert.True(result.Confidence >= previous, $"{bills} bills: {result.Confidence} after {previous}");
            previous = result.Confidence;
        }
    }

    [Fact]
    public void A_matcher_without_a_model_uses_the_shipped_one()
    {
        var invoice = Invoice("montaje de módulos planta fotovoltaica pampa norte");
        Assert.Equal(Match(invoice, new LocalInvoiceMatcher(confidence: ConfidenceModel.Default)), Match(invoice), new MatchResultComparer());
    }

    [Fact]
    public void Inputs_for_fitting_come_from_the_same_evidence_as_the_match()
    {
        var index = new LocalInvoiceMatcher().Build(Projects, []);
        var invoice = Invoice("montaje de módulos planta fotovoltaica pampa norte");
        var (inputs, best) = index.ConfidenceInputs(invoice)!.Value;
        var result = index.Match(invoice, TestContext.Current.CancellationToken);
        Assert.Equal(result.Ranked[0].ProjectId, best);
        Assert.Equal(Math.Round(ConfidenceModel.Default.Probability(inputs), 4), result.Confidence);
        Assert.Null(new LocalInvoiceMatcher().Build([], []).ConfidenceInputs(invoice));
    }

    private sealed class MatchResultComparer : IEqualityComparer<MatchResult>
    {
        public bool Equals(MatchResult? x, MatchResult? y) =>
            x is not null && y is not null && x.MatchedProjectId == y.MatchedProjectId && x.Confidence == y.Confidence && x.Reasoning == y.Reasoning;

        public int GetHashCode(MatchResult obj) => obj.Confidence.GetHashCode();
    }
}
