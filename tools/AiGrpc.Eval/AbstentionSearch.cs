using AiGrpc.Analytics.Matching;

namespace AiGrpc.Eval;

/// <summary>
/// The abstention trade-off on the fitting cases (<c>aigrpc-eval policies</c>): for each policy of a grid of
/// <see cref="AbstentionPolicy"/>, how many cases it answers right (a project named when it is the answer, an
/// abstention when none is) and how many get a wrong project. <see cref="ConfidenceFitter"/> chooses the shipped one.
/// </summary>
public static class AbstentionSearch
{
    /// <summary>Every policy of the grid with its right and wrong answers on <paramref name="groups"/>.</summary>
    public static IEnumerable<(AbstentionPolicy Policy, int Right, int Wrong, int Cases, int Answerable)> Grid(IEnumerable<(DevSet Set, IEnumerable<DevCase> Cases)> groups, MatchWeights weights)
    {
        var list = groups.Select(g => (g.Set, Cases: g.Cases.ToList())).ToList();
        var cases = list.Sum(g => g.Cases.Count);
        var answerable = list.Sum(g => g.Cases.Count(c => c.Expected is not null));
        for (var confidence = 0.30; confidence <= 0.801; confidence += 0.05)
        {
            for (var margin = 0.0; margin <= 0.301; margin += 0.05)
            {
                var policy = new AbstentionPolicy(Math.Round(confidence, 2), Math.Round(margin, 2));
                int right = 0, wrong = 0;
                foreach (var (set, groupCases) in list)
                {
                    var index = new LocalInvoiceMatcher(weights, policy).Build(set.Projects, set.History);
                    foreach (var c in groupCases)
                    {
                        var matched = index.Match(c.Invoice).MatchedProjectId;
                        right += matched == c.Expected ? 1 : 0;
                        wrong += matched is not null && matched != c.Expected ? 1 : 0;
                    }
                }

                yield return (policy, right, wrong, cases, answerable);
            }
        }
    }
}
