using System.Text.Json;
using AiGrpc.Server.Errors;
using Grpc.Core;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>
/// <c>GET /metrics/costs?period=today|yesterday|this_month|all_time</c> (default <c>today</c>): the
/// legacy LLM cost report, read from <see cref="LlmCostLedger"/>. Requires a key with the admin scope; rate-limited and
/// audited like any other route.
/// </summary>
public static class LlmCostsEndpoint
{
    /// <summary>Route of the report.</summary>
    public const string Route = "/metrics/costs";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Maps the cost report (needs <see cref="SecondOpinionExtensions.AddSecondOpinion"/>).</summary>
    public static IEndpointRouteBuilder MapLlmCosts(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, (HttpContext context, LlmCostLedger ledger, string? period) =>
        {
            period = string.IsNullOrEmpty(period) ? "today" : period;
            if (!LlmCostLedger.IsPeriod(period))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return ErrorResponses.WriteJsonAsync(context.Response, StatusCode.InvalidArgument,
                    $"period: use one of {string.Join(", ", LlmCostLedger.Periods)}.", context.RequestAborted);
            }

            var report = ledger.Report(period);
            var body = new CostsBody(
                report.Period,
                report.From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                report.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                "UTC",
                report.Calls,
                report.InputTokens,
                report.OutputTokens,
                Math.Round(report.CostUsd, 6),
                [.. report.Lines.Select(l => new CostsLine(l.Operation, l.Model, l.Calls, l.InputTokens, l.OutputTokens, Math.Round(l.CostUsd, 6)))]);
            return context.Response.WriteAsJsonAsync(body, Json, context.RequestAborted);
        })
        .WithMetadata(new Security.RequiredScope("admin"))
        .WithName("GetLlmCosts")
        .WithSummary("LLM token usage and estimated cost per operation and model over a period (UTC days).")
        .Produces<CostsBody>();
        return endpoints;
    }

    /// <summary>The report as JSON (snake_case).</summary>
    /// <param name="Period">Period asked for.</param>
    /// <param name="From">First day included, null for all time.</param>
    /// <param name="To">Last day included.</param>
    /// <param name="TimeZone">Time zone of the days (UTC).</param>
    /// <param name="TotalCalls">Calls that reached the model.</param>
    /// <param name="TotalInputTokens">Input tokens.</param>
    /// <param name="TotalOutputTokens">Output tokens.</param>
    /// <param name="TotalCostUsd">Estimated cost, USD.</param>
    /// <param name="ByOperationModel">Per operation and model, highest cost first.</param>
    public sealed record CostsBody(
        string Period,
        string? From,
        string To,
        string TimeZone,
        long TotalCalls,
        long TotalInputTokens,
        long TotalOutputTokens,
        double TotalCostUsd,
        IReadOnlyList<CostsLine> ByOperationModel);

    /// <summary>One operation and model.</summary>
    /// <param name="Operation">Operation.</param>
    /// <param name="Model">Model id.</param>
    /// <param name="Calls">Calls.</param>
    /// <param name="InputTokens">Input tokens.</param>
    /// <param name="OutputTokens">Output tokens.</param>
    /// <param name="CostUsd">Estimated cost, USD.</param>
    public sealed record CostsLine(string Operation, string Model, long Calls, long InputTokens, long OutputTokens, double CostUsd);
}
