using AiGrpc.Eval;
using AiGrpc.TestKit;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// The quality gate of issue 3 on the committed dev set (tests/data/analytics/devset.json), measured by the
/// same code `make eval` prints, and the ChileCompra task. Quality only: latency is for the benchmarks.
/// </summary>
public class DevSetQualityTests
{
    private static readonly DevSet Set = DevSet.Load();

    [Fact]
    public void Dev_set_has_the_promised_shape()
    {
        Assert.True(Set.Cases.Count >= 200);
        Assert.True(Set.Projects.Count >= 25);
        Assert.True(Set.Cases.Count(c => c.Expected is null) >= 15);
        Assert.Equal(Set.Cases.Count, Set.Cases.Select(c => c.Id).Distinct().Count());
        Assert.All(Set.Cases.Where(c => c.Expected is not null), c => Assert.Contains(Set.Projects, p => p.Id == c.Expected));
    }

    [Fact]
    public void Held_out_cases_meet_the_targets() => AssertTargets(DevSetEvaluator.Evaluate(Set, Set.HeldOut));

    [Fact]
    public void All_cases_meet_the_targets() => AssertTargets(DevSetEvaluator.Evaluate(Set, Set.Cases));

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

    private static void AssertTargets(DevSetReport report)
    {
        Assert.True(report.Top1 >= 0.90, $"top-1 {report.Top1:P1} < 90 %");
        Assert.True(report.AbstentionRecall >= 0.80, $"no-project abstained {report.AbstentionRecall:P1} < 80 %");
        Assert.True(report.Ece <= 0.08, $"ECE {report.Ece:0.000} > 0.08");
    }
}
