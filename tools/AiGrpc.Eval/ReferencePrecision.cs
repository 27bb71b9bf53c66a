using AiGrpc.Analytics.Matching;

namespace AiGrpc.Eval;

/// <summary>How often a bill whose reference names exactly one project belonged to that project, on training cases,
/// with the Wilson score lower bound (95 %) the engine uses as that project's least probability.</summary>
public static class ReferencePrecision
{
    public static (int Right, int Cases, double LowerBound) Measure(IEnumerable<(DevSet Set, IEnumerable<DevCase> Cases)> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        int right = 0, cases = 0;
        foreach (var (set, groupCases) in groups)
        {
            var index = new LocalInvoiceMatcher().Build(set.Projects, set.History);
            foreach (var c in groupCases)
            {
                var named = index.Features(c.Invoice).Where(f => f.ProjectIndex >= 0 && f.Values[0] > 0).ToList();
                if (named.Count != 1)
                {
                    continue;
                }

                cases++;
                right += index.ProjectIdAt(named[0].ProjectIndex) == c.Expected ? 1 : 0;
            }
        }

        return (right, cases, Wilson(right, cases));
    }

    private static double Wilson(int right, int n)
    {
        if (n == 0)
        {
            return 0;
        }

        const double z = 1.96;
        var p = (double)right / n;
        var centre = p + (z * z / (2 * n));
        var spread = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4.0 * n * n)));
        return (centre - spread) / (1 + (z * z / n));
    }
}
