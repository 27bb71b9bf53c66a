using System.Security.Cryptography;
using AiGrpc.Analytics.V1;
using AiGrpc.Server.Analytics.Engine;
using AiGrpc.Server.Errors;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary><c>aigrpc.analytics.v1.AnalyticsService</c>: maps messages to <see cref="InvoiceMatchingService"/> calls and back.</summary>
public sealed class AnalyticsGrpcService(
    AnalyticsRequestReader reader, IInvoiceMatcher matcher, MatchIndexCache indexes, InvoiceMatchingService matching, IOptions<AnalyticsOptions> options)
    : AnalyticsService.AnalyticsServiceBase
{
    /// <summary>Bumped when the engine's answers change, so that cached answers of an older engine are not reused.</summary>
    private const string CacheVersion = "analytics:v1:";

    /// <inheritdoc />
    public override async Task<MatchInvoiceResponse> MatchInvoice(MatchInvoiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        // Same projects and history as a recent request: they passed the checks then, only the invoice is read.
        var indexKey = indexes.KeyOf(request);
        var index = indexes.Find(indexKey);
        InvoiceToMatch invoice;
        if (index is null)
        {
            (invoice, var projects, var history) = reader.Read(request);
            index = matcher.BuildIndex(projects, history);
            indexes.Store(indexKey, index, projects.Count + history.Count);
        }
        else
        {
            invoice = reader.ReadInvoice(request);
        }

        var answer = await matching.MatchAsync(index, invoice, CacheKey("match:", request), context.Deadline, allowSecondOpinion: true, context.CancellationToken).ConfigureAwait(false);
        return ToResponse(answer);
    }

    /// <inheritdoc />
    public override async Task<SuggestProjectResponse> SuggestProject(SuggestProjectRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (invoice, projects, history) = reader.ReadLegacy(request);
        var index = matcher.BuildIndex(projects, history);
        var answer = await matching.MatchAsync(index, invoice, CacheKey("suggest:", request), context.Deadline, allowSecondOpinion: true, context.CancellationToken).ConfigureAwait(false);
        return LegacyResponse(answer, index, options.Value.LegacyAssignThreshold);
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
                    var (projects, history) = reader.ReadContext(message.Context);
                    index = matcher.BuildIndex(projects, history);
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
                    var answer = await matching.MatchAsync(index, reader.ReadInvoice(item.Invoice, field), null, context.Deadline, allowSecondOpinion: false, context.CancellationToken).ConfigureAwait(false);
                    await responseStream.WriteAsync(new MatchInvoicesResponse { Id = item.Id, Result = ToResponse(answer) }, context.CancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidInputException($"requests[{position}]", "give a context or an invoice");
            }

            position++;
        }
    }

    /// <summary>The protobuf encoding is the normalised request: JSON spelling, whitespace, key order and
    /// camelCase/snake_case aliases of one request all give the same bytes, hence the same key.</summary>
    private string? CacheKey(string kind, IMessage request) =>
        options.Value.CacheResponses ? CacheVersion + kind + Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray())) : null;

    private static MatchInvoiceResponse ToResponse(MatchAnswer answer)
    {
        var response = new MatchInvoiceResponse
        {
            MatchedProjectId = answer.MatchedProjectId,
            Confidence = answer.Confidence,
            Reasoning = answer.Reasoning,
            Engine = answer.Engine,
        };
        response.Alternatives.AddRange(answer.Alternatives.Select(a => new AiGrpc.Analytics.V1.ProjectScore { ProjectId = a.ProjectId, Confidence = a.Confidence }));
        response.Warnings.AddRange(answer.Warnings);
        return response;
    }

    private static SuggestProjectResponse LegacyResponse(MatchAnswer answer, IMatchIndex index, int threshold)
    {
        var confidence = (int)Math.Round(answer.Confidence * 100, MidpointRounding.AwayFromZero);
        var assign = answer.MatchedProjectId is not null && confidence >= threshold;
        var reasoning = answer.MatchedProjectId is not null && !assign
            ? $"{answer.Reasoning} Confianza {confidence} bajo el umbral de {threshold}: asignación manual."
            : answer.Reasoning;
        return new SuggestProjectResponse
        {
            ProjectId = assign ? answer.MatchedProjectId : null,
            ProjectName = assign ? index.FindProject(answer.MatchedProjectId!.Value)?.Name : null,
            Confidence = confidence,
            Reasoning = reasoning,
        };
    }
}
