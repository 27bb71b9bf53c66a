using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiGrpc.Server.Caching;

/// <summary>
/// The process's one Redis connection (a StackExchange.Redis multiplexer), created lazily on first
/// use with <c>abortConnect=false</c> so that a Redis that is down at startup or later never fails
/// the service: the multiplexer keeps reconnecting in the background. Shared by every feature that
/// uses Redis (response cache, rate limiting) when <see cref="CacheOptions.Redis"/> is set.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly CacheOptions _options;
    private readonly Lazy<Task<ConnectionMultiplexer>>? _connection;

    /// <summary>Creates the (not yet connected) holder.</summary>
    public RedisConnection(IOptions<CacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (_options.IsRedisConfigured)
        {
            _connection = new Lazy<Task<ConnectionMultiplexer>>(ConnectAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    /// <summary>True when Redis is configured.</summary>
    public bool IsConfigured => _connection is not null;

    /// <summary>The endpoints of the configuration, for logs and health (never the password).</summary>
    public string Endpoints => _options.IsRedisConfigured
        ? string.Join(",", ConfigurationOptions.Parse(_options.Redis!).EndPoints.Select(e => e.ToString()))
        : string.Empty;

    /// <summary>The multiplexer (connecting, connected or reconnecting); throws when Redis is not configured.</summary>
    public Task<ConnectionMultiplexer> GetAsync() =>
        _connection?.Value ?? throw new InvalidOperationException("Redis is not configured (set Cache:Redis).");

    /// <summary>
    /// The multiplexer if its creation finished, else null without waiting: callers on the request
    /// path treat null as "Redis unavailable right now".
    /// </summary>
    public ConnectionMultiplexer? TryGetNow()
    {
        if (_connection is null)
        {
            return null;
        }

        var task = _connection.Value;
        return task.IsCompletedSuccessfully ? task.Result : null;
    }

    /// <summary>Builds the StackExchange.Redis options from <see cref="CacheOptions.Redis"/>.</summary>
    public static ConfigurationOptions BuildConfiguration(CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = ConfigurationOptions.Parse(options.Redis!);
        configuration.AbortOnConnectFail = false;
        // While disconnected, commands fail at once instead of queueing: a request never waits for Redis.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        return configuration;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_connection is { IsValueCreated: true })
        {
            try
            {
                var multiplexer = await _connection.Value.ConfigureAwait(false);
                await multiplexer.DisposeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Nothing to release.
            }
        }
    }

    // With AbortOnConnectFail=false this completes (disconnected) even when Redis is down. Started on
    // the thread pool: the multiplexer's synchronous setup must not run on (and delay) a request.
    private Task<ConnectionMultiplexer> ConnectAsync() =>
        Task.Run(() => ConnectionMultiplexer.ConnectAsync(BuildConfiguration(_options)));
}
