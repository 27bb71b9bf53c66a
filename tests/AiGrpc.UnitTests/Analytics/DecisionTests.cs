using System.Globalization;
using System.Text.RegularExpressions;
using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>From evidence to an answer (<c>LocalMatchIndex.Decision.cs</c>): every reasoning sentence word for word,
/// the ranking's ties, the alternatives, the "no project" features and the reference floor's arithmetic.</summary>
public partial class DecisionTests
{
    private static readonly ProjectCandidate Substation = new(
        1, "PRJ-001", "Ampliación Subestación Alto Jahuel 220 kV", null, "Transelec", "Buin", new(2024, 1, 15), new(2025, 6, 30), 2_800_000_000m, ["OC-4500112233"]);

    private static readonly ProjectCandidate Line = new(
        2, "PRJ-002", "Seccionamiento Subestación Los Vilos 110 kV", null, "CGE", "Los Vilos", new(2024, 3, 1), new(2025, 3, 31), 1_400_000_000m, []);

    private static readonly ProjectCandidate Solar = new(
        3, "PRJ-003", "Planta Fotovoltaica Pampa Norte 80 MW", "Hincado de pilotes y montaje de módulos", "Enel Green Power", "María Elena", new(2024, 2, 1), new(2025, 8, 31), 7_200_000_000m, []);

    private static readonly ProjectCandidate[] Projects = [Substation, Line, Solar];

    private static InvoiceToMatch Invoice(string text, string? rut = null, string? po = null) =>
        new(text, rut, rut is null ? null : "Proveedor", null, new(2024, 6, 1), po, []);

    private static MatchResult Match(InvoiceToMatch invoice, IReadOnlyList<ProjectCandidate>? projects = null, LocalInvoiceMatcher? matcher = null, params AssignedInvoice[] history) =>
        (matcher ?? new LocalInvoiceMatcher()).BuildIndex(projects ?? Projects, history).Match(invoice, TestContext.Current.CancellationToken);

    private static ConfidenceModel Constant(double bias) => new(new double[ConfidenceModel.FeatureCount], bias);

    private static string Percent(double p) => ((long)Math.Round((decimal)p * 100, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Without_projects_the_reasoning_says_there_is_nothing_to_assign_to() =>
        Assert.Equal("Sin proyectos candidatos: no hay a qué asignar la factura.", Match(Invoice("materiales"), projects: []).Reasoning);

    [Fact]
    public void No_project_names_its_probability_and_the_overhead_phrase()
    {
        var result = Match(Invoice("arriendo oficina central marzo"));
        Assert.Null(result.MatchedProjectId);
        var match = NoProject().Match(result.Reasoning);
        Assert.True(match.Success, result.Reasoning);
        var percent = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(percent, 51, 100); // the probability of "no project", the most probable option
    }

    [Fact]
    public void Twins_are_named_with_their_own_probabilities()
    {
        var twin = Substation with { Id = 9, Code = "PRJ-009", Keywords = [] };
        var result = Match(Invoice("ampliación subestación alto jahuel paños de línea"), projects: [Substation with { Keywords = [] }, twin, Solar]);
        Assert.Null(result.MatchedProjectId);
        Assert.Equal(
            $"Sin coincidencia confiable: dos proyectos demasiado parecidos, PRJ-001 Ampliación Subestación Alto Jahuel 220 kV ({Percent(result.Ranked[0].Confidence)} %) y PRJ-009 Ampliación Subestación Alto Jahuel 220 kV ({Percent(result.Ranked[1].Confidence)} %).",
            result.Reasoning);
    }

    [Fact]
    public void Twins_need_a_second_candidate_close_enough_and_most_of_the_probability()
    {
        // One candidate: weak evidence, never twins.
        var alone = Match(Invoice("ampliación subestación alto jahuel"), projects: [Substation with { Keywords = [] }], new LocalInvoiceMatcher(confidence: Constant(-5)));
        Assert.Contains("evidencia débil", alone.Reasoning, StringComparison.Ordinal);

        // A clear leader, even below the threshold, is not one of two twins.
        var leader = Match(Invoice("montaje de módulos planta fotovoltaica pampa norte"), matcher: new LocalInvoiceMatcher(confidence: Constant(-5)));
        Assert.True(leader.Ranked[0].Confidence - leader.Ranked[1].Confidence >= 0.15);
        Assert.Contains("evidencia débil", leader.Reasoning, StringComparison.Ordinal);

        // A confident answer is given even with a close second, unless the margin policy asks for more.
        var twin = Substation with { Id = 9, Code = "PRJ-009", Keywords = [] };
        var projects = new[] { Substation with { Keywords = [] }, twin, Solar };
        var invoice = Invoice("ampliación subestación alto jahuel paños de línea");
        Assert.Equal(1, Match(invoice, projects, new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5, 0), confidence: Constant(5))).MatchedProjectId);
        var margin = Match(invoice, projects, new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5, 0.2), confidence: Constant(5)));
        Assert.Null(margin.MatchedProjectId);
        Assert.Contains("demasiado parecidos", margin.Reasoning, StringComparison.Ordinal);

        // At exactly the threshold the confidence is enough: twins or not, the best is named.
        Assert.Equal(1, Match(invoice, projects, new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5, 0), confidence: Constant(0))).MatchedProjectId);

        // Two weak candidates that share little of the probability are weak evidence, not twins.
        var vague = Match(Invoice("servicios varios"), matcher: new LocalInvoiceMatcher(confidence: Constant(-5)));
        Assert.True(vague.Ranked[0].Confidence + vague.Ranked[1].Confidence < 0.5, string.Join(", ", vague.Ranked));
        Assert.DoesNotContain("demasiado parecidos", vague.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Weak_evidence_names_the_best_candidate_its_confidence_and_its_signals()
    {
        var result = Match(Invoice("montaje de módulos planta fotovoltaica pampa norte"), matcher: new LocalInvoiceMatcher(confidence: Constant(-1)));
        Assert.Null(result.MatchedProjectId);
        var match = Weak().Match(result.Reasoning);
        Assert.True(match.Success, result.Reasoning);
        Assert.Equal("PRJ-003 Planta Fotovoltaica Pampa Norte 80 MW", match.Groups[1].Value);
        Assert.Equal("27", match.Groups[2].Value);
        Assert.Contains("texto", match.Groups[3].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_match_names_the_project_its_confidence_and_its_signals()
    {
        var result = Match(Invoice("montaje de módulos planta fotovoltaica pampa norte"), matcher: new LocalInvoiceMatcher(abstention: new AbstentionPolicy(0.5, 0), confidence: Constant(1)));
        Assert.Equal(3, result.MatchedProjectId);
        var match = Assigned().Match(result.Reasoning);
        Assert.True(match.Success, result.Reasoning);
        Assert.Equal("PRJ-003 Planta Fotovoltaica Pampa Norte 80 MW", match.Groups[1].Value);
        Assert.Equal("73", match.Groups[2].Value);
        Assert.Contains("texto", match.Groups[3].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_check_digit_ends_the_reasoning_with_a_warning()
    {
        var result = Match(Invoice("montaje de módulos planta fotovoltaica pampa norte", rut: "76.111.111-5"));
        Assert.EndsWith(". Advertencia: el RUT del proveedor tiene un dígito verificador incorrecto (se esperaba 6).", result.Reasoning, StringComparison.Ordinal);
        Assert.Single(result.Warnings);

        // Two warnings would be joined by "; "; a right RUT adds none.
        var clean = Match(Invoice("montaje de módulos planta fotovoltaica pampa norte", rut: "76.111.111-6"));
        Assert.Empty(clean.Warnings);
        Assert.DoesNotContain("Advertencia", clean.Reasoning, StringComparison.Ordinal);
    }

    [Fact]
    public void Alternatives_are_the_three_best_other_than_the_match()
    {
        string[] names = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"];
        var projects = names.Select((n, i) => new ProjectCandidate(i + 1, $"P{i + 1}", $"Obra {n}", null, null, null, null, null, null, [])).ToArray();
        var sure = Match(Invoice("obra delta"), projects, new LocalInvoiceMatcher(confidence: Constant(5)));
        Assert.Equal(4, sure.MatchedProjectId);
        Assert.Equal(5, sure.Ranked.Count);
        Assert.Equal(sure.Ranked.Skip(1).Take(3), sure.Alternatives);

        var unsure = Match(Invoice("obra delta"), projects, new LocalInvoiceMatcher(confidence: Constant(-5)));
        Assert.Null(unsure.MatchedProjectId);
        Assert.Equal(unsure.Ranked.Take(3), unsure.Alternatives);
    }

    [Fact]
    public void Ties_rank_in_the_order_the_projects_came()
    {
        var projects = Enumerable.Range(1, 8).Select(i => new ProjectCandidate(10 + i, null, null, null, null, null, null, null, null, [])).ToArray();
        Assert.Equal([11, 12, 13, 14, 15], Match(Invoice("servicios varios"), projects).Ranked.Select(r => r.ProjectId));
        Assert.Equal([18, 17, 16, 15, 14], Match(Invoice("servicios varios"), [.. projects.Reverse()]).Ranked.Select(r => r.ProjectId));

        // One project with evidence goes first; the tied rest keep their order behind it.
        projects[6] = projects[6] with { Name = "Planta Fotovoltaica Pampa Norte" };
        Assert.Equal([17, 11, 12, 13, 14], Match(Invoice("planta fotovoltaica pampa norte"), projects).Ranked.Select(r => r.ProjectId));
    }

    [Fact]
    public void Confidence_inputs_need_an_invoice() =>
        Assert.Throws<ArgumentNullException>(() => new LocalInvoiceMatcher().Build(Projects, []).ConfidenceInputs(null!));

    [Fact]
    public void A_candidate_without_a_supplier_has_no_supplier_features()
    {
        var features = new LocalInvoiceMatcher().Build(Projects, []).Features(Invoice("montaje de módulos"));
        Assert.All(features.Where(f => f.ProjectIndex >= 0), f =>
        {
            Assert.Equal(0, f.Values[1]);  // supplier share
            Assert.Equal(0, f.Values[11]); // shared supplier
            Assert.Equal(0, f.Values[15]); // its square
        });
        var none = features.Single(f => f.ProjectIndex < 0).Values;
        Assert.Equal(1, none[0]);
        Assert.Equal(0, none[1]);
        Assert.Equal(0, none[3]);
    }

    [Fact]
    public void No_project_features_count_the_suppliers_overhead_and_project_bills()
    {
        var rut = "76.111.111-6";
        AssignedInvoice[] history =
        [
            new(rut, "Proveedor", "arriendo", null),
            new(rut, "Proveedor", "arriendo", null),
            new(rut, "Proveedor", "arriendo", null),
            new(rut, "Proveedor", "arriendo", 2),
        ];
        var index = new LocalInvoiceMatcher().Build(Projects, history);
        var none = index.Features(Invoice("servicio", rut)).Single(f => f.ProjectIndex < 0).Values;
        var onlyOverhead = new LocalInvoiceMatcher().Build(Projects, [.. history.Take(3)]).Features(Invoice("servicio", rut)).Single(f => f.ProjectIndex < 0).Values;

        Assert.Equal(1.0 / 6, none[3], 10);            // project bills over all bills + 2
        Assert.True(none[1] > 0.4, $"{none[1]}");       // most of its bills were overhead
        Assert.True(onlyOverhead[1] > none[1]);         // all of them: more
        Assert.Equal(0, onlyOverhead[3]);

        // The supplier's one project bill went to PRJ-002: its share is not spread over other projects.
        var line = index.Features(Invoice("servicio", rut)).Single(f => f.ProjectIndex == 1).Values;
        Assert.True(line[1] > 0);
        Assert.Equal(0, line[11]);

        var weak = index.Features(Invoice("carpetas")).Single(f => f.ProjectIndex < 0).Values;
        Assert.Equal(0.5, weak[5]); // one weak overhead phrase: half of its feature
    }

    [Fact]
    public void The_kind_lead_goes_to_the_one_project_of_that_kind()
    {
        var features = new LocalInvoiceMatcher().Build(Projects, []).Features(Invoice("modulos fotovoltaicos 550 wp"));
        var solar = features.Single(f => f.ProjectIndex == 2).Values;
        Assert.True(solar[9] > 0, "kind");
        Assert.True(solar[17] > 0, "kind lead");
        Assert.All(features.Where(f => f.ProjectIndex is 0 or 1), f => Assert.Equal(0, f.Values[17]));
    }

    [Fact]
    public void The_reference_floor_lifts_the_one_project_and_scales_the_rest()
    {
        // A weak reference weight, so that the logit alone leaves the referenced project under the floor.
        var weights = MatchWeights.Default with { Reference = 1 };
        var index = new LocalInvoiceMatcher(weights).Build(Projects, []);
        var invoice = Invoice("materiales varios", po: "4500112233");
        var (projects, none) = Softmax(index.Features(invoice), weights);
        Assert.True(projects[0] < 0.98, $"{projects[0]}");

        var result = index.Match(invoice, TestContext.Current.CancellationToken);
        var scale = (1 - 0.98) / (1 - projects[0]);
        Assert.Equal(1, result.Ranked[0].ProjectId);
        Assert.Equal(0.98, result.Ranked[0].Confidence);
        Assert.Equal(Math.Round(projects[1] * scale, 4), result.Ranked.Single(r => r.ProjectId == 2).Confidence);
        Assert.Equal(Math.Round(projects[2] * scale, 4), result.Ranked.Single(r => r.ProjectId == 3).Confidence);
        Assert.True(none * scale > 0);
    }

    [Fact]
    public void A_code_two_projects_share_gets_no_floor()
    {
        var weights = MatchWeights.Default with { Reference = 1 };
        ProjectCandidate[] projects = [Substation, Line, Solar with { Keywords = ["OC-4500112233"] }];
        var index = new LocalInvoiceMatcher(weights).Build(projects, []);
        var invoice = Invoice("materiales varios", po: "4500112233");
        var (expected, _) = Softmax(index.Features(invoice), weights);
        var result = index.Match(invoice, TestContext.Current.CancellationToken);
        foreach (var (id, i) in new[] { (1, 0), (2, 1), (3, 2) })
        {
            Assert.Equal(Math.Round(expected[i], 4), result.Ranked.Single(r => r.ProjectId == id).Confidence);
        }

        Assert.True(result.Confidence < 0.98, $"{result.Confidence}");
    }

    private static (double[] Projects, double None) Softmax(IReadOnlyList<CandidateFeatures> features, MatchWeights weights)
    {
        var project = weights.ProjectVector();
        var noneWeights = weights.NoneVector();
        var scores = features.Where(f => f.ProjectIndex >= 0).OrderBy(f => f.ProjectIndex).Select(f => f.Values.Zip(project, (v, w) => v * w).Sum()).ToArray();
        var none = features.Single(f => f.ProjectIndex < 0).Values.Zip(noneWeights, (v, w) => v * w).Sum();
        var max = Math.Max(none, scores.Max());
        var sum = Math.Exp(none - max) + scores.Sum(x => Math.Exp(x - max));
        return ([.. scores.Select(x => Math.Exp(x - max) / sum)], Math.Exp(none - max) / sum);
    }

    [GeneratedRegex(@"^Sin coincidencia confiable: lo más probable es que no corresponda a un proyecto \((\d+) %\); «[^»]+» es un gasto general de la empresa\.$")]
    private static partial Regex NoProject();

    [GeneratedRegex(@"^Sin coincidencia confiable: evidencia débil; el mejor candidato, (.+), llega a (\d+) %: (.+)\.$")]
    private static partial Regex Weak();

    [GeneratedRegex(@"^Asignada a (.+) \((\d+) %\): (.+)\.$")]
    private static partial Regex Assigned();
}
