using System.Globalization;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>One row of a cost report: an operation and model over the period.</summary>
/// <param name="Operation">Operation (e.g. <c>match_invoice</c>).</param>
/// <param name="Model">Model id.</param>
/// <param name="Calls">Calls that reached the model (answered, valid or not).</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="CostUsd">Estimated cost, US dollars.</param>
public sealed record LlmCostLine(string Operation, string Model, long Calls, long InputTokens, long OutputTokens, double CostUsd);

/// <summary>LLM usage and cost over a period (UTC calendar days).</summary>
/// <param name="Period">The period asked for.</param>
/// <param name="From">First day included (UTC), null for all time.</param>
/// <param name="To">Last day included (UTC).</param>
/// <param name="Lines">Per operation and model, ordered by cost, highest first.</param>
public sealed record LlmCostReport(string Period, DateOnly? From, DateOnly To, IReadOnlyList<LlmCostLine> Lines)
{
    /// <summary>Total calls.</summary>
    public long Calls => Lines.Sum(l => l.Calls);

    /// <summary>Total input tokens.</summary>
    public long InputTokens => Lines.Sum(l => l.InputTokens);

    /// <summary>Total output tokens.</summary>
    public long OutputTokens => Lines.Sum(l => l.OutputTokens);

    /// <summary>Total estimated cost, US dollars.</summary>
    public double CostUsd => Lines.Sum(l => l.CostUsd);
}

/// <summary>
/// In-process ledger of LLM tokens and cost per UTC day, operation and model (memory grows with
/// days x operations x models, not with calls). Reset when the process restarts; the durable record
/// is the <c>aigrpc.llm.tokens</c> / <c>aigrpc.llm.cost</c> metrics. Thread-safe.
/// </summary>
public sealed class LlmCostLedger(TimeProvider time)
{
    /// <summary>Periods <see cref="Report"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Periods = ["today", "yesterday", "this_month", "all_time"];

    private readonly Lock _lock = new();
    private readonly Dictionary<(DateOnly Day, string Operation, string Model), Totals> _days = [];

    /// <summary>Records one call that reached the model.</summary>
    public void Record(string operation, string model, long inputTokens, long outputTokens, double costUsd)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentException.ThrowIfNullOrEmpty(model);
        var key = (Today(), operation, model);
        lock (_lock)
        {
            if (!_days.TryGetValue(key, out var totals))
            {
                _days[key] = totals = new Totals();
            }

            totals.Calls++;
            totals.InputTokens += Math.Max(0, inputTokens);
            totals.OutputTokens += Math.Max(0, outputTokens);
            totals.CostUsd += Math.Max(0, costUsd);
        }
    }

    /// <summary>True when <paramref name="period"/> is one of <see cref="Periods"/>.</summary>
    public static bool IsPeriod(string? period) => period is not null && Periods.Contains(period, StringComparer.Ordinal);

    /// <summary>Usage over <paramref name="period"/> (<c>today</c>, <c>yesterday</c>, <c>this_month</c>, <c>all_time</c>).</summary>
    /// <exception cref="ArgumentException">Unknown period.</exception>
    public LlmCostReport Report(string period)
    {
        var today = Today();
        (DateOnly? from, DateOnly to) = period switch
        {
            "today" => (today, today),
            "yesterday" => (today.AddDays(-1), today.AddDays(-1)),
            "this_month" => (new DateOnly(today.Year, today.Month, 1), today),
            "all_time" => ((DateOnly?)null, today),
            _ => throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Unknown period '{period}'; use one of {string.Join(", ", Periods)}."), nameof(period)),
        };
        List<LlmCostLine> lines;
        lock (_lock)
        {
            lines = _days
                .Where(e => (from is null || e.Key.Day >= from) && e.Key.Day <= to)
                .GroupBy(e => (e.Key.Operation, e.Key.Model))
                .Select(g => new LlmCostLine(
                    g.Key.Operation,
                    g.Key.Model,
                    g.Sum(e => e.Value.Calls),
                    g.Sum(e => e.Value.InputTokens),
                    g.Sum(e => e.Value.OutputTokens),
                    g.Sum(e => e.Value.CostUsd)))
                .OrderByDescending(l => l.CostUsd)
                .ThenBy(l => l.Operation, StringComparer.Ordinal)
                .ThenBy(l => l.Model, StringComparer.Ordinal)
                .ToList();
        }

        return new LlmCostReport(period, from, to, lines);
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private sealed class Totals
    {
        public long Calls;
        public long InputTokens;
        public long OutputTokens;
        public double CostUsd;
    }
}
