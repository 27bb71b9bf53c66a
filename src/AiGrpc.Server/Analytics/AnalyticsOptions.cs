using System.ComponentModel.DataAnnotations;

namespace AiGrpc.Server.Analytics;

/// <summary>Settings of invoice matching. Section <c>Analytics</c>; environment variables such as <c>Analytics__MaxProjects</c>.</summary>
public sealed class AnalyticsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Analytics";

    /// <summary>Most candidate projects in one request or batch.</summary>
    [Range(1, 100_000)]
    public int MaxProjects { get; set; } = 5_000;

    /// <summary>Most history rows in one request or batch.</summary>
    [Range(0, 1_000_000)]
    public int MaxHistory { get; set; } = 50_000;

    /// <summary>Most invoice lines.</summary>
    [Range(1, 100_000)]
    public int MaxLines { get; set; } = 1_000;

    /// <summary>Longest description (invoice, line, project, past invoice), in characters.</summary>
    [Range(100, 1_000_000)]
    public int MaxTextLength { get; set; } = 10_000;

    /// <summary>Most keywords per project.</summary>
    [Range(1, 10_000)]
    public int MaxKeywords { get; set; } = 200;

    /// <summary>The engine abstains when its confidence, the probability that its best project is right, is below this (0-1).</summary>
    [Range(0.0, 1.0)]
    public double MinConfidence { get; set; } = 0.77;

    /// <summary>The engine abstains when its best two projects are closer than this (0-1).</summary>
    [Range(0.0, 1.0)]
    public double MinMargin { get; set; } = 0;

    /// <summary>Answers identical MatchInvoice / SuggestProject requests from the response cache (section <c>Cache</c>).
    /// Off only to measure the engine itself (benchmarks): the cache never changes an answer, only its cost.</summary>
    public bool CacheResponses { get; set; } = true;

    /// <summary>Indexes of recent project lists + histories kept in process, counted in rows (projects + history
    /// rows); 0 switches the index cache off. A row costs roughly 1-2 KB of index.</summary>
    [Range(0, 10_000_000)]
    public int IndexCacheRows { get; set; } = 100_000;

    /// <summary>An index not used for this long is dropped (seconds).</summary>
    [Range(1, 86_400)]
    public int IndexCacheIdleSeconds { get; set; } = 600;

    /// <summary>SuggestProject (legacy) answers <c>project_id: null</c> below this confidence (0-100), as the old service did.</summary>
    [Range(0, 100)]
    public int LegacyAssignThreshold { get; set; } = 70;
}
