using AiGrpc.Analytics.Matching;

namespace AiGrpc.Eval;

/// <summary>
/// Chooses the abstention thresholds on training cases: of a grid of <see cref="AbstentionPolicy"/>, the one that
/// answers most cases right (a project named when it is the answer, an abstention when none is) among those that name
/// a wrong project for at most <see cref="MaxWrongShare"/> of the answerable cases: a wrong auto-assignment costs a
/// bookkeeper more than an abstention, which only asks for a choice. Without such a policy, the one with the fewest
/// wrong projects.
/// </summary>
public static class AbstentionSearch
{
    /// <summary>Largest share of answerable cases that may be given a wrong project (the 3 %).</summary>
    public const double MaxWrongShare = 0.03;

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

    public static AbstentionPolicy Best(IEnumerable<(DevSet Set, IEnumerable<DevCase> Cases)> groups, MatchWeights weights)
    {
        ArgumentNullException.ThrowIfNull(groups);
        (AbstentionPolicy Policy, int Right, int Wrong) best = (new AbstentionPolicy(), -1, int.MaxValue);
        foreach (var (policy, right, wrong, _, answerable) in Grid(groups, weights))
        {
            var allowed = (int)Math.Floor(MaxWrongShare * answerable);
            var within = wrong <= allowed;
            var bestWithin = best.Wrong <= allowed;
            if ((within && (!bestWithin || right > best.Right || (right == best.Right && wrong < best.Wrong)))
                || (!within && !bestWithin && wrong < best.Wrong))
            {
                best = (policy, right, wrong);
            }
        }

        return best.Policy;
    }
}
