using System.Diagnostics;
using System.Globalization;
using AiGrpc.Analytics.Matching;

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
            // As many requests at 1000/5000 as at 30/60 (about 20 s more): with 500, the p99 was the 5th slowest request,
            // and one stall of the machine more or less moved it by milliseconds between runs.
            var count = requests;
            // Warm-up long enough for tiered JIT to reach optimised code (BenchmarkDotNet's job does the same).
            var warm = Stopwatch.StartNew();
            for (var i = 0; warm.Elapsed < TimeSpan.FromSeconds(2); i++)
            {
                matcher.BuildIndex(workload.Projects, workload.History).Match(workload.Invoices[i & 63]);
            }

            // Each request is followed by a control: fixed arithmetic about as long as a request, timed the same way.
            // The control allocates nothing and does the same work every time, so its tail is the machine's
            // (preemption, a busy neighbour), and the requests' tail can be read against it.
            var spins = Calibrate(Median(() => matcher.BuildIndex(workload.Projects, workload.History).Match(workload.Invoices[0])));
            var samples = new double[count];
            var collected = new bool[count];
            var control = new double[count];
            for (var i = 0; i < count; i++)
            {
                var collections = GC.CollectionCount(0);
                var start = Stopwatch.GetTimestamp();
                matcher.BuildIndex(workload.Projects, workload.History).Match(workload.Invoices[i & 63]);
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                collected[i] = GC.CollectionCount(0) != collections;
                start = Stopwatch.GetTimestamp();
                Spin(spins);
                control[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            // Of the slowest 1 % of requests, how many had a garbage collection during them.
            var slowest = Enumerable.Range(0, count).OrderByDescending(i => samples[i]).Take(Math.Max(1, count / 100)).ToArray();
            var slowWithCollection = slowest.Count(i => collected[i]);
            Array.Sort(samples);
            Array.Sort(control);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"analytics index+match {projects} projects / {history} history, {count} requests: p50 {P(samples, 0.50):0} us, p95 {P(samples, 0.95):0} us, p99 {P(samples, 0.99):0} us, max {samples[^1]:0} us"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  control (fixed arithmetic after each request): p50 {P(control, 0.50):0} us, p95 {P(control, 0.95):0} us, p99 {P(control, 0.99):0} us, max {control[^1]:0} us; slowest {slowest.Length} requests: {slowWithCollection} with a garbage collection during them, {collected.Count(c => c)} collections in all"));

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

    private static double Median(Action action)
    {
        var times = new double[21];
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    /// <summary>Iterations of <see cref="Spin"/> that take about <paramref name="microseconds"/>.</summary>
    private static long Calibrate(double microseconds)
    {
        const long Probe = 1_000_000;
        var probe = Median(() => Spin(Probe));
        return Math.Max(1, (long)(Probe * microseconds / probe));
    }

    private static double Spin(long iterations)
    {
        // A dependent chain of multiply-adds: the compiler cannot drop or vectorise it, and it touches no memory.
        var x = 1.0;
        for (var i = 0L; i < iterations; i++)
        {
            x = (x * 0.999999) + 1e-6;
        }

        return x;
    }

    private static double P(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
