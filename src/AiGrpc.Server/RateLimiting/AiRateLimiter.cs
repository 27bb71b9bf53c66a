using System.Collections.Concurrent;
using AiGrpc.Server.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiGrpc.Server.RateLimiting;

/// <summary>
/// Decides whether a request fits its caller's and IP's limits: in Redis when configured and
/// reachable, otherwise (or when Redis fails or is slow) per process. Never throws because of Redis.
/// </summary>
public sealed partial class AiRateLimiter(
    IOptionsMonitor<RateLimitOptions> options,
    IOptions<CacheOptions> cache,
    RedisConnection redis,
    LocalWindowStore local,
    TimeProvider time,
    ILogger<AiRateLimiter> logger)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly LogThrottle _throttle = new(time, TimeSpan.FromSeconds(30));
    private readonly string _prefix = cache.Value.KeyPrefix + "rl:";

    /// <summary>Where the last decision was taken: "redis" or "local" (for tests and health).</summary>
    public string LastStore { get; private set; } = "local";

    /// <summary>Counter sets kept, at most: one per caller, client IP and route seen, while the options stay the same.</summary>
    private const int MaxCachedCounterSets = 10_000;

    private CounterSets _counterSets = new(null!);

    /// <summary>The counters of one request. The set of a caller, IP and route is computed once and kept: building it
    /// took a handful of strings per call (the IP's text, the route, four keys).</summary>
    /// <param name="caller">API key name, or null when anonymous.</param>
    /// <param name="clientIp">Client address, or null when unknown.</param>
    /// <param name="method">The gRPC method behind the route, or null.</param>
    public WindowCounter[] Counters(string? caller, System.Net.IPAddress? clientIp, Grpc.Core.IMethod? method)
    {
        var o = options.CurrentValue;
        var sets = _counterSets;
        if (!ReferenceEquals(sets.Options, o))
        {
            // Options reloaded: limits may have changed, so every kept set goes.
            sets = new CounterSets(o);
            _counterSets = sets;
        }

        var key = (caller, clientIp, method);
        if (sets.Map.TryGetValue(key, out var counters))
        {
            return counters;
        }

        counters = Build(o, caller, clientIp?.ToString(), method?.ServiceName, method is null ? null : method.ServiceName + "/" + method.Name);
        if (Volatile.Read(ref sets.Kept) < MaxCachedCounterSets && sets.Map.TryAdd(key, counters))
        {
            Interlocked.Increment(ref sets.Kept); // counted here: ConcurrentDictionary.Count takes every lock
        }

        return counters;
    }

    private static WindowCounter[] Build(RateLimitOptions o, string? caller, string? clientIp, string? service, string? method)
    {
        RateLimit? route = null;
        string routeTag = string.Empty;
        if (method is not null && o.Routes.TryGetValue(method, out var byMethod))
        {
            (route, routeTag) = (byMethod, ":r:" + RateLimitKeys.Safe(method));
        }
        else if (service is not null && o.Routes.TryGetValue(service, out var byService))
        {
            (route, routeTag) = (byService, ":r:" + RateLimitKeys.Safe(service));
        }

        var counters = new List<WindowCounter>(4);
        if (caller is null)
        {
            // No valid key: counted per IP and route family only, whatever the path (8 KB random paths share one counter).
            Add(counters, "anon:" + RateLimitKeys.Safe(clientIp ?? "unknown") + ":" + RateLimitKeys.Safe(service ?? "unrouted"), o.UnauthenticatedPerIp);
            return [.. counters];
        }

        var limit = route ?? (o.Callers.TryGetValue(caller, out var c) ? c : o.PerCaller);
        Add(counters, "c:" + RateLimitKeys.Safe(caller) + routeTag, limit);

        if (clientIp is not null)
        {
            Add(counters, "ip:" + RateLimitKeys.Safe(clientIp) + routeTag, route ?? o.PerIp);
        }

        return [.. counters];
    }

    /// <summary>Counter sets computed under one options value.</summary>
    private sealed class CounterSets(RateLimitOptions options)
    {
        public RateLimitOptions Options { get; } = options;

        public ConcurrentDictionary<(string? Caller, System.Net.IPAddress? Ip, Grpc.Core.IMethod? Method), WindowCounter[]> Map { get; } = new();

        /// <summary>Sets in <see cref="Map"/>, counted as they are added (a field, for <see cref="Interlocked"/>).</summary>
        public int Kept;
    }

    /// <summary>Checks and counts the request.</summary>
    public async ValueTask<RateDecision> AcquireAsync(WindowCounter[] counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counters);
        if (counters.Length == 0)
        {
            return RateDecision.Admit;
        }

        if (redis.IsConfigured)
        {
            var multiplexer = redis.TryGetNow();
            if (multiplexer is null)
            {
                _ = redis.GetAsync(); // starts the first connection without waiting for it
            }
            else if (multiplexer.IsConnected)
            {
                try
                {
                    var decision = await AcquireInRedisAsync(multiplexer.GetDatabase(), counters)
                        .WaitAsync(TimeSpan.FromMilliseconds(options.CurrentValue.RedisTimeoutMs), time, cancellationToken)
                        .ConfigureAwait(false);
                    LastStore = "redis";
                    return decision;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    if (_throttle.ShouldLog(out var suppressed))
                    {
                        LogRedisFailed(logger, e.GetType().Name, e.Message, suppressed);
                    }
                }
            }
        }

        LastStore = "local";
        return local.TryAcquire(counters);
    }

    private async Task<RateDecision> AcquireInRedisAsync(IDatabase db, WindowCounter[] counters)
    {
        var keys = new RedisKey[counters.Length];
        var values = new RedisValue[counters.Length * 2];
        for (var i = 0; i < counters.Length; i++)
        {
            keys[i] = _prefix + counters[i].Key;
            values[i] = counters[i].Limit;
            values[counters.Length + i] = (long)counters[i].Window.TotalMilliseconds;
        }

        var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisWindowScript.Script, keys, values).ConfigureAwait(false))!;
        if ((long)result[0] == 1)
        {
            return RateDecision.Admit;
        }

        var index = (int)(long)result[1] - 1;
        var pttl = (long)result[2];
        return new RateDecision(false, TimeSpan.FromMilliseconds(pttl > 0 ? pttl : counters[index].Window.TotalMilliseconds), counters[index].Key);
    }

    private static void Add(List<WindowCounter> counters, string partition, RateLimit limit)
    {
        if (limit.PerMinute > 0)
        {
            counters.Add(new WindowCounter(partition + ":60", limit.PerMinute, Minute));
        }

        if (limit.PerHour > 0)
        {
            counters.Add(new WindowCounter(partition + ":3600", limit.PerHour, Hour));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limiting falls back to per-process counters: Redis {Error}: {Message} ({Suppressed} similar failures not logged)")]
    private static partial void LogRedisFailed(ILogger logger, string error, string message, long suppressed);
}
