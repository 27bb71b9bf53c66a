using System.Runtime.InteropServices;

namespace AiGrpc.Server.RateLimiting;

/// <summary>One fixed-window counter a request must fit in.</summary>
/// <param name="Key">Partition and window, e.g. <c>c:odoo:60</c>.</param>
/// <param name="Limit">Requests allowed in the window.</param>
/// <param name="Window">Window length.</param>
public readonly record struct WindowCounter(string Key, int Limit, TimeSpan Window);

/// <summary>Outcome of a rate-limit check.</summary>
/// <param name="Allowed">True when the request fits every counter (and was counted).</param>
/// <param name="RetryAfter">When refused: time until the full counter's window ends.</param>
/// <param name="Counter">When refused: the counter that was full.</param>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter, string? Counter)
{
    /// <summary>Admitted.</summary>
    public static RateDecision Admit => new(true, TimeSpan.Zero, null);
}

/// <summary>
/// Per-process fixed windows. A request is counted only if it fits every counter, all under one lock
/// (the critical section is a few dictionary lookups). Expired windows are swept so that the table
/// stays bounded by the number of callers/IPs active within the last hour.
/// </summary>
public sealed class LocalWindowStore(TimeProvider time)
{
    private readonly Dictionary<string, (long Count, long EndsAtTicks)> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _nextSweepTicks;

    /// <summary>Number of live windows (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>Checks and counts.</summary>
    public RateDecision TryAcquire(ReadOnlySpan<WindowCounter> counters)
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (now >= _nextSweepTicks)
            {
                foreach (var key in _windows.Where(w => w.Value.EndsAtTicks <= now).Select(w => w.Key).ToList())
                {
                    _windows.Remove(key);
                }

                _nextSweepTicks = now + TimeSpan.TicksPerMinute;
            }

            foreach (var counter in counters)
            {
                if (_windows.TryGetValue(counter.Key, out var w) && w.EndsAtTicks > now && w.Count >= counter.Limit)
                {
                    return new RateDecision(false, TimeSpan.FromTicks(w.EndsAtTicks - now), counter.Key);
                }
            }

            foreach (var counter in counters)
            {
                ref var w = ref CollectionsMarshal.GetValueRefOrAddDefault(_windows, counter.Key, out _);
                w = w.EndsAtTicks > now ? (w.Count + 1, w.EndsAtTicks) : (1, now + counter.Window.Ticks);
            }
        }

        return RateDecision.Admit;
    }
}

/// <summary>
/// Fixed windows in Redis, shared by every replica. One Lua script checks every counter and, only if
/// all have room, increments them (setting the expiry on creation): atomic, one round trip.
/// </summary>
public static class RedisWindowScript
{
    /// <summary>KEYS = counters; ARGV = limits, then window lengths in ms. Returns {1} or {0, index, pttl}.</summary>
    public const string Script = """
        local n = #KEYS
        for i = 1, n do
          local c = tonumber(redis.call('GET', KEYS[i]) or '0')
          if c >= tonumber(ARGV[i]) then
            return {0, i, redis.call('PTTL', KEYS[i])}
          end
        end
        for i = 1, n do
          if redis.call('INCR', KEYS[i]) == 1 then
            redis.call('PEXPIRE', KEYS[i], ARGV[n + i])
          end
        end
        return {1}
        """;
}

/// <summary>Partition values made safe for counter keys (IPv6 addresses contain colons).</summary>
internal static class RateLimitKeys
{
    /// <summary>A partition value safe inside a Redis key (no separators). Not memoised: the keys built from it are
    /// kept by <see cref="AiRateLimiter.Counters"/>, so this runs once per caller, IP and route.</summary>
    public static string Safe(string value) => value.Replace(':', '_').Replace(' ', '_');
}
