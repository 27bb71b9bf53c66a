using System.Collections.Concurrent;
using System.Text.Json;
using AiGrpc.Payroll.Indicators;
using AiGrpc.Server.Caching;
using StackExchange.Redis;

namespace AiGrpc.Server.Payroll;

/// <summary>An administrator's upsert could not be stored (Redis down or too slow): nothing was changed anywhere.</summary>
public sealed class IndicatorStoreUnavailableException : Exception
{
    /// <inheritdoc />
    public IndicatorStoreUnavailableException()
    {
    }

    /// <inheritdoc />
    public IndicatorStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <inheritdoc />
    public IndicatorStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Indicators shared by every replica: a base (the shipped file, or <see cref="PayrollOptions.IndicatorsFile"/>) plus
/// the months administrators upserted, kept in Redis as one hash (<c>{Cache:KeyPrefix}payroll:indicators</c>, field
/// <c>YYYY-MM</c>, value the month in the indicator file's format), which take precedence. A read asks Redis every
/// time, bounded by <see cref="CacheOptions.OperationTimeoutMs"/>, so an upsert on one replica is seen by all at once.
/// A read never fails because of Redis: when it is down, slow or holds an unreadable month, the answer is the last
/// upsert of that month this replica saw, else the base month (logged at most every 30 s). An upsert that Redis does
/// not confirm throws <see cref="IndicatorStoreUnavailableException"/> and changes nothing.
/// </summary>
public sealed partial class RedisIndicatorStore : IIndicatorStore
{
    /// <summary>The hash's key after <see cref="CacheOptions.KeyPrefix"/>.</summary>
    public const string HashKey = "payroll:indicators";

    /// <summary>Longest an upsert waits for Redis (a cold connection included); an administrator's call, not a hot path.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> baseMonths;
    private readonly ConcurrentDictionary<PayrollPeriod, MonthlyIndicators> lastSeen = new();
    private readonly RedisConnection connection;
    private readonly RedisKey key;
    private readonly TimeSpan readTimeout;
    private readonly ILogger<RedisIndicatorStore> logger;
    private readonly LogThrottle throttle;

    /// <summary>Creates the store over the shared Redis connection.</summary>
    public RedisIndicatorStore(
        IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> baseMonths,
        RedisConnection connection,
        CacheOptions options,
        ILogger<RedisIndicatorStore> logger,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(baseMonths);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        this.baseMonths = baseMonths;
        this.connection = connection;
        key = options.KeyPrefix + HashKey;
        readTimeout = options.OperationTimeout;
        this.logger = logger;
        throttle = new LogThrottle(time, TimeSpan.FromSeconds(30));
    }

    /// <inheritdoc />
    public IReadOnlyList<PayrollPeriod> Months
    {
        get
        {
            IEnumerable<PayrollPeriod> upserted;
            try
            {
                var fields = Run(db => db.HashKeysAsync(key), readTimeout);
                upserted = fields.Select(f => PayrollPeriod.TryParse(f.ToString(), out var p) ? p : (PayrollPeriod?)null).OfType<PayrollPeriod>();
            }
            catch (Exception e) when (IsBackendFailure(e))
            {
                LogFailure("read", e);
                upserted = lastSeen.Keys;
            }

            return [.. baseMonths.Keys.Union(upserted).Order()];
        }
    }

    /// <inheritdoc />
    public IndicatorLookup Get(PayrollPeriod period)
    {
        MonthlyIndicators? month;
        try
        {
            var value = Run(db => db.HashGetAsync(key, period.ToString()), readTimeout);
            if (value.IsNull)
            {
                baseMonths.TryGetValue(period, out month);
            }
            else
            {
                using var document = JsonDocument.Parse((string)value!);
                month = IndicatorFile.ParseMonth(period, document.RootElement);
                lastSeen[period] = month;
            }
        }
        catch (Exception e) when (IsBackendFailure(e) || e is JsonException or InvalidDataException)
        {
            LogFailure("read", e);
            if (!lastSeen.TryGetValue(period, out month))
            {
                baseMonths.TryGetValue(period, out month);
            }
        }

        if (month is not null)
        {
            return new IndicatorLookup(period, month, null);
        }

        return IndicatorLookup.NotHeld(period, Months);
    }

    /// <inheritdoc />
    /// <exception cref="IndicatorStoreUnavailableException">Redis did not store the month.</exception>
    public void Upsert(MonthlyIndicators month)
    {
        ArgumentNullException.ThrowIfNull(month);
        month.ThrowIfUnsourced(nameof(month));

        try
        {
            Run(db => db.HashSetAsync(key, month.Period.ToString(), IndicatorFile.WriteMonth(month)), WriteTimeout);
        }
        catch (Exception e) when (IsBackendFailure(e))
        {
            LogFailure("write", e);
            throw new IndicatorStoreUnavailableException(
                $"The indicators of {month.Period} were not stored: Redis did not answer ({e.GetType().Name}). Nothing changed; try again.", e);
        }

        lastSeen[month.Period] = month;
    }

    /// <summary>Runs one command, waiting at most <paramref name="timeout"/> for the connection and the answer.</summary>
    private T Run<T>(Func<IDatabase, Task<T>> command, TimeSpan timeout)
    {
        var multiplexer = connection.TryGetNow();
        if (multiplexer is null)
        {
            var connecting = connection.GetAsync();
            multiplexer = connecting.Wait(timeout) ? connecting.Result : throw new TimeoutException("Redis is still connecting.");
        }

        if (!multiplexer.IsConnected)
        {
            throw new InvalidOperationException("Redis is not connected.");
        }

        var task = command(multiplexer.GetDatabase());
        return task.Wait(timeout) ? task.Result : throw new TimeoutException($"Redis did not answer within {timeout.TotalMilliseconds:0} ms.");
    }

    private static bool IsBackendFailure(Exception e) =>
        e is RedisException or TimeoutException or AggregateException or InvalidOperationException or ObjectDisposedException;

    private void LogFailure(string operation, Exception e)
    {
        if (throttle.ShouldLog(out var suppressed))
        {
            var inner = e is AggregateException { InnerException: { } cause } ? cause : e;
            LogRedisFailure(logger, operation, inner.GetType().Name, inner.Message, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payroll indicator store: Redis {Operation} failed ({ErrorType}: {Error}); reads answer from the last upsert seen here or the shipped month. {Suppressed} similar failures were not logged.")]
    private static partial void LogRedisFailure(ILogger logger, string operation, string errorType, string error, long suppressed);
}
