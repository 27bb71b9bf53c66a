namespace AiGrpc.Server.Caching;

/// <summary>
/// Lets a repeated failure be logged at most once per interval (an outage of a dependency must not
/// flood the logs); counts the occurrences that were not logged so that the next line reports them.
/// Thread-safe.
/// </summary>
public sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private long _nextAllowedTicks = long.MinValue;
    private long _suppressed;

    /// <summary>
    /// True when the caller should log now; <paramref name="suppressed"/> is how many occurrences
    /// were skipped since the last logged one.
    /// </summary>
    public bool ShouldLog(out long suppressed)
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextAllowedTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextAllowedTicks, now + interval.Ticks, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
