using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

public class MatchWeightsTests
{
    [Fact]
    public void Every_weight_has_one_name_in_its_vectors_order()
    {
        var w = MatchWeights.Default;
        Assert.Equal(w.ProjectVector().Length, MatchWeights.ProjectNames.Count);
        Assert.Equal(w.NoneVector().Length, MatchWeights.NoneNames.Count);
        Assert.Equal(MatchWeights.Count, MatchWeights.ProjectNames.Concat(MatchWeights.NoneNames).Distinct().Count());

        // Each name reads the weight at its position.
        var byName = typeof(MatchWeights).GetProperties().ToDictionary(p => p.Name, p => p.GetValue(w));
        Assert.Equal(w.ProjectVector(), MatchWeights.ProjectNames.Select(n => (double)byName[n]!));
        Assert.Equal(w.NoneVector(), MatchWeights.NoneNames.Select(n => (double)byName[n]!));
    }
}
