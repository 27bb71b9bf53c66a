using AiGrpc.Server.Observability;
using Microsoft.Extensions.Caching.Memory;

namespace AiGrpc.Server.Caching;

/// <summary>In-process cache: the embedded default when no Redis is configured. Bounded by entry count.</summary>
public sealed class MemoryResponseCache(IMemoryCache cache) : IResponseCache
{
    /// <inheritdoc />
    public string Backend => "memory";

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var hit = cache.TryGetValue(key, out byte[]? value);
        Telemetry.RecordCacheLookup(Backend, hit ? "hit" : "miss");
        return ValueTask.FromResult(hit ? value : null);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        cache.Set(key, value.ToArray(), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl, Size = 1 });
        return ValueTask.CompletedTask;
    }
}
