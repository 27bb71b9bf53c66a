using AiGrpc.Analytics.V1;
using Grpc.Core;

namespace AiGrpc.Client;

public sealed partial class AiGrpcClient
{
    /// <summary>Invoice-to-project matching.</summary>
    public AiGrpcAnalyticsClient Analytics => field ??= new(Invoker, this);
}

/// <summary>Who answered a match.</summary>
public enum MatchEngine
{
    /// <summary>Not reported (an older server).</summary>
    Unknown,

    /// <summary>The embedded local engine.</summary>
    Local,

    /// <summary>The LLM second opinion (the local engine was unsure).</summary>
    Llm,

    /// <summary>The response cache (an identical request was answered before).</summary>
    Cache,
}

/// <summary>One line of an invoice.</summary>
/// <param name="Description">Line text.</param>
/// <param name="Quantity">Quantity.</param>
/// <param name="Unit">Unit as written (<c>hh</c>, <c>un</c>, ...).</param>
/// <param name="UnitPrice">Net unit price in CLP.</param>
public sealed record InvoiceLineInput(string Description, double? Quantity = null, string? Unit = null, double? UnitPrice = null);

/// <summary>A supplier invoice to assign to a project. Every field is optional, but give at least a description, lines, a purchase order or the supplier.</summary>
/// <param name="Description">Free text of the invoice.</param>
/// <param name="SupplierRut">Supplier RUT (<c>76.123.456-0</c>).</param>
/// <param name="SupplierName">Supplier name.</param>
/// <param name="Amount">Net amount in CLP.</param>
/// <param name="IssueDate">Issue date.</param>
/// <param name="PurchaseOrder">Purchase order, contract or HES reference.</param>
/// <param name="Lines">Invoice lines.</param>
public sealed record InvoiceInput(
    string? Description = null,
    string? SupplierRut = null,
    string? SupplierName = null,
    double? Amount = null,
    DateOnly? IssueDate = null,
    string? PurchaseOrder = null,
    IReadOnlyList<InvoiceLineInput>? Lines = null);

/// <summary>A candidate project.</summary>
/// <param name="Id">Your project id (unique, positive).</param>
/// <param name="Name">Project name.</param>
/// <param name="Code">Project code.</param>
/// <param name="Description">Longer description.</param>
/// <param name="Client">The project's client (mandante).</param>
/// <param name="Location">Site, commune or region.</param>
/// <param name="StartDate">Start date.</param>
/// <param name="EndDate">End date.</param>
/// <param name="Budget">Budget in CLP.</param>
/// <param name="Keywords">Keywords, including purchase-order or contract numbers bound to the project.</param>
public sealed record ProjectInput(
    int Id,
    string Name,
    string? Code = null,
    string? Description = null,
    string? Client = null,
    string? Location = null,
    DateOnly? StartDate = null,
    DateOnly? EndDate = null,
    double? Budget = null,
    IReadOnlyList<string>? Keywords = null);

/// <summary>A past invoice already assigned by a person.</summary>
/// <param name="ProjectId">Project it was assigned to; null for general overhead.</param>
/// <param name="SupplierRut">Supplier RUT.</param>
/// <param name="SupplierName">Supplier name.</param>
/// <param name="Description">Invoice text.</param>
public sealed record PastInvoiceInput(int? ProjectId, string? SupplierRut = null, string? SupplierName = null, string? Description = null);

/// <summary>A project and its probability.</summary>
/// <param name="ProjectId">Your project id.</param>
/// <param name="Confidence">Probability (0-1).</param>
public sealed record ProjectProbability(int ProjectId, double Confidence);

/// <summary>The answer for one invoice.</summary>
/// <param name="MatchedProjectId">The project, or null when there is no confident match (general overhead or too unsure).</param>
/// <param name="Confidence">Calibrated probability (0-1) that the answer is right; without a match, the best candidate's.</param>
/// <param name="Reasoning">Short Spanish sentence naming the deciding signals.</param>
/// <param name="Alternatives">Next best projects (at most 3).</param>
/// <param name="Engine">Who answered.</param>
/// <param name="Warnings">Non-fatal observations (e.g. a RUT with a wrong check digit).</param>
/// <param name="Id">Your id of the invoice (batches only).</param>
public sealed record InvoiceMatch(
    int? MatchedProjectId, double Confidence, string Reasoning, IReadOnlyList<ProjectProbability> Alternatives, MatchEngine Engine,
    IReadOnlyList<string> Warnings, string? Id = null);

/// <summary>
/// A company's candidate projects and history, to be matched against many invoices one call at a time. The first
/// <see cref="AiGrpcAnalyticsClient.MatchInvoiceAsync(InvoiceInput, MatchingContext, CancellationToken)"/> sends them;
/// later calls send only the id the server gave them (<see cref="ContextId"/>), so a large project list is neither
/// sent nor read again for each invoice. Create one per project list and reuse it; it is safe to share between threads.
/// When the list changes, create a new one.
/// </summary>
public sealed class MatchingContext
{
    private readonly Lazy<MatchContext> _message;
    private string? _contextId;

    /// <summary>Creates a context of <paramref name="projects"/> and <paramref name="history"/> (copied: later changes to the collections are not seen).</summary>
    /// <param name="projects">Candidate projects (at most 5,000).</param>
    /// <param name="history">Past invoices already assigned (optional).</param>
    public MatchingContext(IEnumerable<ProjectInput> projects, IEnumerable<PastInvoiceInput>? history = null)
    {
        ArgumentNullException.ThrowIfNull(projects);
        Projects = [.. projects];
        History = [.. history ?? []];
        _message = new(() =>
        {
            var message = new MatchContext();
            message.Projects.Add(Projects.Select(AiGrpcAnalyticsClient.ToProject));
            message.History.Add(History.Select(AiGrpcAnalyticsClient.ToPastInvoice));
            return message;
        });
    }

    /// <summary>The candidate projects.</summary>
    public IReadOnlyList<ProjectInput> Projects { get; }

    /// <summary>The past invoices.</summary>
    public IReadOnlyList<PastInvoiceInput> History { get; }

    /// <summary>The id the server gave these projects and history, or null before the first call (or after the server forgot them).</summary>
    public string? ContextId => Volatile.Read(ref _contextId);

    internal MatchContext Message => _message.Value;

    internal void Remember(string? contextId) => Volatile.Write(ref _contextId, string.IsNullOrEmpty(contextId) ? null : contextId);

    internal void Forget(string contextId) => Interlocked.CompareExchange(ref _contextId, null, contextId);
}

/// <summary>
/// Invoice-to-project matching (<c>aigrpc.analytics.v1.AnalyticsService</c>). Obtain it from
/// <see cref="AiGrpcClient.Analytics"/>. Bad input raises <see cref="RpcException"/> with
/// <see cref="StatusCode.InvalidArgument"/> and the field violations in its <c>google.rpc.BadRequest</c> detail.
/// </summary>
public sealed class AiGrpcAnalyticsClient
{
    private readonly AnalyticsService.AnalyticsServiceClient _client;
    private readonly AiGrpcClient _owner;

    internal AiGrpcAnalyticsClient(CallInvoker invoker, AiGrpcClient owner)
    {
        _client = new AnalyticsService.AnalyticsServiceClient(invoker);
        _owner = owner;
    }

    /// <summary>Matches one invoice against <paramref name="projects"/>, using <paramref name="history"/> as evidence.</summary>
    /// <param name="invoice">The invoice.</param>
    /// <param name="projects">Candidate projects (at most 5,000).</param>
    /// <param name="history">Past invoices already assigned (optional).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<InvoiceMatch> MatchInvoiceAsync(InvoiceInput invoice, IEnumerable<ProjectInput> projects, IEnumerable<PastInvoiceInput>? history = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(projects);
        var request = ToRequest(invoice);
        request.Projects.Add(projects.Select(ToProject));
        request.History.Add((history ?? []).Select(ToPastInvoice));
        var response = await _client.MatchInvoiceAsync(request, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return Map(response, null);
    }

    /// <summary>
    /// Matches one invoice against the projects and history of <paramref name="context"/>. The first call sends them;
    /// later calls name them by the id the server returned, and send them again by themselves when the server no longer
    /// holds them (restart, eviction, another replica). Answers are the same as sending everything each time.
    /// </summary>
    /// <param name="invoice">The invoice.</param>
    /// <param name="context">The projects and history, reused across calls.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<InvoiceMatch> MatchInvoiceAsync(InvoiceInput invoice, MatchingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(context);
        if (context.ContextId is { } contextId)
        {
            var named = ToRequest(invoice);
            named.ContextId = contextId;
            try
            {
                return Map(await _client.MatchInvoiceAsync(named, _owner.CallOptions(cancellationToken)).ConfigureAwait(false), null);
            }
            catch (RpcException e) when (IsContextNotFound(e))
            {
                context.Forget(contextId);
            }
        }

        var request = ToRequest(invoice);
        request.Projects.Add(context.Message.Projects);
        request.History.Add(context.Message.History);
        var response = await _client.MatchInvoiceAsync(request, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        context.Remember(response.ContextId);
        return Map(response, null);
    }

    /// <summary>
    /// Matches many invoices against one project list and history, sent once, over a stream (thousands of
    /// invoices are fine). Results arrive in input order, each with the invoice's id. Batches use the local
    /// engine only. The default deadline applies to the whole stream: pass <paramref name="timeout"/> for long batches.
    /// </summary>
    /// <param name="invoices">The invoices, each with your id.</param>
    /// <param name="projects">Candidate projects (at most 5,000).</param>
    /// <param name="history">Past invoices already assigned (optional).</param>
    /// <param name="timeout">Deadline of the whole stream (default: the client's default deadline).</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    public IAsyncEnumerable<InvoiceMatch> MatchInvoicesAsync(IEnumerable<(string Id, InvoiceInput Invoice)> invoices, IEnumerable<ProjectInput> projects,
        IEnumerable<PastInvoiceInput>? history = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        ArgumentNullException.ThrowIfNull(projects);
        return MatchInvoicesAsync(invoices, new MatchingContext(projects, history), timeout, cancellationToken);
    }

    /// <summary>
    /// Matches many invoices against the projects and history of <paramref name="context"/> over a stream, as
    /// <see cref="MatchInvoicesAsync(IEnumerable{ValueTuple{string, InvoiceInput}}, IEnumerable{ProjectInput}, IEnumerable{PastInvoiceInput}?, TimeSpan?, CancellationToken)"/>
    /// does (a stream always carries the projects and history once, whatever the context's id).
    /// </summary>
    /// <param name="invoices">The invoices, each with your id.</param>
    /// <param name="context">The projects and history.</param>
    /// <param name="timeout">Deadline of the whole stream (default: the client's default deadline).</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    public IAsyncEnumerable<InvoiceMatch> MatchInvoicesAsync(IEnumerable<(string Id, InvoiceInput Invoice)> invoices, MatchingContext context,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        ArgumentNullException.ThrowIfNull(context);
        var requests = invoices
            .Select(x => new MatchInvoicesRequest { Invoice = new BatchInvoice { Id = x.Id, Invoice = ToRequest(x.Invoice) } })
            .Prepend(new MatchInvoicesRequest { Context = context.Message });
        return DuplexExchange.RunAsync(ct => _client.MatchInvoices(_owner.CallOptions(ct, timeout)), requests, r => Map(r.Result, r.Id), cancellationToken);
    }

    private static MatchInvoiceRequest ToRequest(InvoiceInput invoice)
    {
        var request = new MatchInvoiceRequest
        {
            InvoiceDescription = invoice.Description ?? string.Empty,
            SupplierRut = invoice.SupplierRut ?? string.Empty,
            SupplierName = invoice.SupplierName ?? string.Empty,
            Amount = invoice.Amount,
            IssueDate = Date(invoice.IssueDate),
            PurchaseOrder = invoice.PurchaseOrder ?? string.Empty,
        };
        request.Lines.Add((invoice.Lines ?? []).Select(l => new InvoiceLine { Description = l.Description ?? string.Empty, Quantity = l.Quantity, Unit = l.Unit ?? string.Empty, UnitPrice = l.UnitPrice }));
        return request;
    }

    internal static Project ToProject(ProjectInput p)
    {
        var project = new Project
        {
            Id = p.Id,
            Name = p.Name ?? string.Empty,
            Code = p.Code ?? string.Empty,
            Description = p.Description ?? string.Empty,
            Client = p.Client ?? string.Empty,
            Location = p.Location ?? string.Empty,
            StartDate = Date(p.StartDate),
            EndDate = Date(p.EndDate),
            Budget = p.Budget,
        };
        project.Keywords.Add(p.Keywords ?? []);
        return project;
    }

    internal static PastInvoice ToPastInvoice(PastInvoiceInput h) => new()
    {
        ProjectId = h.ProjectId,
        SupplierRut = h.SupplierRut ?? string.Empty,
        SupplierName = h.SupplierName ?? string.Empty,
        Description = h.Description ?? string.Empty,
    };

    /// <summary>FAILED_PRECONDITION with the <c>google.rpc.ErrorInfo</c> reason CONTEXT_NOT_FOUND (read from the
    /// status details trailer, so that the client needs no extra package).</summary>
    private static bool IsContextNotFound(RpcException e)
    {
        if (e.StatusCode != StatusCode.FailedPrecondition || e.Trailers.GetValueBytes("grpc-status-details-bin") is not { } bytes)
        {
            return false;
        }

        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(bytes).Details
                .Any(d => d.Is(Google.Rpc.ErrorInfo.Descriptor) && d.Unpack<Google.Rpc.ErrorInfo>().Reason == "CONTEXT_NOT_FOUND");
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return false;
        }
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private static InvoiceMatch Map(MatchInvoiceResponse r, string? id) => new(
        r.MatchedProjectId,
        r.Confidence,
        r.Reasoning,
        [.. r.Alternatives.Select(a => new ProjectProbability(a.ProjectId, a.Confidence))],
        r.Engine switch { "local" => MatchEngine.Local, "llm" => MatchEngine.Llm, "cache" => MatchEngine.Cache, _ => MatchEngine.Unknown },
        [.. r.Warnings],
        id);
}
