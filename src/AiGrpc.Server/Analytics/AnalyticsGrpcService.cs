using System.Security.Cryptography;
using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.V1;
using AiGrpc.Common;
using AiGrpc.Server.Security;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary><c>aigrpc.analytics.v1.AnalyticsService</c>: maps messages to <see cref="InvoiceMatchingService"/> calls and back.</summary>
[BindServiceMethod(typeof(AnalyticsServiceBinding), nameof(AnalyticsServiceBinding.BindService))]
public sealed class AnalyticsGrpcService(
    AnalyticsRequestReader reader, IInvoiceMatcher matcher, MatchIndexCache indexes, InvoiceMatchingService matching, IOptions<AnalyticsOptions> options)
    : AnalyticsService.AnalyticsServiceBase
{
    /// <summary>Bumped when the engine's answers or their encoding change, so that cached answers of an older engine are
    /// not reused (v2: answers kept as <see cref="MatchAnswerCodec"/> bytes, no longer JSON).</summary>
    private const string CacheVersion = "analytics:v2:";

    /// <summary><c>google.rpc.ErrorInfo.reason</c> of a <c>context_id</c> this server does not hold (for this key).</summary>
    public const string ContextNotFoundReason = "CONTEXT_NOT_FOUND";

    /// <inheritdoc />
    public override async Task<MatchInvoiceResponse> MatchInvoice(MatchInvoiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = Caller(context);
        var (index, invoice, contextId) = request.ContextId.Length > 0 ? Named(request, caller, context) : Sent(request, caller);
        if (request.ContextId.Length == 0 && contextId is not null)
        {
            context.GetHttpContext().Items[RestContextReuse.SentKey] = contextId; // REST repeats of it are served by id
        }

        var answer = await matching.MatchAsync(index, invoice, ResponseCacheKey(caller, contextId, request), context.Deadline, allowSecondOpinion: true, context.CancellationToken).ConfigureAwait(false);
        var response = ToResponse(answer);
        response.ContextId = contextId ?? string.Empty;
        return response;
    }

    /// <summary>A request carrying its projects and history: their index is reused when the same content was
    /// indexed recently (it passed the checks then; only the invoice is read), built and kept otherwise.</summary>
    private (IMatchIndex Index, InvoiceToMatch Invoice, string? ContextId) Sent(MatchInvoiceRequest request, string caller)
    {
        var contextId = indexes.ContextIdOf(request.Projects, request.History);
        if (indexes.FindSent(contextId, caller) is { } index)
        {
            return (index, reader.ReadInvoice(request), contextId);
        }

        var (invoice, projects, history) = reader.Read(request);
        index = matcher.BuildIndex(projects, history);
        return (index, invoice, indexes.Store(contextId, caller, index, projects.Count + history.Count) ? contextId : null);
    }

    /// <summary>A request naming the projects and history of an earlier one by <c>context_id</c>.</summary>
    private (IMatchIndex Index, InvoiceToMatch Invoice, string? ContextId) Named(MatchInvoiceRequest request, string caller, ServerCallContext context)
    {
        if (request.Projects.Count > 0 || request.History.Count > 0)
        {
            throw new InvalidInputException("context_id", "send either context_id or projects and history, not both");
        }

        if (!MatchIndexCache.IsContextId(request.ContextId))
        {
            throw new InvalidInputException("context_id", "not a context id: send the 32 hexadecimal characters an earlier response gave as context_id");
        }

        var index = RestContextReuse.Pinned(context.GetHttpContext(), request.ContextId)
            ?? indexes.FindNamed(request.ContextId, caller) ?? throw ContextNotFound(request.ContextId);
        return (index, reader.ReadInvoice(request), request.ContextId);
    }

    /// <inheritdoc />
    public override async Task<SuggestProjectResponse> SuggestProject(SuggestProjectRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (invoice, projects, history, note) = reader.ReadLegacy(request);
        // The module sends the same projects and purchases with every invoice: their index is kept as MatchInvoice's is.
        var caller = Caller(context);
        var contextId = indexes.LegacyContextIdOf(request);
        if (indexes.FindSent(contextId, caller) is not { } index)
        {
            index = matcher.BuildIndex(projects, history);
            indexes.Store(contextId, caller, index, projects.Count + history.Count);
        }

        var answer = await matching.MatchAsync(index, invoice, CacheKey(caller, "suggest:", request), context.Deadline, allowSecondOpinion: true, context.CancellationToken).ConfigureAwait(false);
        return LegacyResponse(answer, index, options.Value.LegacyAssignThreshold, note);
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
    /// camelCase/snake_case aliases of one request all give the same bytes, hence the same key. Keys are per caller:
    /// an answer served from the cache must not tell one caller what another sent.</summary>
    private string? CacheKey(string caller, string kind, IMessage request) =>
        options.Value.CacheResponses ? CacheVersion + kind + CallerTag(caller) + Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray())) : null;

    /// <summary>The response-cache key of a MatchInvoice: its context's id (already a digest of the projects and
    /// history) and the invoice's own fields, so the projects and history are not encoded and hashed again.
    /// Without a context id (index cache off) the whole request is hashed.</summary>
    private string? ResponseCacheKey(string caller, string? contextId, MatchInvoiceRequest request) =>
        contextId is null ? CacheKey(caller, "match:", request)
        : options.Value.CacheResponses ? CacheVersion + "match:" + CallerTag(caller) + contextId + ":" + Convert.ToHexStringLower(SHA256.HashData(InvoiceFields(request).ToByteArray()))
        : null;

    /// <summary>The caller's part of a cache key: a digest, so that any key name fits.</summary>
    private static string CallerTag(string caller) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(caller)).AsSpan(0, 8)) + ":";

    /// <summary>The request without its projects, history and context id: the invoice alone.</summary>
    internal static MatchInvoiceRequest InvoiceFields(MatchInvoiceRequest request)
    {
        var invoice = new MatchInvoiceRequest
        {
            InvoiceDescription = request.InvoiceDescription,
            SupplierRut = request.SupplierRut,
            SupplierName = request.SupplierName,
            Amount = request.Amount,
            IssueDate = request.IssueDate,
            PurchaseOrder = request.PurchaseOrder,
        };
        invoice.Lines.Add(request.Lines);
        return invoice;
    }

    /// <summary>The authenticated caller (contexts are kept per caller), or "" when anonymous calls are allowed.</summary>
    private static string Caller(ServerCallContext context) =>
        ApiKeyAuthenticationHandler.CallerOf(context.GetHttpContext().User) ?? string.Empty;

    private static RpcException ContextNotFound(string contextId) => new Google.Rpc.Status
    {
        Code = (int)Google.Rpc.Code.FailedPrecondition,
        Message = $"context_id {contextId} is not held by this server for this key: send the projects and history again.",
        Details =
        {
            Any.Pack(new ErrorInfo
            {
                Reason = ContextNotFoundReason,
                Domain = "aigrpc.analytics.v1",
                Metadata = { ["context_id"] = contextId },
            }),
        },
    }.ToRpcException();

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
