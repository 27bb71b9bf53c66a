using System.Security.Cryptography;
using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.V1;
using AiGrpc.Common;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary>What a call is matched against, and the key its answer is cached under: the index of the projects and
/// history it sent (reused when the same content was indexed recently, built and kept otherwise), or of the context it
/// names by <c>context_id</c>. Contexts are kept per caller (<see cref="MatchIndexCache"/>).</summary>
/// <param name="Index">The projects and history, indexed.</param>
/// <param name="Invoice">The invoice to match.</param>
/// <param name="ContextId">The id the caller may name the context by from now on, or null when it was not kept.</param>
/// <param name="CacheKey">The response-cache key, or null when answers are not cached.</param>
public sealed record ResolvedContext(IMatchIndex Index, InvoiceToMatch Invoice, string? ContextId, string? CacheKey);

/// <summary>Resolves the contexts of MatchInvoice and SuggestProject calls (see <see cref="ResolvedContext"/>).</summary>
public sealed class MatchContexts(AnalyticsRequestReader reader, IInvoiceMatcher matcher, MatchIndexCache indexes, IOptions<AnalyticsOptions> options)
{
    /// <summary>Bumped when the engine's answers or their encoding change, so that cached answers of an older engine are
    /// not reused (v2: answers kept as <see cref="MatchAnswerCodec"/> bytes, no longer JSON).</summary>
    private const string CacheVersion = "analytics:v2:";

    /// <summary><c>google.rpc.ErrorInfo.reason</c> of a <c>context_id</c> this server does not hold (for this key).</summary>
    public const string ContextNotFoundReason = "CONTEXT_NOT_FOUND";

    /// <summary>A MatchInvoice request's context; <paramref name="pinned"/> is the index a REST call repeating its
    /// caller's context was served with (<see cref="RestContextReuse"/>), if any.</summary>
    public ResolvedContext ForMatch(MatchInvoiceRequest request, string caller, Func<string, IMatchIndex?> pinned)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pinned);
        var (index, invoice, contextId) = request.ContextId.Length > 0 ? Named(request, caller, pinned) : Sent(request, caller);
        return new ResolvedContext(index, invoice, contextId, ResponseCacheKey(caller, contextId, request));
    }

    /// <summary>The Odoo module's suggestion: it sends the same projects and purchases with every invoice, so their
    /// index is kept as MatchInvoice's is. Returns the reader's note on what it left out, if any.</summary>
    public (ResolvedContext Context, string? Note) ForSuggestion(SuggestProjectRequest request, string caller)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (invoice, projects, history, note) = reader.ReadLegacy(request);
        var contextId = indexes.LegacyContextIdOf(request);
        if (indexes.FindSent(contextId, caller) is not { } index)
        {
            index = matcher.BuildIndex(projects, history);
            indexes.Store(contextId, caller, index, projects.Count + history.Count);
        }

        return (new ResolvedContext(index, invoice, contextId, CacheKey(caller, "suggest:", request)), note);
    }

    /// <summary>A batch's context message, indexed (batches are not kept: they name no context afterwards).</summary>
    public IMatchIndex ForBatch(MatchContext context)
    {
        var (projects, history) = reader.ReadContext(context);
        return matcher.BuildIndex(projects, history);
    }

    /// <summary>A batch's invoice.</summary>
    public InvoiceToMatch BatchInvoice(MatchInvoiceRequest invoice, string field) => reader.ReadInvoice(invoice, field);

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
    private (IMatchIndex Index, InvoiceToMatch Invoice, string? ContextId) Named(MatchInvoiceRequest request, string caller, Func<string, IMatchIndex?> pinned)
    {
        if (request.Projects.Count > 0 || request.History.Count > 0)
        {
            throw new InvalidInputException("context_id", "send either context_id or projects and history, not both");
        }

        if (!MatchIndexCache.IsContextId(request.ContextId))
        {
            throw new InvalidInputException("context_id", "not a context id: send the 32 hexadecimal characters an earlier response gave as context_id");
        }

        var index = pinned(request.ContextId) ?? indexes.FindNamed(request.ContextId, caller) ?? throw ContextNotFound(request.ContextId);
        return (index, reader.ReadInvoice(request), request.ContextId);
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
}
