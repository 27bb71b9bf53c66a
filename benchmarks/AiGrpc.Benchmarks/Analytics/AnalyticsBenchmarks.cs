using AiGrpc.Analytics.Matching;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace AiGrpc.Benchmarks.Analytics;

/// <summary>
/// What one REST/gRPC match request costs the local engine: projects and history arrive with the
/// request, so the index is built every time, then one invoice is matched. Targets (issue 3):
/// 30 projects + 60 history p99 &lt;= 250 us; 1,000 projects + 5,000 history p99 &lt;= 5 ms.
/// <see cref="MatchOnly"/> separates the batch case (one index, many invoices).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class AnalyticsBenchmarks
{
    private readonly LocalInvoiceMatcher _matcher = new();
    private AnalyticsWorkload _workload = null!;
    private IMatchIndex _index = null!;
    private int _next;

    /// <summary>Projects / history rows of the request.</summary>
    [Params("30/60", "1000/5000")]
    public string Size { get; set; } = "30/60";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('/');
        _workload = AnalyticsWorkload.Create(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        _index = _matcher.BuildIndex(_workload.Projects, _workload.History);
        if (_index.Match(_workload.Invoices[0]).Ranked.Count == 0)
        {
            throw new InvalidOperationException("workload produced no candidates");
        }
    }

    [Benchmark(Baseline = true, Description = "index + match (one request)")]
    public MatchResult IndexAndMatch()
    {
        var invoice = _workload.Invoices[_next++ & 63];
        return _matcher.BuildIndex(_workload.Projects, _workload.History).Match(invoice);
    }

    [Benchmark(Description = "match only (index reused)")]
    public MatchResult MatchOnly() => _index.Match(_workload.Invoices[_next++ & 63]);

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.P100);
    }
}
