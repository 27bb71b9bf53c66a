using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.V1;
using AiGrpc.Common;
using AiGrpc.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary><c>aigrpc.analytics.v1.AnalyticsService</c>: translates messages; what a call is matched against is
/// <see cref="MatchContexts"/>'s, the match itself <see cref="InvoiceMatchingService"/>'s.</summary>
[BindServiceMethod(typeof(AnalyticsServiceBinding), nameof(AnalyticsServiceBinding.BindService))]
public sealed class AnalyticsGrpcService(MatchContexts contexts, InvoiceMatchingService matching, IOptions<AnalyticsOptions> options)
    : AnalyticsService.AnalyticsServiceBase
{
    /// <inheritdoc />
    public override async Task<MatchInvoiceResponse> MatchInvoice(MatchInvoiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var resolved = contexts.ForMatch(request, Caller(context), id => RestContextReuse.Pinned(http, id));
        if (request.ContextId.Length == 0 && resolved.ContextId is not null)
        {
            http.Items[RestContextReuse.SentKey] = resolved.ContextId; // REST repeats of it are served by id
        }

        var answer = await matching.MatchAsync(resolved.Index, resolved.Invoice, resolved.CacheKey, context.Deadline, allowSecondOpinion: true, context.CancellationToken).ConfigureAwait(false);
        var response = ToResponse(answer);
        response.ContextId = resolved.ContextId ?? string.Empty;
        return response;
    }

    /// <inheritdoc />
    public override async Task<SuggestProjectResponse> SuggestProject(SuggestProjectRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (resolved, note) = contexts.ForSuggestion(request, Caller(context));
        var answer = await matching.MatchAsync(resolved.Index, resolved.Invoice, resolved.CacheKey, context.Deadline, allowSecondOpinion: true, context.CancellationToken).ConfigureAwait(false);
        return LegacyResponse(answer, resolved.Index, options.Value.LegacyAssignThreshold, note);
    }

    /// <inheritdoc />
    public override async Task MatchInvoices(IAsyncStreamReader<MatchInvoicesRequest> requestStream, IServerStreamWriter<MatchInvoicesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        IMatchIndex? index = null;
        var position = 0;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var message = requestStream.Current;
            switch (message.ItemCase)
            {
                case MatchInvoicesRequest.ItemOneofCase.Context when index is null && position == 0:
                    index = contexts.ForBatch(message.Context);
                    break;
                case MatchInvoicesRequest.ItemOneofCase.Context:
                    throw new InvalidInputException($"requests[{position}].context", "send the context once, as the first message");
                case MatchInvoicesRequest.ItemOneofCase.Invoice when index is null:
                    throw new InvalidInputException("requests[0].context", "the first message must carry the context (projects and history)");
                case MatchInvoicesRequest.ItemOneofCase.Invoice:
                    var item = message.Invoice;
                    var field = $"requests[{position}].invoice.invoice.";
                    if (item.Invoice is null)
                    {
                        throw new InvalidInputException($"requests[{position}].invoice.invoice", "missing invoice");
                    }

                    if (item.Invoice.Projects.Count > 0 || item.Invoice.History.Count > 0)
                    {
                        throw new InvalidInputException(field + "projects", "a batch's projects and history go in the context message, not in each invoice");
                    }

                    // Batches stay local: thousands of LLM calls would cost more than the whole batch is worth.
                    var answer = await matching.MatchAsync(index, contexts.BatchInvoice(item.Invoice, field), null, context.Deadline, allowSecondOpinion: false, context.CancellationToken).ConfigureAwait(false);
                    await responseStream.WriteAsync(new MatchInvoicesResponse { Id = item.Id, Result = ToResponse(answer) }, context.CancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidInputException($"requests[{position}]", "give a context or an invoice");
            }

            position++;
        }
    }

    /// <summary>The authenticated caller (contexts are kept per caller), or "" when anonymous calls are allowed.</summary>
    private static string Caller(ServerCallContext context) =>
        ApiKeyAuthenticationHandler.CallerOf(context.GetHttpContext().User) ?? string.Empty;

    private static MatchInvoiceResponse ToResponse(MatchAnswer answer)
    {
        var response = new MatchInvoiceResponse
        {
            MatchedProjectId = answer.MatchedProjectId,
            Confidence = answer.Confidence,
            Reasoning = answer.Reasoning,
            Engine = answer.Engine,
        };
        foreach (var alternative in answer.Alternatives)
        {
            response.Alternatives.Add(new ProjectScore { ProjectId = alternative.ProjectId, Confidence = alternative.Confidence });
        }

        response.Warnings.AddRange(answer.Warnings);
        return response;
    }

    private static SuggestProjectResponse LegacyResponse(MatchAnswer answer, IMatchIndex index, int threshold, string? note)
    {
        var confidence = (int)Math.Round(answer.Confidence * 100, MidpointRounding.AwayFromZero);
        var assign = answer.MatchedProjectId is not null && confidence >= threshold;
        var reasoning = answer.MatchedProjectId is not null && !assign
            ? $"{answer.Reasoning} Confianza {confidence} bajo el umbral de {threshold}: asignación manual."
            : answer.Reasoning;
        reasoning = note is null ? reasoning : $"{reasoning} {note}";
        return new SuggestProjectResponse
        {
            ProjectId = assign ? answer.MatchedProjectId : null,
            ProjectName = assign ? index.FindProject(answer.MatchedProjectId!.Value)?.Name : null,
            Confidence = confidence,
            Reasoning = reasoning,
        };
    }
}
