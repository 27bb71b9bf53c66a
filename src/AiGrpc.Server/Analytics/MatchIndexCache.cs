using System.Security.Cryptography;
using AiGrpc.Analytics.V1;
using AiGrpc.Server.Analytics.Engine;
using Google.Protobuf;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// Indexes of recently seen project lists and histories, in process. A company sends the same projects and
/// history with every invoice, so building the index again for each request is the largest avoidable cost of
/// MatchInvoice. Keyed by a hash of the projects' and history's protobuf bytes: identical bytes passed the
/// same checks and give the same index (<see cref="IMatchIndex"/> is immutable and thread-safe). Bounded by
/// rows (projects + history) so that a few huge requests cannot hold the memory; least recently used go first.
/// </summary>
public sealed class MatchIndexCache : IDisposable
{
    private readonly MemoryCache? _cache;
    private readonly TimeSpan _idle;
    private readonly long _limit;

    /// <summary>Creates the cache from <see cref="AnalyticsOptions.IndexCacheRows"/> (0 switches it off).</summary>
    public MatchIndexCache(IOptions<AnalyticsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _idle = TimeSpan.FromSeconds(value.IndexCacheIdleSeconds);
        _limit = value.IndexCacheRows;
        _cache = value.IndexCacheRows > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = value.IndexCacheRows, CompactionPercentage = 0.25 }) : null;
    }

    /// <summary>True when indexes are kept.</summary>
    public bool IsEnabled => _cache is not null;

    /// <summary>The key of a request's projects and history (null when the cache is off).</summary>
    public string? KeyOf(MatchInvoiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_cache is null)
        {
            return null;
        }

        // The candidates alone, as a message of their own: the invoice's fields do not enter the key.
        var candidates = new MatchContext();
        candidates.Projects.Add(request.Projects);
        candidates.History.Add(request.History);
        return Convert.ToHexStringLower(SHA256.HashData(candidates.ToByteArray()));
    }

    /// <summary>The index kept under <paramref name="key"/>, if any.</summary>
    public IMatchIndex? Find(string? key) => key is not null && _cache is not null && _cache.TryGetValue(key, out IMatchIndex? index) ? index : null;

    /// <summary>Keeps <paramref name="index"/> of <paramref name="rows"/> projects + history rows under <paramref name="key"/>.</summary>
    public void Store(string? key, IMatchIndex index, int rows)
    {
        // An index larger than the whole budget is not kept (it would only evict everything else).
        if (key is null || _cache is null || rows + 1L > _limit)
        {
            return;
        }

        _cache.Set(key, index, new MemoryCacheEntryOptions { Size = rows + 1, SlidingExpiration = _idle });
    }

    /// <inheritdoc />
    public void Dispose() => _cache?.Dispose();
}
