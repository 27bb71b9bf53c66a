using System.Diagnostics;
using AiGrpc.Analytics.Matching;
using AiGrpc.Server.Analytics.SecondOpinion;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Observability;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary>Who answered a match.</summary>
public static class MatchEngines
{
    /// <summary>The embedded local engine.</summary>
    public const string Local = "local";

    /// <summary>The LLM second opinion.</summary>
    public const string Llm = "llm";

    /// <summary>The response cache (an identical request was answered before).</summary>
    public const string Cache = "cache";
}

/// <summary>A match as answered to the caller.</summary>
/// <param name="MatchedProjectId">The project, or null for no confident match.</param>
/// <param name="Confidence">Probability (0-1).</param>
/// <param name="Reasoning">Spanish sentence naming the deciding signals.</param>
/// <param name="Alternatives">Next best projects (at most 3).</param>
/// <param name="Engine">One of <see cref="MatchEngines"/>.</param>
/// <param name="Warnings">Non-fatal observations.</param>
public sealed record MatchAnswer(int? MatchedProjectId, double Confidence, string Reasoning, IReadOnlyList<ScoredProject> Alternatives, string Engine, IReadOnlyList<string> Warnings);

/// <summary>
/// One match, end to end: response cache, local engine, and the LLM second opinion when the engine is
/// unsure and an LLM is configured. Never fails because of the cache or the LLM: the local answer
/// stands, within the caller's deadline. Plain C# (no gRPC types): the deadline comes as a time.
/// </summary>
public sealed class InvoiceMatchingService(IResponseCache cache, ISecondOpinion secondOpinion, IOptions<CacheOptions> cacheOptions, TimeProvider time)
{
    /// <summary>Time kept back from the caller's deadline to abandon the LLM call and still write the local
    /// answer (unwinding a cancelled HTTP call takes tens of milliseconds, more on a busy machine).</summary>
    private static readonly TimeSpan DeadlineReserve = TimeSpan.FromMilliseconds(300);

    /// <summary>Matches <paramref name="invoice"/> against <paramref name="index"/>.</summary>
    /// <param name="index">The request's projects and history, indexed.</param>
    /// <param name="invoice">The invoice.</param>
    /// <param name="cacheKey">Key of the normalised request, or null to bypass the cache.</param>
    /// <param name="deadline">The caller's deadline (UTC), <see cref="DateTime.MaxValue"/> for none.</param>
    /// <param name="allowSecondOpinion">False for bulk work, which stays local.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public async Task<MatchAnswer> MatchAsync(IMatchIndex index, InvoiceToMatch invoice, string? cacheKey, DateTime deadline, bool allowSecondOpinion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        using var activity = Telemetry.Source.StartActivity("analytics.match_invoice");
        activity?.SetTag("aigrpc.projects.count", index.ProjectCount);

        if (cacheKey is not null && await cache.GetAsync(cacheKey, cancellationToken).ConfigureAwait(false) is { } cached
            && MatchAnswerCodec.TryDecode(cached) is { } hit)
        {
            var answer = hit with { Engine = MatchEngines.Cache };
            Record(activity, answer);
            return answer;
        }

        var local = index.Match(invoice, cancellationToken);
        var result = new MatchAnswer(local.MatchedProjectId, local.Confidence, local.Reasoning, local.Alternatives, MatchEngines.Local, local.Warnings);
        var cacheable = true;
        if (allowSecondOpinion && secondOpinion.IsEnabled && local.Confidence < secondOpinion.Threshold && local.Ranked.Count > 0)
        {
            (result, cacheable) = await AskSecondOpinionAsync(index, invoice, local, deadline, cancellationToken).ConfigureAwait(false);
        }

        // An answer given without the second opinion it needed is not cached: the next identical request
        // may reach the LLM.
        if (cacheKey is not null && cacheable)
        {
            await cache.SetAsync(cacheKey, MatchAnswerCodec.Encode(result), cacheOptions.Value.Ttl, cancellationToken).ConfigureAwait(false);
        }

        Record(activity, result);
        return result;
    }

    private async Task<(MatchAnswer Answer, bool Cacheable)> AskSecondOpinionAsync(IMatchIndex index, InvoiceToMatch invoice, MatchResult local, DateTime deadline, CancellationToken cancellationToken)
    {
        var candidates = local.Ranked
            .Select(s => (Score: s, Project: index.FindProject(s.ProjectId)))
            .Where(x => x.Project is not null)
            .Select(x => new SecondOpinionCandidate(x.Score.ProjectId, x.Project!.Code ?? string.Empty, x.Project.Name ?? string.Empty, x.Project.Client, x.Score.Confidence))
            .ToList();
        var text = string.Join("\n", new[] { invoice.Description }.Concat(invoice.Lines.Select(l => l.Description)).Where(s => !string.IsNullOrWhiteSpace(s)));
        var request = new SecondOpinionRequest(text, invoice.SupplierName, invoice.Amount, invoice.IssueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            candidates, [.. local.SimilarHistory.Select(h => new SecondOpinionExample(h.Description, h.ProjectId))]);

        // The LLM gets what is left of the caller's deadline minus a reserve. When that runs out the local
        // answer is returned at once, without waiting for the HTTP call to unwind (it is cancelled and left
        // to finish on its own), rather than a DEADLINE_EXCEEDED.
        var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline != DateTime.MaxValue)
        {
            var left = deadline - time.GetUtcNow().UtcDateTime - DeadlineReserve;
            budget.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        var token = budget.Token;
        var ask = secondOpinion.AskAsync(request, token);
        _ = ask.ContinueWith(static (t, state) => ((CancellationTokenSource)state!).Dispose(), budget, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        SecondOpinionAnswer answer;
        try
        {
            answer = await ask.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            answer = SecondOpinionAnswer.Unavailable("no quedaba tiempo antes del plazo de la llamada");
        }

        var localAnswer = new MatchAnswer(local.MatchedProjectId, local.Confidence, local.Reasoning, local.Alternatives, MatchEngines.Local, local.Warnings);
        switch (answer.Outcome)
        {
            case SecondOpinionOutcome.Chosen when answer.ProjectId is { } chosen:
                return (new MatchAnswer(chosen, Math.Round(answer.Confidence, 4),
                    $"Segunda opinión (LLM): {answer.Reasoning} (motor local: {Describe(local)}).",
                    [.. local.Ranked.Where(s => s.ProjectId != chosen).Take(3)], MatchEngines.Llm, local.Warnings), true);
            case SecondOpinionOutcome.NoMatch:
                return (new MatchAnswer(null, Math.Round(answer.Confidence, 4),
                    $"Segunda opinión (LLM): ningún proyecto corresponde. {answer.Reasoning} (motor local: {Describe(local)}).",
                    [.. local.Ranked.Take(3)], MatchEngines.Llm, local.Warnings), true);
            default:
                return (localAnswer with { Reasoning = $"{local.Reasoning} Segunda opinión no disponible ({answer.UnavailableReason}): se mantiene el resultado local." }, false);
        }
    }

    private static string Describe(MatchResult local) =>
        local.MatchedProjectId is { } id ? $"proyecto {id} con {local.Confidence:P0}" : $"sin coincidencia, mejor candidato con {local.Confidence:P0}";

    private static void Record(Activity? activity, MatchAnswer answer)
    {
        Telemetry.RecordMatch(answer.Engine, answer.MatchedProjectId is not null, answer.Confidence);
        activity?.SetTag("aigrpc.match.engine", answer.Engine);
        activity?.SetTag("aigrpc.match.outcome", answer.MatchedProjectId is null ? "abstained" : "matched");
        activity?.SetTag("aigrpc.match.confidence_band", LocalMatchIndex.ConfidenceBand(answer.Confidence));
    }
}
