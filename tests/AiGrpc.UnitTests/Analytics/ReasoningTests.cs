using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The Spanish signals of the reasoning (<c>LocalMatchIndex.Reasoning.cs</c>), word for word.</summary>
public class ReasoningTests
{
    private static readonly ProjectCandidate Substation = new(
        1, "PRJ-001", "Ampliación Subestación Alto Jahuel 220 kV", null, "Transelec", "Buin", new(2024, 1, 15), new(2025, 6, 30), 2_800_000_000m, ["OC-4500112233"]);

    private static readonly ProjectCandidate Plant = new(
        2, "PRJ-002", "Mantención planta ENAMI Paipote", null, "ENAMI", "Tierra Amarilla", new(2024, 3, 1), new(2025, 3, 31), 500_000m, []);

    private static readonly ProjectCandidate[] Projects = [Substation, Plant];

    private const string Rut = "76.111.111-6";

    private static MatchResult Match(InvoiceToMatch invoice, IReadOnlyList<ProjectCandidate>? projects = null, double bias = 5, params AssignedInvoice[] history) =>
        new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5, 0), confidence: new ConfidenceModel(new double[ConfidenceModel.FeatureCount], bias))
            .BuildIndex(projects ?? Projects, history).Match(invoice, TestContext.Current.CancellationToken);

    [Fact]
    public void Reference_supplier_history_and_date_are_each_named()
    {
        var history = Enumerable.Repeat(new AssignedInvoice(Rut, "Proveedor", "arriendo grúa horquilla", 1), 5).Append(new AssignedInvoice(Rut, "Proveedor", "arriendo oficina", null)).ToArray();
        var result = Match(new("arriendo grúa horquilla", Rut, "Proveedor", null, new(2024, 6, 1), "4500112233", []), history: history);
        Assert.Equal(1, result.MatchedProjectId);
        Assert.Contains("la referencia 4500112233 coincide con el proyecto", result.Reasoning, StringComparison.Ordinal);
        Assert.Contains("el proveedor facturó 5 de 6 veces a este proyecto", result.Reasoning, StringComparison.Ordinal);
        Assert.Contains("se parece a facturas anteriores del proyecto (similitud 1.00)", result.Reasoning, StringComparison.Ordinal);
        Assert.Contains("la fecha cae dentro del plazo del proyecto", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_voltage_that_fits_is_named()
    {
        var result = Match(new("aislador pedestal 245 kV subestación", null, null, null, null, null, []));
        Assert.Equal(1, result.Ranked[0].ProjectId);
        Assert.Contains("la tensión del equipo corresponde a la del proyecto", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rating_both_write_is_named()
    {
        ProjectCandidate[] towers =
        [
            new(10, "TC-01", "Sitio macro torre 36 m Calama norte", "Torre autosoportada, fundación, shelter y empalme.", "Entel", "Calama", null, null, null, []),
            new(11, "TC-02", "Sitio macro torre 42 m Calama sur", "Torre autosoportada, fundación, shelter y empalme.", "Entel", "Calama", null, null, null, []),
        ];
        var result = Match(new("Torre autosoportada 42 m galvanizada", null, null, null, null, null, []), towers);
        Assert.Contains("la factura y el proyecto indican 42 m", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_over_the_budget_is_named_as_a_reservation()
    {
        var result = Match(new("mantención planta enami paipote", null, null, 1_000_000m, new(2024, 6, 1), null, []));
        Assert.Equal(2, result.MatchedProjectId);
        Assert.EndsWith(", aunque el monto supera el presupuesto del proyecto.", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void No_project_names_the_suppliers_overhead_history()
    {
        var history = Enumerable.Repeat(new AssignedInvoice(Rut, "Proveedor", "servicio mensual", null), 6).Append(new AssignedInvoice(Rut, "Proveedor", "servicio mensual", 2)).ToArray();
        var result = Match(new("servicio mensual", Rut, "Proveedor", null, new(2024, 6, 1), null, []), history: history);
        Assert.Null(result.MatchedProjectId);
        Assert.EndsWith("; el proveedor se registró 6 de 7 veces como gasto general.", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void No_project_without_text_or_evidence_says_which()
    {
        var empty = Match(new(null, null, null, null, null, null, []));
        Assert.EndsWith("; la factura no trae texto que comparar.", empty.Reasoning, StringComparison.Ordinal);
        var vague = Match(new("aseo", null, null, null, null, null, []), history: new AssignedInvoice(null, "Otro", "servicio de aseo", null));
        Assert.StartsWith("Sin coincidencia confiable: lo más probable", vague.Reasoning, StringComparison.Ordinal);
        Assert.EndsWith("; ningún proyecto reúne evidencia suficiente.", vague.Reasoning, StringComparison.Ordinal);
    }
}
