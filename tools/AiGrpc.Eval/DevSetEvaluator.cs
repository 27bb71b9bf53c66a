using System.Diagnostics;
using AiGrpc.Analytics.Matching;

namespace AiGrpc.Eval;

/// <summary>What <c>make eval</c> reports for a set of cases.</summary>
/// <param name="Cases">Cases evaluated.</param>
/// <param name="Answerable">Cases whose answer is a project.</param>
/// <param name="Top1">Answerable cases matched to the right project (an abstention counts as a miss).</param>
/// <param name="BestCandidateTop1">Answerable cases whose best-ranked candidate is right, matched or not.</param>
/// <param name="NoProject">Cases whose answer is no project.</param>
/// <param name="AbstentionRecall">No-project cases the engine abstained on.</param>
/// <param name="AbstentionPrecision">Abstentions that were no-project cases.</param>
/// <param name="WrongMatches">Cases matched to a wrong project (the costly error: a wrong auto-assignment).</param>
/// <param name="Ece">Expected calibration error of the returned confidence (10 equal-width bins).</param>
/// <param name="Misses">The cases the engine got wrong, with what it said.</param>
/// <param name="Reliability">Per-bin mean confidence and accuracy behind the ECE.</param>
/// <param name="Overall">Cases answered right: answerable ones matched to their project, no-project ones abstained.</param>
/// <param name="ByKind">Overall per difficulty kind (a case with several kinds counts in each).</param>
public sealed record DevSetReport(
    int Cases, int Answerable, double Top1, double BestCandidateTop1, int NoProject, double AbstentionRecall, double AbstentionPrecision,
    int WrongMatches, double Ece, IReadOnlyList<string> Misses, string Reliability = "", double Overall = 0,
    IReadOnlyDictionary<string, (int Right, int Cases)>? ByKind = null);

/// <summary>Latency percentiles in microseconds.</summary>
public sealed record LatencyReport(double P50, double P95, double P99);

/// <summary>Runs the engine over dev-set cases and computes the quality figures.</summary>
public static class DevSetEvaluator
{
    public static DevSetReport Evaluate(DevSet set, IEnumerable<DevCase> cases, LocalInvoiceMatcher? matcher = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        var index = (matcher ?? new LocalInvoiceMatcher()).Build(set.Projects, set.History);
        var results = cases.Select(c => (Case: c, Result: index.Match(c.Invoice))).ToList();

        var answerable = results.Where(r => r.Case.Expected is not null).ToList();
        var none = results.Where(r => r.Case.Expected is null).ToList();
        var abstained = results.Where(r => r.Result.MatchedProjectId is null).ToList();

        // Calibration: the confidence is the probability of the best candidate; it is right when that candidate is the answer.
        var bins = Calibration.Bins(results.Select(x => (x.Result.Confidence, (x.Result.Ranked.Count > 0 ? x.Result.Ranked[0].ProjectId : (int?)null) == x.Case.Expected)));
        var ece = Calibration.Ece(bins);

        var misses = results
            .Where(r => r.Result.MatchedProjectId != r.Case.Expected)
            .Select(r => $"{r.Case.Id} [{r.Case.Kind}] expected {r.Case.Expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, got {r.Result.MatchedProjectId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} ({r.Result.Confidence:0.00}): \"{r.Case.Invoice.Description}\" -> {r.Result.Reasoning}")
            .ToList();

        var byKind = results
            .SelectMany(r => r.Case.Kind.Split('+', StringSplitOptions.RemoveEmptyEntries).Select(k => (Kind: k, Right: r.Result.MatchedProjectId == r.Case.Expected)))
            .GroupBy(x => x.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Count(x => x.Right), g.Count()), StringComparer.Ordinal);

        return new DevSetReport(
            results.Count,
            answerable.Count,
            Ratio(answerable.Count(r => r.Result.MatchedProjectId == r.Case.Expected), answerable.Count),
            Ratio(answerable.Count(r => r.Result.Ranked.Count > 0 && r.Result.Ranked[0].ProjectId == r.Case.Expected), answerable.Count),
            none.Count,
            Ratio(none.Count(r => r.Result.MatchedProjectId is null), none.Count),
            Ratio(abstained.Count(r => r.Case.Expected is null), abstained.Count),
            results.Count(r => r.Result.MatchedProjectId is not null && r.Result.MatchedProjectId != r.Case.Expected),
            ece,
            misses,
            string.Join(" ", bins.Select((b, i) => b.Count == 0 ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{i / 10.0:0.0}-{(i + 1) / 10.0:0.0}) n={b.Count} conf={b.Confidence / b.Count:0.00} acc={b.Correct / b.Count:0.00}")).Where(x => x is not null)),
            Ratio(results.Count(r => r.Result.MatchedProjectId == r.Case.Expected), results.Count),
            byKind);
    }

    /// <summary>Per-request latency as the service pays it: index the request's projects and history, then match.</summary>
    public static LatencyReport MeasureLatency(DevSet set, int rounds = 5)
    {
        ArgumentNullException.ThrowIfNull(set);
        var matcher = new LocalInvoiceMatcher();
        var samples = new List<double>();

        // Warm-up so tiered JIT reaches optimised code; otherwise the first rounds measure the JIT.
        var warm = Stopwatch.StartNew();
        for (var i = 0; warm.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            matcher.Build(set.Projects, set.History).Match(set.Cases[i % set.Cases.Count].Invoice);
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var c in set.Cases)
            {
                var start = Stopwatch.GetTimestamp();
                matcher.Build(set.Projects, set.History).Match(c.Invoice);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        samples.Sort();
        return new LatencyReport(Percentile(samples, 0.50), Percentile(samples, 0.95), Percentile(samples, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static double Ratio(int a, int b) => b == 0 ? 0 : a / (double)b;
}
