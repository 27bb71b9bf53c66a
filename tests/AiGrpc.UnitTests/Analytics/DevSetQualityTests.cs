using AiGrpc.Analytics.Matching;
using AiGrpc.Eval;
using AiGrpc.TestKit;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The quality targets on the labelled development set (held-out half) and the ChileCompra task.
/// Quality gates, not timings: latency lives in benchmarks.</summary>
public class DevSetQualityTests
{
    private static readonly DevSet Set = DevSet.Load();

    [Fact]
    public void Dev_set_is_as_specified()
    {
        Assert.True(Set.Cases.Count >= 200);
        Assert.True(Set.Projects.Count >= 25);
        Assert.True(Set.Cases.Count(c => c.Expected is null) >= 15);
        Assert.Equal(Set.Cases.Count, Set.Cases.Select(c => c.Id).Distinct().Count());
    }

    // Floors under the figures of the shipped weights (make eval), which are fitted on the dev set's even half and the
    // training companies with the abstention chosen for at most 3 % wrong projects there: they catch a regression,
    // they are not the targets (docs/analytics.md has the figures and the targets).
    [Fact]
    public void Held_out_cases_stay_above_the_floors()
    {
        var report = DevSetEvaluator.Evaluate(Set, Set.HeldOut);
        Assert.True(report.BestCandidateTop1 >= 0.95, $"best candidate right {report.BestCandidateTop1:P1}");
        // 78.6 % now: the generated dev set's suppliers keep to one project, which the written companies' suppliers do
        // not, and the weights and the confidence model are fitted on both (docs/analytics.md, "make eval figures").
        // Refits move it by two bills either way (72.8 % to 80.6 % over the refits so far; such bills abstain just
        // under the threshold).
        Assert.True(report.Top1 >= 0.74, $"top-1 {report.Top1:P1}");
        Assert.True(report.WrongMatches <= 0.03 * report.Answerable, $"wrong matches {report.WrongMatches}");
        Assert.True(report.AbstentionRecall >= 0.90, $"no-project abstained {report.AbstentionRecall:P1}");
    }

    [Fact]
    public void Blind_companies_stay_above_the_floors()
    {
        // Measured only: the blind set never fits or chooses anything.
        var directory = CompanySets.Directory("blind");
        Assert.NotNull(directory);
        var reports = CompanySets.Load(directory).Select(c => DevSetEvaluator.Evaluate(c.Set, c.Set.Cases)).ToList();
        var cases = reports.Sum(r => r.Cases);
        var answerable = reports.Sum(r => r.Answerable);
        var overall = reports.Sum(r => r.Overall * r.Cases) / cases;
        var overhead = reports.Sum(r => r.AbstentionRecall * r.NoProject) / reports.Sum(r => r.NoProject);
        // Floors just under the current blind set's figures (docs/analytics.md: 87.9 %, 61 wrong of 2,565, 98.2 %). They
        // only stop the engine from getting worse on it: the overall target (92 %) is not met on this set, and a
        // floor at a target would only hide that behind a red build. A new blind part moves them with its own figures.
        Assert.True(cases >= 400, $"{cases} bills");
        Assert.True(overall >= 0.87, $"overall {overall:P1}");
        Assert.True(reports.Sum(r => r.WrongMatches) <= 0.025 * answerable, $"wrong {reports.Sum(r => r.WrongMatches)} of {answerable}");
        Assert.True(overhead >= 0.96, $"overhead abstained {overhead:P1}");
    }

    [Fact]
    public void Every_expected_project_is_a_candidate() =>
        Assert.All(Set.Cases.Where(c => c.Expected is not null), c => Assert.Contains(Set.Projects, p => p.Id == c.Expected));

    [Fact]
    public void Fitting_on_the_training_half_reproduces_the_shipped_weights_quality()
    {
        MutationRun.SkipSlow("a 1500-iteration weight fit");
        var fitted = WeightFitter.Fit(Set, Set.Training, iterations: 1500);
        var report = DevSetEvaluator.Evaluate(Set, Set.HeldOut, new LocalInvoiceMatcher(fitted));
        Assert.True(report.Top1 >= 0.90, $"top-1 {report.Top1:P1} with {fitted}");
    }

    [Fact]
    public void On_real_chilecompra_text_our_method_beats_plain_tfidf()
    {
        MutationRun.SkipSlow("seconds over a real dataset");
        var directory = SharedData.RequireDirectory("datasets/chilecompra-licitaciones-2025");
        var report = ChileCompraTask.Run(directory);
        Assert.True(report.Queries > 1000);
        Assert.True(report.OursTop1 > report.BaselineTop1, $"ours {report.OursTop1:P1} vs baseline {report.BaselineTop1:P1}");
    }
}
