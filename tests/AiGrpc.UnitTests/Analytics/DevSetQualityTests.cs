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

    [Fact]
    public void Held_out_cases_meet_the_targets()
    {
        var report = DevSetEvaluator.Evaluate(Set, Set.HeldOut);
        Assert.True(report.Top1 >= 0.90, $"top-1 {report.Top1:P1}");
        Assert.True(report.AbstentionRecall >= 0.80, $"no-project abstained {report.AbstentionRecall:P1}");
        Assert.True(report.Ece <= 0.08, $"ECE {report.Ece:0.000}");
    }

    [Fact]
    public void All_cases_meet_the_targets()
    {
        var report = DevSetEvaluator.Evaluate(Set, Set.Cases);
        Assert.True(report.Top1 >= 0.90, $"top-1 {report.Top1:P1}");
        Assert.True(report.AbstentionRecall >= 0.80, $"no-project abstained {report.AbstentionRecall:P1}");
        Assert.True(report.Ece <= 0.08, $"ECE {report.Ece:0.000}");
    }

    [Fact]
    public void Every_expected_project_is_a_candidate() =>
        Assert.All(Set.Cases.Where(c => c.Expected is not null), c => Assert.Contains(Set.Projects, p => p.Id == c.Expected));

    [Fact]
    public void Fitting_on_the_training_half_reproduces_the_shipped_weights_quality()
    {
        var fitted = WeightFitter.Fit(Set, Set.Training, iterations: 1500);
        var report = DevSetEvaluator.Evaluate(Set, Set.HeldOut, new Server.Analytics.Engine.LocalInvoiceMatcher(fitted));
        Assert.True(report.Top1 >= 0.90, $"top-1 {report.Top1:P1} with {fitted}");
    }

    [Fact]
    public void On_real_chilecompra_text_our_method_beats_plain_tfidf()
    {
        var directory = SharedData.RequireDirectory("datasets/chilecompra-licitaciones-2025");
        var report = ChileCompraTask.Run(directory);
        Assert.True(report.Queries > 1000);
        Assert.True(report.OursTop1 > report.BaselineTop1, $"ours {report.OursTop1:P1} vs baseline {report.BaselineTop1:P1}");
    }
}
