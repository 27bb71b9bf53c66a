using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.V1;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// Indexes of recently seen project lists and histories ("contexts"), in process. A company sends the same
/// projects and history with every invoice, so building the index again for each request is the largest
/// avoidable cost of MatchInvoice. Each context is named by a digest of its protobuf bytes: identical bytes
/// passed the same checks and give the same index (<see cref="IMatchIndex"/> is immutable and thread-safe).
/// The digest is also the <c>context_id</c> a caller may send instead of the projects and history, but only a
/// caller that has sent the content itself may name it: a context is never readable by another key.
/// Bounded by rows (projects + history) so that a few huge requests cannot hold the memory; least recently
/// used go first.
/// </summary>
public sealed class MatchIndexCache : IDisposable
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private readonly MemoryCache? _cache;
    private readonly TimeSpan _idle;
    private readonly long _limit;
    private readonly RecentContexts _recent = new();

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

    /// <summary>The context id of <paramref name="projects"/> and <paramref name="history"/> (null when the cache is off):
    /// 128 bits of SHA-256 over their encoding as a <c>MatchContext</c>, in lowercase hex. A context seen recently is
    /// recognised by equality instead (<see cref="RecentContexts"/>).</summary>
    public string? ContextIdOf(RepeatedField<Project> projects, RepeatedField<PastInvoice> history)
    {
        ArgumentNullException.ThrowIfNull(projects);
        ArgumentNullException.ThrowIfNull(history);
        if (_cache is null)
        {
            return null;
        }

        if (_recent.Find(projects, history) is { } known)
        {
            return known;
        }

        // The candidates alone, as a message of their own: the invoice's fields do not enter the id.
        var context = new MatchContext();
        context.Projects.Add(projects);
        context.History.Add(history);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(context.ToByteArray(), digest);
        var id = Convert.ToHexStringLower(digest[..16]);
        _recent.Keep(projects, history, id);
        return id;
    }

    /// <summary>The context id of a legacy suggestion's candidates (null when the cache is off): its projects, past
    /// purchases and partner (the past purchases become history rows of that partner), digested apart from the typed
    /// contexts so that the two never share an id.</summary>
    public string? LegacyContextIdOf(SuggestProjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_cache is null)
        {
            return null;
        }

        var context = new SuggestProjectRequest { PartnerVat = request.PartnerVat, PartnerName = request.PartnerName };
        context.AvailableProjects.Add(request.AvailableProjects);
        context.HistoricalPurchases.Add(request.HistoricalPurchases);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData("legacy-suggestion:"u8);
        sha.AppendData(context.ToByteArray());
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        sha.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    /// <summary>True when <paramref name="value"/> has the form of a context id (32 lowercase hexadecimal characters).</summary>
    public static bool IsContextId(string value) =>
        value is { Length: 32 } && !value.AsSpan().ContainsAnyExcept(LowerHex);

    /// <summary>The index of a context whose content <paramref name="caller"/> has just sent, if kept;
    /// <paramref name="caller"/> may name it by id from now on.</summary>
    public IMatchIndex? FindSent(string? contextId, string caller)
    {
        if (Entry(contextId) is not { } entry)
        {
            return null;
        }

        entry.Callers.TryAdd(caller, 0);
        return entry.Index;
    }

    /// <summary>The index of a context named by id, if kept and if <paramref name="caller"/> has sent its content before.</summary>
    public IMatchIndex? FindNamed(string contextId, string caller) =>
        Entry(contextId) is { } entry && entry.Callers.ContainsKey(caller) ? entry.Index : null;

    /// <summary>Keeps <paramref name="index"/> of <paramref name="rows"/> projects + history rows, sent by
    /// <paramref name="caller"/>. False when it is not kept (cache off, or larger than the whole budget).</summary>
    public bool Store(string? contextId, string caller, IMatchIndex index, int rows)
    {
        // An index larger than the whole budget is not kept (it would only evict everything else).
        if (contextId is null || _cache is null || rows + 1L > _limit)
        {
            return false;
        }

        var entry = _cache.GetOrCreate(contextId, e =>
        {
            e.Size = rows + 1;
            e.SlidingExpiration = _idle;
            return new ContextEntry(index);
        })!;
        entry.Callers.TryAdd(caller, 0);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _cache?.Dispose();

    private ContextEntry? Entry(string? contextId) =>
        contextId is not null && _cache is not null && _cache.TryGetValue(contextId, out ContextEntry? entry) ? entry : null;

    /// <summary>An index and the callers that have sent its content (and may therefore name it by id).</summary>
    private sealed class ContextEntry(IMatchIndex index)
    {
        public IMatchIndex Index { get; } = index;

        public ConcurrentDictionary<string, byte> Callers { get; } = new(StringComparer.Ordinal);
    }
}
