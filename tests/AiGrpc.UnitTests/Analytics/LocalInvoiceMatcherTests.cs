using System.Diagnostics;
using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

public class LocalInvoiceMatcherTests
{
    private static readonly ProjectCandidate[] Projects =
    [
        new(1, "PRJ-001", "Ampliación Subestación Alto Jahuel 220 kV", null, "Transelec", "Buin", new(2024, 1, 15), new(2025, 6, 30), 2_800_000_000m, ["OC-4500112233"]),
        new(2, "PRJ-002", "Seccionamiento Subestación Los Vilos 110 kV", null, "CGE", "Los Vilos", new(2024, 3, 1), new(2025, 3, 31), 1_400_000_000m, []),
        new(3, "PRJ-003", "Planta Fotovoltaica Pampa Norte 80 MW", "Hincado de pilotes y montaje de módulos", "Enel Green Power", "María Elena", new(2024, 2, 1), new(2025, 8, 31), 7_200_000_000m, []),
        new(4, "PRJ-004", "Obras civiles Central Hidroeléctrica Los Cóndores", null, "Enel Generación", "San Clemente", new(2022, 3, 1), new(2024, 6, 30), 12_000_000_000m, []),
        new(5, "PRJ-005", "Parque Eólico Renaico II", "Fundaciones de aerogeneradores", "Enel Green Power", "Renaico", new(2024, 4, 1), new(2025, 12, 31), 500_000m, []),
    ];

    private static InvoiceToMatch Invoice(string? text, string? rut = null, string? po = null, DateOnly? date = null, decimal? amount = null) =>
        new(text, rut, rut is null ? null : "Proveedor", amount, date, po, []);

    private static MatchResult Match(InvoiceToMatch invoice, params AssignedInvoice[] history) =>
        new LocalInvoiceMatcher().BuildIndex(Projects, history).Match(invoice, TestContext.Current.CancellationToken);

    [Fact]
    public void A_purchase_order_bound_to_a_project_decides()
    {
        var result = Match(Invoice("Materiales varios", po: "4500112233"));
        Assert.Equal(1, result.MatchedProjectId);
        Assert.Contains("4500112233", result.Reasoning, StringComparison.Ordinal);
        Assert.True(result.Confidence >= 0.7, $"confidence {result.Confidence}");
    }

    [Fact]
    public void A_keyword_written_with_spaces_instead_of_dashes_decides()
    {
        ProjectCandidate[] projects = [Projects[0] with { Keywords = ["ENAMI-LP-2025-0087"] }, Projects[1], Projects[2]];
        var ct = TestContext.Current.CancellationToken;
        var result = new LocalInvoiceMatcher().BuildIndex(projects, []).Match(Invoice("Examenes preocupacionales 4 pax - licitacion ENAMI LP 2025 0087"), ct);
        Assert.Equal(1, result.MatchedProjectId);
        Assert.Contains("enamilp20250087", result.Reasoning, StringComparison.Ordinal);
        var other = new LocalInvoiceMatcher().BuildIndex(projects, []).Match(Invoice("Examenes preocupacionales 4 pax - licitacion ENAMI LP 2025 0088"), ct);
        Assert.Null(other.MatchedProjectId);
    }

    [Fact]
    public void A_code_only_one_project_writes_counts_in_full_beside_one_two_projects_share()
    {
        // Both name the tyre size 33.00R51; only the first has the contract SMH-2025-C-144.
        ProjectCandidate[] projects =
        [
            Projects[0] with { Description = "Neumáticos 33.00R51 flota CAEX", Keywords = ["SMH-2025-C-144"] },
            Projects[1] with { Description = "Neumáticos 33.00R51 flota apoyo" },
            Projects[2],
        ];
        var index = new LocalInvoiceMatcher().Build(projects, []);
        var shared = index.Features(Invoice("Neumatico 33.00R51 (2 un)"));
        Assert.Equal(0.5, shared[0].Values[0]);
        Assert.Equal(0.5, shared[1].Values[0]);
        Assert.Equal(0, shared[2].Values[0]);
        var own = index.Features(Invoice("Neumatico 33.00R51 (2 un) ref. SMH-2025-C-144"));
        Assert.Equal(1, own[0].Values[0]);
        Assert.Equal(0.5, own[1].Values[0]);
    }

    [Fact]
    public void Indexes_of_projects_differing_only_in_a_keyword_or_a_history_supplier_are_not_confused()
    {
        // Project and history analyses are shared between indexes by their texts: one keyword or one supplier of
        // difference must give a different analysis, whichever index was built first.
        var matcher = new LocalInvoiceMatcher();
        var ct = TestContext.Current.CancellationToken;
        ProjectCandidate[] withOrder = [Projects[0], Projects[1]];
        ProjectCandidate[] otherOrder = [Projects[0] with { Keywords = ["OC-4500999999"] }, Projects[1]];
        var byOrder = Invoice("Materiales varios", po: "4500112233");
        Assert.Equal(1, matcher.BuildIndex(withOrder, []).Match(byOrder, ct).MatchedProjectId);
        Assert.DoesNotContain("4500112233", matcher.BuildIndex(otherOrder, []).Match(byOrder, ct).Reasoning, StringComparison.Ordinal);
        Assert.Equal(1, matcher.BuildIndex(withOrder, []).Match(byOrder, ct).MatchedProjectId);

        AssignedInvoice[] history = [.. Enumerable.Repeat(new AssignedInvoice("76.086.428-5", "Grúas Sur", "arriendo grúa", 2), 4)];
        AssignedInvoice[] otherSupplier = [.. history.Select(h => h with { SupplierRut = "96.686.868-K" })];
        var crane = Invoice("arriendo grúa", rut: "76.086.428-5");
        // Feature 1 is the supplier's share of past invoices on the project (Projects[1] is at index 1).
        Assert.True(matcher.Build(withOrder, history).Features(crane)[1].Values[1] > 0.5);
        Assert.Equal(0, matcher.Build(withOrder, otherSupplier).Features(crane)[1].Values[1]);
        Assert.True(matcher.Build(withOrder, history).Features(crane)[1].Values[1] > 0.5);
    }

    [Fact]
    public void A_rental_at_a_works_site_is_not_read_as_office_rent()
    {
        // What is rented decides: a pickup at the works site is the project's, the head office's rent is overhead.
        var atSite = Match(Invoice("Arriendo camioneta 4x4, 30 dias, faena Renaico", date: new(2025, 3, 1)));
        Assert.Equal(5, atSite.MatchedProjectId);
        var office = Match(Invoice("Arriendo oficina central marzo", date: new(2025, 3, 1)));
        Assert.Null(office.MatchedProjectId);
    }

    [Fact]
    public void Text_with_typos_and_abbreviations_finds_the_site()
    {
        var result = Match(Invoice("hincado de pilotes planta FV Pampa Nrote"));
        Assert.Equal(3, result.MatchedProjectId);
    }

    [Fact]
    public void A_word_the_knowledge_files_write_is_not_read_as_a_typo_of_a_project_word()
    {
        // "bancarias" is one letter (and a cut) from "blancas": a typo lookup would tie the bank fee to the pitch.
        ProjectCandidate[] projects = [new(7, "DSQ-109", "Cancha sintética Tierras Blancas", null, "Municipalidad", "Coquimbo", new(2024, 1, 1), new(2026, 12, 31), 900_000_000m, [])];
        var fee = new LocalInvoiceMatcher().BuildIndex(projects, []).Match(Invoice("COMISIONES BANCARIAS", date: new(2025, 3, 1)), TestContext.Current.CancellationToken);
        Assert.Null(fee.MatchedProjectId);
        Assert.True(fee.Ranked.Count == 0 || fee.Ranked[0].Confidence < 0.3, string.Join(", ", fee.Ranked));

        // A real slip still finds the word it misspells.
        var slip = new LocalInvoiceMatcher().BuildIndex(projects, []).Match(Invoice("MANTENCION CANCHA TIERRAS BLACNAS", date: new(2025, 3, 1)), TestContext.Current.CancellationToken);
        Assert.Equal(7, slip.MatchedProjectId);
    }

    [Fact]
    public void Supplier_history_is_smoothed_so_one_odd_invoice_does_not_dominate()
    {
        var rut = "76.111.111-6";
        var single = Match(Invoice("Servicio mes de marzo", rut), new AssignedInvoice(rut, "Proveedor", null, 2));
        var many = Match(Invoice("Servicio mes de marzo", rut), [.. Enumerable.Repeat(new AssignedInvoice(rut, "Proveedor", null, 2), 8)]);
        var mixed = Match(Invoice("Servicio mes de marzo", rut), [.. Enumerable.Repeat(new AssignedInvoice(rut, "Proveedor", null, 2), 8), new AssignedInvoice(rut, "Proveedor", null, 4)]);

        Assert.Null(single.MatchedProjectId); // one past invoice is not enough on its own
        Assert.Equal(2, many.Ranked[0].ProjectId);
        Assert.Equal(2, mixed.Ranked[0].ProjectId); // one odd invoice does not change the best candidate...
        Assert.True(mixed.Confidence > single.Confidence + 0.2, $"{mixed.Confidence} vs {single.Confidence}"); // ...and it stays strong evidence
        Assert.True(many.Confidence > single.Confidence);
    }

    [Fact]
    public void Suppliers_are_recognised_by_rut_in_any_writing()
    {
        var history = Enumerable.Repeat(new AssignedInvoice("76111111-6", "Proveedor", "transporte de personal", 2), 6).ToArray();
        var dotted = Match(Invoice("transporte de personal marzo", "76.111.111-6"), history);
        var plain = Match(Invoice("transporte de personal marzo", "76111111-6"), history);
        var stranger = Match(Invoice("transporte de personal marzo", "77.222.333-1") with { SupplierName = "Otra Empresa Ltda." }, history);
        Assert.Equal(2, dotted.Ranked[0].ProjectId);
        Assert.Equal(plain.Confidence, dotted.Confidence); // the same supplier, however the RUT is written
        Assert.True(dotted.Confidence > stranger.Confidence + 0.05, $"{dotted.Confidence} vs {stranger.Confidence}");
        Assert.Contains("proveedor", dotted.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Overhead_suppliers_abstain()
    {
        var rut = "96.686.868-K";
        var history = Enumerable.Repeat(new AssignedInvoice(rut, "Inmobiliaria", "arriendo de oficina", null), 6).ToArray();
        var result = Match(Invoice("Arriendo de oficina noviembre", rut), history);
        Assert.Null(result.MatchedProjectId);
        Assert.Contains("gasto general", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_look_alike_projects_abstain_and_say_why()
    {
        var result = Match(Invoice("Subestación"));
        Assert.Null(result.MatchedProjectId);
        Assert.Contains("Sin coincidencia", result.Reasoning, StringComparison.Ordinal);
        Assert.Contains(result.Ranked.Take(2), s => s.ProjectId == 1);
        Assert.Contains(result.Ranked.Take(2), s => s.ProjectId == 2);
    }

    [Fact]
    public void The_issue_date_separates_a_finished_project_from_a_running_one()
    {
        var rut = "91.234.000-3";
        var history = new[] { 4, 4, 4, 5, 5, 5 }.Select(p => new AssignedInvoice(rut, "Hormigones", "hormigón premezclado", p)).ToArray();
        Assert.Equal(5, Match(Invoice("hormigón premezclado H30", rut, date: new DateOnly(2025, 5, 10)), history).MatchedProjectId);
        Assert.Equal(4, Match(Invoice("hormigón premezclado H30", rut, date: new DateOnly(2023, 5, 10)), history).MatchedProjectId);
    }

    [Fact]
    public void An_amount_over_budget_lowers_the_probability()
    {
        var within = Match(Invoice("fundaciones de aerogeneradores Renaico", amount: 100_000m));
        var over = Match(Invoice("fundaciones de aerogeneradores Renaico", amount: 900_000m));
        Assert.Equal(5, within.MatchedProjectId);
        Assert.Equal(5, within.Ranked[0].ProjectId);
        Assert.Equal(5, over.Ranked[0].ProjectId);
        Assert.True(over.Ranked[0].Confidence <= within.Ranked[0].Confidence);
    }

    [Fact]
    public void A_wrong_rut_check_digit_is_a_warning()
    {
        var result = Match(Invoice("Materiales", "76.111.111-7", po: "4500112233"));
        Assert.Equal(1, result.MatchedProjectId);
        Assert.Single(result.Warnings);
        Assert.Contains("dígito verificador", result.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void No_projects_means_no_match()
    {
        var result = new LocalInvoiceMatcher().BuildIndex([], []).Match(Invoice("Test"), TestContext.Current.CancellationToken);
        Assert.Null(result.MatchedProjectId);
        Assert.Empty(result.Alternatives);
    }

    [Fact]
    public void Answers_are_deterministic_and_probabilities_sum_to_at_most_one()
    {
        var invoice = Invoice("montaje de módulos fotovoltaicos");
        var a = Match(invoice);
        var b = Match(invoice);
        Assert.Equal(a, b with { Alternatives = a.Alternatives, Ranked = a.Ranked, SimilarHistory = a.SimilarHistory, Warnings = a.Warnings });
        Assert.Equal(a.Ranked, b.Ranked);
        Assert.InRange(a.Ranked.Sum(s => s.Confidence), 0, 1.0001);
        Assert.True(a.Ranked.SequenceEqual(a.Ranked.OrderByDescending(s => s.Confidence)));
    }

    [Fact]
    public void Similar_past_invoices_are_offered_for_the_second_opinion()
    {
        var history = new[]
        {
            new AssignedInvoice("76.111.111-6", "A", "montaje de módulos fotovoltaicos", 3),
            new AssignedInvoice("76.111.111-6", "A", "arriendo de oficina", null),
        };
        var result = Match(Invoice("montaje de modulos"), history);
        Assert.Equal("montaje de módulos fotovoltaicos", result.SimilarHistory[0].Description);
        Assert.Equal(3, result.SimilarHistory[0].ProjectId);
    }

    [Fact]
    public void Building_an_index_needs_projects_and_history()
    {
        Assert.Throws<ArgumentNullException>("projects", () => new LocalInvoiceMatcher().Build(null!, []));
        Assert.Throws<ArgumentNullException>("history", () => new LocalInvoiceMatcher().Build(Projects, null!));
    }

    [Fact]
    public void The_weights_given_to_the_matcher_are_the_ones_it_scores_with()
    {
        var ct = TestContext.Current.CancellationToken;
        var invoice = Invoice("Montaje de módulos fotovoltaicos planta Pampa Norte 80 MW, María Elena");
        Assert.Equal(3, new LocalInvoiceMatcher().BuildIndex(Projects, []).Match(invoice, ct).MatchedProjectId);

        // "No project" given an overwhelming prior: the same bill is left unassigned.
        var wary = new LocalInvoiceMatcher(MatchWeights.Default with { NoneBias = 60 });
        Assert.Null(wary.BuildIndex(Projects, []).Match(invoice, ct).MatchedProjectId);
    }

    [Fact]
    public void An_index_build_is_a_span_with_its_sizes()
    {
        var seen = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MatchingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (seen)
                {
                    seen.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // Two projects and eleven history rows: a size no other test builds, so spans of tests running beside this
        // one are not mistaken for it.
        var history = Enumerable.Range(0, 11).Select(i => new AssignedInvoice("76.086.428-5", "Proveedor", $"Materiales {i}", 1)).ToArray();
        new LocalInvoiceMatcher().Build(Projects[..2], history);

        lock (seen)
        {
            Assert.Contains(seen, a => a.OperationName == "analytics.index"
                && Equals(a.GetTagItem("aigrpc.projects.count"), 2) && Equals(a.GetTagItem("aigrpc.history.count"), 11));
        }
    }

    [Fact]
    public void The_knowledge_files_load_whole()
    {
        var summary = MatchingKnowledge.Load();
        Assert.Equal(346, summary.Communes);
        Assert.Equal(56, summary.Provinces);
        Assert.Equal(16, summary.Regions);
        Assert.InRange(summary.OverheadPhrases, 500, 2_000);
        Assert.InRange(summary.TradeTerms, 1_000, 10_000);
    }
}
