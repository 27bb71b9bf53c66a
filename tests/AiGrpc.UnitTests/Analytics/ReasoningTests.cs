using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The Spanish signals of the reasoning (<c>LocalMatchIndex.Reasoning.cs</c>), word for word: each signal named
/// when it speaks for the project and only then, in order, with its separators and numbers.</summary>
public class ReasoningTests
{
    private static readonly ProjectCandidate Substation = new(
        1, "PRJ-001", "Ampliación Subestación Alto Jahuel 220 kV", null, "Transelec", "Buin", new(2024, 1, 15), new(2025, 6, 30), 2_800_000_000m, ["OC-4500112233"]);

    private static readonly ProjectCandidate Plant = new(
        2, "PRJ-002", "Mantención planta ENAMI Paipote", null, "ENAMI", "Tierra Amarilla", new(2024, 3, 1), new(2025, 3, 31), 500_000m, []);

    private static readonly ProjectCandidate[] Projects = [Substation, Plant];

    private const string Rut = "76.111.111-6";

    private const string AssignedToSubstation = "Asignada a PRJ-001 Ampliación Subestación Alto Jahuel 220 kV (99 %): ";

    private const string WeakForSubstation = "Sin coincidencia confiable: evidencia débil; el mejor candidato, PRJ-001 Ampliación Subestación Alto Jahuel 220 kV, llega a 1 %: ";

    /// <summary>A match with a constant confidence: 99 % (bias 5, answered) or 1 % (bias -5, abstained for weak
    /// evidence), so that the reasoning's signals are all that varies.</summary>
    private static MatchResult Match(InvoiceToMatch invoice, IReadOnlyList<ProjectCandidate>? projects = null, double bias = 5, params AssignedInvoice[] history) =>
        new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5, 0), confidence: new ConfidenceModel(new double[ConfidenceModel.FeatureCount], bias))
            .BuildIndex(projects ?? Projects, history).Match(invoice, TestContext.Current.CancellationToken);

    private static InvoiceToMatch Invoice(string? text, DateOnly? date = null, string? rut = null, string? po = null, decimal? amount = null) =>
        new(text, rut, rut is null ? null : "Proveedor", amount, date, po, []);

    [Fact]
    public void Reference_supplier_history_and_date_are_each_named_in_order()
    {
        var history = Enumerable.Repeat(new AssignedInvoice(Rut, "Proveedor", "arriendo grúa horquilla", 1), 5).Append(new AssignedInvoice(Rut, "Proveedor", "arriendo oficina", null)).ToArray();
        var result = Match(Invoice("arriendo grúa horquilla", new(2024, 6, 1), Rut, "4500112233"), history: history);
        Assert.Equal(1, result.MatchedProjectId);
        Assert.Equal(AssignedToSubstation + "la referencia 4500112233 coincide con el proyecto, el proveedor facturó 5 de 6 veces a este proyecto, "
            + "se parece a facturas anteriores del proyecto (similitud 1.00), la fecha cae dentro del plazo del proyecto.", result.Reasoning);
    }

    [Fact]
    public void A_supplier_that_never_billed_the_project_is_not_named()
    {
        AssignedInvoice[] history = [new(Rut, "Proveedor", "repuestos", 2)];
        var result = Match(Invoice("materiales", new(2024, 6, 1), Rut, "4500112233"), history: history);
        Assert.Equal(AssignedToSubstation + "la referencia 4500112233 coincide con el proyecto, la fecha cae dentro del plazo del proyecto.", result.Reasoning);
    }

    [Fact]
    public void A_partial_likeness_to_past_invoices_gives_its_similarity()
    {
        AssignedInvoice[] history = [.. Enumerable.Repeat(new AssignedInvoice(Rut, "Proveedor", "grúa horquilla 3 ton patio norte turno noche", 1), 2)];
        var result = Match(Invoice("arriendo grúa horquilla", new(2024, 6, 1), Rut), history: history);
        Assert.Equal(AssignedToSubstation + "el proveedor facturó 2 de 2 veces a este proyecto, se parece a facturas anteriores del proyecto (similitud 0.58), "
            + "la fecha cae dentro del plazo del proyecto.", result.Reasoning);
    }

    [Fact]
    public void The_projects_own_text_is_named_with_its_similarity_and_the_date_only_when_it_is_given()
    {
        const string Assigned = "Asignada a PRJ-002 Mantención planta ENAMI Paipote (99 %): el texto se parece al del proyecto (similitud 0.86)";
        Assert.Equal(Assigned + ", la fecha cae dentro del plazo del proyecto.", Match(Invoice("mantención planta enami paipote", new(2024, 6, 1))).Reasoning);
        Assert.Equal(Assigned + ".", Match(Invoice("mantención planta enami paipote")).Reasoning);
    }

    [Fact]
    public void Trade_vocabulary_and_a_voltage_that_fits_are_named()
    {
        var result = Match(Invoice("aislador pedestal 245 kV subestación"));
        Assert.Equal(AssignedToSubstation + "el texto se parece al del proyecto (similitud 0.42), lo facturado (aislador pedestal) es propio de subestación de poder (at/mt), "
            + "la tensión del equipo corresponde a la del proyecto.", result.Reasoning);
    }

    [Fact]
    public void A_kind_of_project_is_named_when_the_bill_abstains_too()
    {
        ProjectCandidate solar = new(3, "PRJ-003", "Planta Fotovoltaica Pampa Norte 80 MW", "Hincado de pilotes y montaje de módulos", "Enel Green Power", "María Elena", null, null, null, []);
        var result = Match(Invoice("módulos fotovoltaicos 550 Wp y conectores MC4"), [Substation, solar], bias: -5);
        Assert.Equal("Sin coincidencia confiable: evidencia débil; el mejor candidato, PRJ-003 Planta Fotovoltaica Pampa Norte 80 MW, llega a 1 %: "
            + "el texto se parece al del proyecto (similitud 0.37), lo facturado (modulos fotovoltaicos) es propio de planta solar fotovoltaica.", result.Reasoning);
    }

    [Fact]
    public void A_rating_both_write_is_named()
    {
        ProjectCandidate[] towers =
        [
            new(10, "TC-01", "Sitio macro torre 36 m Calama norte", "Torre autosoportada, fundación, shelter y empalme.", "Entel", "Calama", null, null, null, []),
            new(11, "TC-02", "Sitio macro torre 42 m Calama sur", "Torre autosoportada, fundación, shelter y empalme.", "Entel", "Calama", null, null, null, []),
        ];
        var result = Match(Invoice("Torre autosoportada 42 m galvanizada"), towers);
        Assert.Equal("Asignada a TC-02 Sitio macro torre 42 m Calama sur (99 %): el texto se parece al del proyecto (similitud 0.42), "
            + "lo facturado (torre autosoportada) es propio de sitios de telecomunicaciones (torres, antenas, fibra), la factura y el proyecto indican 42 m.", result.Reasoning);
    }

    [Fact]
    public void The_sites_address_is_named()
    {
        ProjectCandidate building = new(4, "ED-4", "Edificio Los Carrera", null, "Inmobiliaria Sur", "Av. Los Carrera 1450, Concepción", null, null, null, []);
        var result = Match(Invoice("hormigón losa Av. Los Carrera 1450"), [Substation, building], bias: -5);
        Assert.Equal("Sin coincidencia confiable: evidencia débil; el mejor candidato, ED-4 Edificio Los Carrera, llega a 1 %: "
            + "el texto se parece al del proyecto (similitud 0.63), la factura indica la dirección del proyecto (Av. Los Carrera 1450).", result.Reasoning);
    }

    [Theory]
    [InlineData("flete a Buin", "el texto se parece al del proyecto (similitud 0.35), la factura menciona Buin, donde está el proyecto.")]
    [InlineData("flete a Paine equipos subestación", "el texto se parece al del proyecto (similitud 0.42), Paine y Buin están en la provincia de Maipo.")]
    [InlineData("flete a Punta Arenas equipos subestación alto jahuel", "el texto se parece al del proyecto (similitud 0.73), Alto Jahuel (Buin) está en Buin, donde está el proyecto.")]
    public void A_place_is_named_when_it_is_near_the_project_and_not_when_it_is_far(string text, string signals) =>
        Assert.Equal(WeakForSubstation + signals, Match(Invoice(text), bias: -5).Reasoning);

    [Fact]
    public void An_amount_over_the_budget_is_named_as_a_reservation()
    {
        var result = Match(Invoice("mantención planta enami paipote", new(2024, 6, 1), amount: 1_000_000m));
        Assert.Equal(2, result.MatchedProjectId);
        Assert.Equal("Asignada a PRJ-002 Mantención planta ENAMI Paipote (99 %): el texto se parece al del proyecto (similitud 0.86), "
            + "la fecha cae dentro del plazo del proyecto, aunque el monto supera el presupuesto del proyecto.", result.Reasoning);
    }

    [Fact]
    public void A_best_candidate_with_no_signal_says_that_none_has_more()
    {
        // "No project" made impossible, so that the one project is the best candidate with nothing for it.
        var matcher = new LocalInvoiceMatcher(MatchWeights.Default with { NoneBias = -50 }, new AbstentionPolicy(0.5, 0), new ConfidenceModel(new double[ConfidenceModel.FeatureCount], -5));
        var result = matcher.BuildIndex([new ProjectCandidate(30, "DX-30", "Obra uno", null, null, null, null, null, null, [])], []).Match(Invoice("servicio"), TestContext.Current.CancellationToken);
        Assert.Equal("Sin coincidencia confiable: evidencia débil; el mejor candidato, DX-30 Obra uno, llega a 1 %: ningún proyecto reúne más evidencia.", result.Reasoning);
    }

    [Theory]
    [InlineData(9, "PRJ-9 proyecto 9")] // no name: its id
    [InlineData(8, "Obra sur")] // no code: the name alone, trimmed
    public void A_project_is_named_by_code_and_name_or_by_what_it_has(int id, string described)
    {
        ProjectCandidate[] projects =
        [
            new(9, "PRJ-9", null, null, null, null, null, null, null, ["OC 4500998877"]),
            new(8, " ", "  Obra sur ", null, null, null, null, null, null, ["OC 4500776655"]),
        ];
        var reference = id == 9 ? "4500998877" : "4500776655";
        var result = Match(Invoice("materiales", po: reference), projects);
        Assert.Equal($"Asignada a {described} (99 %): la referencia {reference} coincide con el proyecto.", result.Reasoning);
    }

    [Fact]
    public void A_project_with_neither_code_nor_name_is_named_by_its_id() =>
        Assert.Equal(
            "Asignada a proyecto 8 (99 %): la referencia 4500776655 coincide con el proyecto.",
            Match(Invoice("materiales", po: "4500776655"), [new ProjectCandidate(8, null, " ", null, null, null, null, null, null, ["OC 4500776655"])]).Reasoning);

    [Fact]
    public void No_project_names_the_suppliers_overhead_history()
    {
        var history = Enumerable.Repeat(new AssignedInvoice(Rut, "Proveedor", "servicio mensual", null), 6).Append(new AssignedInvoice(Rut, "Proveedor", "servicio mensual", 2)).ToArray();
        var result = Match(Invoice("servicio mensual", new(2024, 6, 1), Rut), history: history);
        Assert.Null(result.MatchedProjectId);
        Assert.Matches(@"^Sin coincidencia confiable: lo más probable es que no corresponda a un proyecto \(\d+ %\); el proveedor se registró 6 de 7 veces como gasto general\.$", result.Reasoning);
    }

    [Fact]
    public void No_project_without_text_or_evidence_says_which()
    {
        Assert.Matches(@"^Sin coincidencia confiable: lo más probable es que no corresponda a un proyecto \(\d+ %\); la factura no trae texto que comparar\.$", Match(Invoice(null)).Reasoning);

        // The supplier has history, none of it overhead: its share of overhead (none) is not named.
        AssignedInvoice[] history = [new(Rut, "Proveedor", "servicio de aseo", 2), new("77.222.222-2", "Otro", "servicio de aseo", 1)];
        var vague = Match(Invoice("aseo", rut: Rut), history: history);
        Assert.Null(vague.MatchedProjectId);
        Assert.Matches(@"^Sin coincidencia confiable: lo más probable es que no corresponda a un proyecto \(\d+ %\); ningún proyecto reúne evidencia suficiente\.$", vague.Reasoning);
    }
}
