using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

public class LocalMatcherTests
{
    private static readonly ProjectCandidate AltoJahuel = new(
        1, "PRJ-2024-001", "Ampliación Subestación Alto Jahuel 220 kV", "Nuevos paños de línea, celdas y malla de puesta a tierra.",
        "Transelec", "Buin", new DateOnly(2024, 1, 15), new DateOnly(2025, 6, 30), 2_800_000_000m, ["OC-4500112233"]);

    private static readonly ProjectCandidate ParqueSolar = new(
        2, "PRJ-2024-010", "Parque Solar Diego de Almagro", "Montaje de estructuras, paneles fotovoltaicos e inversores.",
        "Colbún", "Diego de Almagro, Atacama", new DateOnly(2024, 3, 1), new DateOnly(2025, 3, 31), 9_000_000_000m, ["Contrato 4600020011"]);

    private static readonly ProjectCandidate ElTeniente = new(
        3, "PRJ-2023-012", "Mantención eléctrica Mina El Teniente", "Mantención de salas eléctricas y subestaciones unitarias.",
        "Codelco", "Machalí, O'Higgins", new DateOnly(2023, 5, 1), new DateOnly(2024, 4, 30), 600_000_000m, ["4500998877"]);

    private static readonly ProjectCandidate[] Projects = [AltoJahuel, ParqueSolar, ElTeniente];

    private static InvoiceToMatch Invoice(string? description, string? rut = null, string? name = null, decimal? amount = null, DateOnly? date = null, string? po = null) =>
        new(description, rut, name, amount, date ?? new DateOnly(2024, 6, 10), po, []);

    private static MatchResult Match(InvoiceToMatch invoice, IReadOnlyList<AssignedInvoice>? history = null, IReadOnlyList<ProjectCandidate>? projects = null) =>
        new LocalInvoiceMatcher().BuildIndex(projects ?? Projects, history ?? []).Match(invoice, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("O.C. N° 4500112233")]
    [InlineData("oc-0004500112233")]
    [InlineData("4500112233")]
    public void A_purchase_order_bound_to_a_project_decides(string po)
    {
        var result = Match(Invoice("servicio según orden adjunta", po: po));
        Assert.Equal(AltoJahuel.Id, result.MatchedProjectId);
        Assert.Contains("referencia", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_code_in_the_description_decides() =>
        Assert.Equal(ParqueSolar.Id, Match(Invoice("Servicios varios proyecto PRJ-2024-010")).MatchedProjectId);

    [Fact]
    public void Text_with_abbreviations_and_typos_finds_the_project()
    {
        var result = Match(Invoice("mant. salas electricas mina el tenientte machali", date: new DateOnly(2023, 9, 1)));
        Assert.Equal(ElTeniente.Id, result.MatchedProjectId);
        Assert.True(result.Confidence >= 0.5);
    }

    [Fact]
    public void Supplier_history_assigns_a_vague_invoice()
    {
        var history = Enumerable.Range(0, 6).Select(_ => new AssignedInvoice("76.086.428-5", "Grúas del Norte SpA", "arriendo grúa horquilla", ParqueSolar.Id)).ToList();
        var result = Match(Invoice("arriendo según contrato", rut: "76086428-5"), history);
        Assert.Equal(ParqueSolar.Id, result.MatchedProjectId);
        Assert.Contains("proveedor", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Supplier_history_matches_by_name_when_the_rut_is_missing()
    {
        var history = Enumerable.Range(0, 6).Select(_ => new AssignedInvoice(null, "Grúas del Norte SpA", "arriendo grúa horquilla", ParqueSolar.Id)).ToList();
        var byName = Match(Invoice("arriendo según contrato", name: "GRUAS DEL NORTE S.P.A."), history);
        var unknown = Match(Invoice("arriendo según contrato", name: "Otra Empresa Ltda."), history);
        Assert.Equal(ParqueSolar.Id, byName.Ranked[0].ProjectId);
        Assert.True(byName.Confidence > unknown.Confidence + 0.2, $"{byName.Confidence} vs {unknown.Confidence}");
    }

    [Fact]
    public void One_odd_invoice_in_a_supplier_history_does_not_dominate()
    {
        // The supplier billed Alto Jahuel once; the invoice text points at the solar plant.
        var odd = new[] { new AssignedInvoice("76.086.428-5", "Grúas del Norte SpA", "arriendo grúa", AltoJahuel.Id) };
        var invoice = Invoice("montaje estructuras paneles fotovoltaicos Diego de Almagro", rut: "76086428-5");
        var withOdd = Match(invoice, odd);
        Assert.Equal(ParqueSolar.Id, withOdd.MatchedProjectId);

        // Consistent history, by contrast, is strong evidence.
        var consistent = Enumerable.Range(0, 8).Select(_ => odd[0]).ToList();
        var vague = Match(Invoice("arriendo", rut: "76086428-5"), consistent);
        Assert.Equal(AltoJahuel.Id, vague.MatchedProjectId);
    }

    [Fact]
    public void History_of_no_project_is_evidence_for_general_overhead()
    {
        var history = Enumerable.Range(0, 6).Select(i => new AssignedInvoice("96.686.868-6", "Arriendos Apoquindo SA", "arriendo oficina central", null)).ToList();
        var result = Match(Invoice("arriendo oficina mes de junio", rut: "96686868-6"), history);
        Assert.Null(result.MatchedProjectId);
        Assert.Contains("gasto general", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_look_alike_projects_make_the_engine_abstain()
    {
        var twin = AltoJahuel with { Id = 9, Code = "PRJ-2024-002", Keywords = [] };
        var result = Match(Invoice("ampliación subestación alto jahuel paños de línea"), projects: [AltoJahuel with { Keywords = [] }, twin, ParqueSolar]);
        Assert.Null(result.MatchedProjectId);
        Assert.Contains("demasiado parecidos", result.Reasoning, StringComparison.Ordinal);
        Assert.Equal(2, result.Ranked.Take(2).Select(r => r.ProjectId).Intersect([1, 9]).Count());
    }

    [Fact]
    public void A_street_address_tells_projects_in_one_commune_apart()
    {
        ProjectCandidate[] hospitals =
        [
            new(20, "GM-01", "Red de gases clínicos Hospital de Temuco", "Red de oxígeno y vacío (Manuel Montt 115), 40 camas.", "SS Araucanía Sur", "Temuco", null, null, null, []),
            new(21, "GM-02", "Central de esterilización Clínica de Temuco", "Autoclaves y red de vapor (Senador Estébanez 645).", "Clínica Alemana", "Temuco", null, null, null, []),
        ];
        // The same words with the other address rank the other project first: only the address tells them apart.
        Assert.Equal(21, Match(Invoice("DESPACHO MATERIALES SENADOR ESTEBANEZ 645"), projects: hospitals).Ranked[0].ProjectId);
        Assert.Equal(20, Match(Invoice("DESPACHO MATERIALES MANUEL MONTT 115"), projects: hospitals).Ranked[0].ProjectId);
        var result = Match(Invoice("REPUESTOS AUTOCLAVE DESPACHO SENADOR ESTEBANEZ 645"), projects: hospitals);
        Assert.Equal(21, result.MatchedProjectId);
        Assert.Contains("dirección del proyecto (Senador Estébanez 645)", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rating_tells_look_alike_projects_apart()
    {
        ProjectCandidate[] towers =
        [
            new(10, "TC-01", "Sitio macro torre 36 m Calama norte", "Torre autosoportada, fundación, shelter y empalme.", "Entel", "Calama", null, null, null, []),
            new(11, "TC-02", "Sitio macro torre 42 m Calama sur", "Torre autosoportada, fundación, shelter y empalme.", "Entel", "Calama", null, null, null, []),
        ];
        var result = Match(Invoice("Torre autosoportada 42 m galvanizada"), projects: towers);
        var unrated = Match(Invoice("Torre autosoportada galvanizada"), projects: towers);
        Assert.Equal(11, result.Ranked[0].ProjectId);
        Assert.True(result.Ranked[0].Confidence > 0.9, string.Join(", ", result.Ranked));
        Assert.True(result.Confidence > unrated.Confidence + 0.3, $"{result.Confidence} vs {unrated.Confidence}");
        Assert.Contains("42 m", result.Reasoning, StringComparison.Ordinal); // named whether it is assigned or only first
    }

    [Fact]
    public void Weak_evidence_makes_the_engine_abstain()
    {
        var result = Match(Invoice("servicios varios"));
        Assert.Null(result.MatchedProjectId);
        Assert.StartsWith("Sin coincidencia confiable", result.Reasoning, StringComparison.Ordinal);
        Assert.True(result.Confidence < 0.5);
    }

    [Fact]
    public void Abstention_threshold_is_configurable()
    {
        var invoice = Invoice("mantención salas eléctricas", date: new DateOnly(2023, 9, 1));
        var lenient = new LocalInvoiceMatcher().BuildIndex(Projects, []).Match(invoice, TestContext.Current.CancellationToken);
        Assert.Equal(ElTeniente.Id, lenient.MatchedProjectId);
        Assert.True(lenient.Confidence < 1);

        // The same evidence under a threshold just above its confidence: abstain, same ranking.
        var strict = new LocalInvoiceMatcher(abstention: new AbstentionPolicy(MinConfidence: lenient.Confidence + 0.0001, MinMargin: 0))
            .BuildIndex(Projects, []).Match(invoice, TestContext.Current.CancellationToken);
        Assert.Null(strict.MatchedProjectId);
        Assert.Equal(ElTeniente.Id, strict.Ranked[0].ProjectId);
    }

    [Fact]
    public void An_issue_date_outside_the_project_lowers_its_probability()
    {
        var text = "mantención salas eléctricas subestaciones unitarias";
        var inside = Match(Invoice(text, date: new DateOnly(2023, 9, 1)));
        var outside = Match(Invoice(text, date: new DateOnly(2026, 9, 1)));
        Assert.True(Score(outside, ElTeniente.Id) < Score(inside, ElTeniente.Id));
    }

    [Fact]
    public void The_date_separates_two_projects_with_the_same_text()
    {
        var earlier = ElTeniente with { Id = 31, Code = "PRJ-2021-003", StartDate = new DateOnly(2021, 1, 1), EndDate = new DateOnly(2021, 12, 31), Keywords = [] };
        var later = ElTeniente with { Keywords = [] };
        var result = Match(Invoice("mantención salas eléctricas mina el teniente", date: new DateOnly(2023, 10, 1)), projects: [earlier, later]);
        Assert.Equal(later.Id, result.MatchedProjectId);
    }

    [Fact]
    public void An_amount_over_the_budget_does_not_raise_the_probability()
    {
        var text = "mantención salas eléctricas mina el teniente";
        var within = Match(Invoice(text, amount: 10_000_000m, date: new DateOnly(2023, 9, 1)));
        var over = Match(Invoice(text, amount: 900_000_000m, date: new DateOnly(2023, 9, 1)));
        Assert.True(Score(over, ElTeniente.Id) <= Score(within, ElTeniente.Id));
    }

    [Fact]
    public void A_wrong_rut_check_digit_is_a_warning_not_a_failure()
    {
        var result = Match(Invoice("según O.C. 4500112233", rut: "76.086.428-3"));
        Assert.Equal(AltoJahuel.Id, result.MatchedProjectId);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("dígito verificador", warning, StringComparison.Ordinal);
        Assert.Contains("dígito verificador", result.Reasoning, StringComparison.Ordinal);
        Assert.Empty(Match(Invoice("según O.C. 4500112233", rut: "76.086.428-5")).Warnings);
    }

    [Fact]
    public void No_projects_means_no_match()
    {
        var result = Match(Invoice("mantención subestación", po: "4500112233"), projects: []);
        Assert.Null(result.MatchedProjectId);
        Assert.Empty(result.Ranked);
        Assert.Empty(result.Alternatives);
    }

    [Fact]
    public void Empty_and_null_input_does_not_throw()
    {
        var result = Match(new InvoiceToMatch(null, null, null, null, null, null, []),
            [new AssignedInvoice(null, null, null, null)],
            [new ProjectCandidate(5, null, null, null, null, null, null, null, null, [])]);
        Assert.Null(result.MatchedProjectId);
    }

    [Fact]
    public void Matching_is_deterministic_and_alternatives_exclude_the_match()
    {
        var history = new[] { new AssignedInvoice("76.086.428-5", "Grúas del Norte SpA", "arriendo grúa parque solar", ParqueSolar.Id) };
        var invoice = Invoice("arriendo grúa montaje paneles", rut: "76086428-5");
        var first = Match(invoice, history);
        var second = new LocalInvoiceMatcher().BuildIndex([.. Projects], [.. history]).Match(invoice, TestContext.Current.CancellationToken);
        Assert.Equal(first.MatchedProjectId, second.MatchedProjectId);
        Assert.Equal(first.Confidence, second.Confidence);
        Assert.Equal(first.Reasoning, second.Reasoning);
        Assert.Equal(first.Ranked, second.Ranked);
        Assert.DoesNotContain(first.Alternatives, a => a.ProjectId == first.MatchedProjectId);
        Assert.InRange(first.Ranked.Sum(r => r.Confidence), 0, 1.0001);
        Assert.NotEmpty(first.SimilarHistory);
    }

    [Fact]
    public void Long_project_texts_bypass_the_analysis_cache_but_match_the_same()
    {
        // Over the cache's length limit the text is analysed every time; the answer must not depend on it.
        var padding = string.Join(' ', Enumerable.Repeat("sala eléctrica", 60));
        var longer = ElTeniente with { Description = ElTeniente.Description + " " + padding };
        var invoice = Invoice("mantención salas eléctricas mina el teniente", date: new DateOnly(2023, 9, 1));
        var first = Match(invoice, projects: [AltoJahuel, ParqueSolar, longer]);
        var second = Match(invoice, projects: [AltoJahuel, ParqueSolar, longer]);
        Assert.Equal(ElTeniente.Id, first.MatchedProjectId);
        Assert.Equal(first.Ranked, second.Ranked);
    }

    [Fact]
    public void A_projects_short_code_written_on_the_bill_is_a_reference_to_it()
    {
        var coded = ParqueSolar with { Code = "PV-DA-FV" };
        var features = Features(Invoice("MONTAJE ESTRUCTURAS OC PV-DA-FV"), [], [AltoJahuel, coded, ElTeniente]);
        Assert.Equal([0.0, 1.0, 0.0], features.Take(3).Select(f => f.Values[0]));
    }

    [Fact]
    public void An_equipment_tag_that_one_projects_name_holds_is_a_reference_to_it()
    {
        // "CV-310" is in the solar plant's name alone: a reference to it, hyphenated or not as the name writes it.
        // "CT-12" is in two names: it names neither. A tag in a description is no reference (grades such as H-30 are
        // written there).
        var tagged = ParqueSolar with { Name = ParqueSolar.Name + " correa CV-310" };
        var twinA = AltoJahuel with { Name = AltoJahuel.Name + " CT-12" };
        var twinB = ElTeniente with { Name = ElTeniente.Name + " CT-12", Description = ElTeniente.Description + " tanque TK-31" };
        Assert.Equal([0.0, 1.0, 0.0], Features(Invoice("ALOJAMIENTO CUADRILLA CAMBIO POLINES CV-310"), [], [twinA, tagged, twinB]).Take(3).Select(f => f.Values[0]));
        Assert.Equal([0.0, 0.0, 0.0], Features(Invoice("EPP CUADRILLA CAMBIO POLEAS CT-12"), [], [twinA, tagged, twinB]).Take(3).Select(f => f.Values[0]));
        Assert.Equal([0.0, 0.0, 0.0], Features(Invoice("LIMPIEZA TK-31"), [], [twinA, tagged, twinB]).Take(3).Select(f => f.Values[0]));
    }

    [Fact]
    public void A_bill_that_names_only_a_projects_client_covers_it_as_one_that_names_the_project()
    {
        // Feature 14 is the name coverage: the larger of the shares of the project's name and of its client's name
        // that the bill writes (weighted by rarity), so "SEGUN OC COLBUN" covers the solar plant whose client is Colbún.
        var features = Features(Invoice("montaje segun OC Colbún"), [], Projects);
        Assert.Equal(1.0, features[1].Values[14], 9);
        Assert.Equal(0.0, features[0].Values[14]);
    }

    [Fact]
    public void A_reference_shared_by_two_projects_is_evidence_for_both_in_halves()
    {
        var twin = ParqueSolar with { Keywords = ["OC-4500112233"] };
        var features = Features(Invoice("servicio según orden", po: "4500112233"), [], [AltoJahuel, twin, ElTeniente]);
        Assert.Equal([0.5, 0.5, 0.0], features.Take(3).Select(f => f.Values[0]));
    }

    [Fact]
    public void History_of_projects_that_are_not_candidates_does_not_count_for_the_supplier()
    {
        // Six invoices went to a project that is not among the candidates, one to the solar plant: the supplier's
        // share of the solar plant is 1 of 1 (smoothed by two pseudo-invoices), not 1 of 7.
        var history = Enumerable.Range(0, 6).Select(_ => new AssignedInvoice("76.086.428-5", "Grúas del Norte SpA", "arriendo grúa", 99))
            .Append(new AssignedInvoice("76086428-5", "Grúas del Norte SpA", "arriendo grúa", ParqueSolar.Id)).ToList();
        var features = Features(Invoice("arriendo", rut: "76.086.428-5"), history, Projects);
        Assert.Equal(1.0 / 3.0, features[1].Values[1], 12);
        Assert.Equal(0.0, features[0].Values[1]);
    }

    [Fact]
    public void Supplier_counts_do_not_depend_on_which_suppliers_were_asked_before()
    {
        // Counts are made when a supplier is first asked for and kept; an index asked in any order, twice, must
        // answer as fresh indexes do, by RUT and by name, for suppliers in the history and not.
        var random = new Random(7);
        var history = Enumerable.Range(0, 300).Select(i => new AssignedInvoice(
            i % 5 == 0 ? null : $"{10_000_000 + (i % 23)}-{i % 10}", $"Proveedor {i % 17} Ltda.", "arriendo equipos", i % 7 == 0 ? null : Projects[i % 3].Id)).ToList();
        var invoices = Enumerable.Range(0, 40).Select(i => Invoice("arriendo", rut: i % 4 == 0 ? null : $"{10_000_000 + (i % 29)}-{i % 10}", name: $"PROVEEDOR {i % 19} LTDA")).ToList();
        var shared = new LocalInvoiceMatcher().BuildIndex(Projects, history);
        foreach (var invoice in invoices.Concat(invoices.OrderBy(_ => random.Next())))
        {
            var fresh = new LocalInvoiceMatcher().BuildIndex(Projects, history).Match(invoice, TestContext.Current.CancellationToken);
            var kept = shared.Match(invoice, TestContext.Current.CancellationToken);
            Assert.Equal(fresh.Ranked, kept.Ranked);
            Assert.Equal(fresh.Reasoning, kept.Reasoning);
        }
    }

    [Fact]
    public void A_region_with_one_project_leads_to_it_as_a_commune_would()
    {
        // Feature 7 is the place closeness, 16 its lead as a share of the project's own closeness.
        var alone = Features(Invoice("Alojamiento cuadrilla III Región"), [], Projects);
        Assert.Equal(1 / 3.0, alone[1].Values[7], 6);
        Assert.Equal(1, alone[1].Values[16], 6);
        Assert.All([alone[0], alone[2]], f => Assert.Equal(0, f.Values[16]));

        var copiapo = ParqueSolar with { Id = 4, Name = "Planta desaladora Copiapó", Location = "Copiapó, Atacama", Keywords = [] };
        var shared = Features(Invoice("Alojamiento cuadrilla III Región"), [], [.. Projects, copiapo]);
        Assert.All(shared.Where(f => f.ProjectIndex >= 0), f => Assert.Equal(0, f.Values[16])); // two projects in Atacama

        var commune = Features(Invoice("Alojamiento cuadrilla Copiapó"), [], [.. Projects, copiapo]);
        Assert.Equal(1, commune[3].Values[7], 6);
        Assert.Equal(2 / 3.0, commune[3].Values[16], 6); // Diego de Almagro is in the province of Chañaral, same region
    }

    private static IReadOnlyList<CandidateFeatures> Features(InvoiceToMatch invoice, IReadOnlyList<AssignedInvoice> history, IReadOnlyList<ProjectCandidate> projects) =>
        ((LocalMatchIndex)new LocalInvoiceMatcher().BuildIndex(projects, history)).Features(invoice);

    private static double Score(MatchResult result, int projectId) => result.Ranked.FirstOrDefault(r => r.ProjectId == projectId)?.Confidence ?? 0;
}
