using System.Collections.Concurrent;

namespace AiGrpc.Payroll.Indicators;

/// <summary>The answer to "which indicators hold for this month".</summary>
/// <param name="Period">The month asked for.</param>
/// <param name="Month">Its indicators (some figures may still be null), or null when the month is not published.</param>
/// <param name="Reason">Spanish reason when <paramref name="Month"/> is null.</param>
public sealed record IndicatorLookup(PayrollPeriod Period, MonthlyIndicators? Month, string? Reason)
{
    /// <summary>True when the store holds the month.</summary>
    public bool Found => Month is not null;

    /// <summary>The lookup of a month the store does not hold, saying which months it does.</summary>
    public static IndicatorLookup NotHeld(PayrollPeriod period, IReadOnlyList<PayrollPeriod> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var range = known.Count == 0 ? "no hay meses cargados" : $"hay indicadores de {known[0]} a {known[^1]}";
        return new IndicatorLookup(period, null, $"Los indicadores de {period} no están publicados ni cargados ({range}).");
    }
}

/// <summary>Monthly indicators: read a month, and let an administrator correct one.</summary>
public interface IIndicatorStore
{
    /// <summary>The months held, earliest first.</summary>
    IReadOnlyList<PayrollPeriod> Months { get; }

    /// <summary>The month's indicators, or a lookup saying it is not published or not sourced.</summary>
    IndicatorLookup Get(PayrollPeriod period);

    /// <summary>Replaces (or adds) a whole month. Every present figure must carry a source.</summary>
    /// <exception cref="ArgumentException">A present figure has no source.</exception>
    void Upsert(MonthlyIndicators month);
}

/// <summary>
/// Indicators in memory: a base set (by default the shipped file) plus the months an administrator upserted, which
/// take precedence. Safe for concurrent readers and writers; nothing is persisted.
/// </summary>
public sealed class InMemoryIndicatorStore : IIndicatorStore
{
    private readonly IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> baseMonths;
    private readonly ConcurrentDictionary<PayrollPeriod, MonthlyIndicators> overrides = new();

    /// <summary>A store whose base is the shipped file.</summary>
    public InMemoryIndicatorStore()
        : this(IndicatorFile.Shipped)
    {
    }

    /// <summary>A store whose base is <paramref name="baseMonths"/>.</summary>
    public InMemoryIndicatorStore(IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> baseMonths)
    {
        ArgumentNullException.ThrowIfNull(baseMonths);
        this.baseMonths = baseMonths;
    }

    /// <inheritdoc />
    public IReadOnlyList<PayrollPeriod> Months => [.. baseMonths.Keys.Union(overrides.Keys).Order()];

    /// <summary>True when <paramref name="period"/> was upserted (and so differs from the base).</summary>
    public bool IsOverridden(PayrollPeriod period) => overrides.ContainsKey(period);

    /// <inheritdoc />
    public IndicatorLookup Get(PayrollPeriod period)
    {
        if (overrides.TryGetValue(period, out var month) || baseMonths.TryGetValue(period, out month))
        {
            return new IndicatorLookup(period, month, null);
        }

        return IndicatorLookup.NotHeld(period, Months);
    }

    /// <inheritdoc />
    public void Upsert(MonthlyIndicators month)
    {
        ArgumentNullException.ThrowIfNull(month);
        month.ThrowIfUnsourced(nameof(month));

        overrides[month.Period] = month;
    }
}
