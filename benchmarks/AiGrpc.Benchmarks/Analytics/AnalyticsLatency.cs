using System.Diagnostics;
using System.Globalization;
using AiGrpc.Server.Analytics.Engine;

namespace AiGrpc.Benchmarks.Analytics;

/// <summary>
/// Per-request latency distribution (p50/p95/p99 of single index+match calls) after a warm-up, which
/// BenchmarkDotNet does not give directly (its percentiles are over iteration means). Run by
/// <c>make bench-analytics</c> next to the BenchmarkDotNet suite; one process, sizes measured back to back.
/// </summary>
public static class AnalyticsLatency
{
    public static void Run(int requests)
    {
        var matcher = new LocalInvoiceMatcher();
        foreach (var (projects, history) in new[] { (30, 60), (1000, 5000) })
        {
            var workload = AnalyticsWorkload.Create(projects, history);
            var count = projects >= 1000 ? Math.Max(200, requests / 10) : requests;
            // Warm-up long enough for tiered JIT to reach optimised code (BenchmarkDotNet's job does the same).
            var warm = Stopwatch.StartNew();
            for (var i = 0; warm.Elapsed < TimeSpan.FromSeconds(2); i++)
            {
                matcher.BuildIndex(workload.Projects, workload.History).Match(workload.Invoices[i & 63]);
            }

            var samples = new double[count];
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                matcher.BuildIndex(workload.Projects, workload.History).Match(workload.Invoices[i & 63]);
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(samples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"analytics index+match {projects} projects / {history} history, {count} requests: p50 {P(samples, 0.50):0} us, p95 {P(samples, 0.95):0} us, p99 {P(samples, 0.99):0} us, max {samples[^1]:0} us"));

            // The two halves: building the index (per request) and matching against a built one (per invoice in a batch).
            var index = matcher.BuildIndex(workload.Projects, workload.History);
            var build = new double[count];
            var match = new double[count];
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                matcher.BuildIndex(workload.Projects, workload.History);
                build[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                start = Stopwatch.GetTimestamp();
                index.Match(workload.Invoices[i & 63]);
                match[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(build);
            Array.Sort(match);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  index only p50 {P(build, 0.50):0} us, p99 {P(build, 0.99):0} us; match only p50 {P(match, 0.50):0} us, p99 {P(match, 0.99):0} us"));
        }
    }

    private static double P(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
