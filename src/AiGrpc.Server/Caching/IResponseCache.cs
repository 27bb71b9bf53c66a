namespace AiGrpc.Server.Caching;

/// <summary>
/// Cache of serialized responses keyed by a hash of the normalized request. Implementations never
/// throw for backend failures: a cache that fails or disappears must never fail a request, so
/// <see cref="GetAsync"/> then answers null (a miss) and <see cref="SetAsync"/> does nothing.
/// </summary>
public interface IResponseCache
{
    /// <summary>Backend name for metrics and spans: <c>redis</c> or <c>memory</c>.</summary>
    string Backend { get; }

    /// <summary>The cached bytes, or null on a miss or a backend failure.</summary>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> for <paramref name="ttl"/>; failures are swallowed (and logged).</summary>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken cancellationToken);
}
