using AiGrpc.Server.Observability;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiGrpc.Server.Caching;

/// <summary>
/// Response cache in Redis (keys <c>{KeyPrefix}{key}</c>, values the raw bytes, TTL per entry).
/// Every operation is bounded by <see cref="CacheOptions.OperationTimeoutMs"/>; any Redis failure
/// (down, disconnected, slow, error) turns a read into a miss and a write into a no-op, recorded as
/// <c>aigrpc.cache.lookups{backend=redis,result=error}</c> and logged at most every 30 s.
/// </summary>
public sealed partial class RedisResponseCache : IResponseCache
{
    private readonly RedisConnection _connection;
    private readonly CacheOptions _options;
    private readonly ILogger<RedisResponseCache> _logger;
    private readonly LogThrottle _throttle;

    /// <summary>Creates the cache over the shared connection.</summary>
    public RedisResponseCache(RedisConnection connection, IOptions<CacheOptions> options, ILogger<RedisResponseCache> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _options = options.Value;
        _logger = logger;
        _throttle = new LogThrottle(time, TimeSpan.FromSeconds(30));
    }

    /// <inheritdoc />
    public string Backend => "redis";

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var activity = Telemetry.Source.StartActivity("cache.get");
        activity?.SetTag("cache.backend", Backend);
        try
        {
            var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            var value = await database.StringGetAsync(_options.KeyPrefix + key)
                .WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
            var result = value.IsNull ? "miss" : "hit";
            Telemetry.RecordCacheLookup(Backend, result);
            activity?.SetTag("cache.result", result);
            return value.IsNull ? null : (byte[]?)value;
        }
        catch (Exception ex) when (IsBackendFailure(ex, cancellationToken))
        {
            Telemetry.RecordCacheLookup(Backend, "error");
            activity?.SetTag("cache.result", "error");
            LogFailure("read", ex);
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        using var activity = Telemetry.Source.StartActivity("cache.set");
        activity?.SetTag("cache.backend", Backend);
        try
        {
            var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            await database.StringSetAsync(_options.KeyPrefix + key, value, ttl)
                .WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsBackendFailure(ex, cancellationToken))
        {
            activity?.SetTag("cache.result", "error");
            LogFailure("write", ex);
        }
    }

    private async ValueTask<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        var multiplexer = _connection.TryGetNow()
            ?? await _connection.GetAsync().WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        if (!multiplexer.IsConnected)
        {
            throw new InvalidOperationException("Redis is not connected.");
        }

        return multiplexer.GetDatabase();
    }

    // Everything but the caller's own cancellation is a backend failure that must not fail the request.
    private static bool IsBackendFailure(Exception ex, CancellationToken cancellationToken) =>
        !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private void LogFailure(string operation, Exception ex)
    {
        if (_throttle.ShouldLog(out var suppressed))
        {
            LogRedisFailure(_logger, operation, ex.GetType().Name, ex.Message, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis cache {Operation} failed ({ErrorType}: {Error}); answering without the cache. {Suppressed} similar failures were not logged.")]
    private static partial void LogRedisFailure(ILogger logger, string operation, string errorType, string error, long suppressed);
}
