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

    [Fact]
    public void A_vector_of_the_fitters_order_gives_the_same_weights_back()
    {
        Assert.Equal(MatchWeights.Default, MatchWeights.FromArray(MatchWeights.Default.ToArray()));
        Assert.Throws<ArgumentNullException>(() => MatchWeights.FromArray(null!));
        var error = Assert.Throws<ArgumentException>(() => MatchWeights.FromArray(new double[MatchWeights.Count - 1]));
        Assert.Contains($"Expected {MatchWeights.Count} weights", error.Message, StringComparison.Ordinal);
    }
}
