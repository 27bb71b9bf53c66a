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
        var context = new MatchContext();
        context.Projects.Add(projects.Select(ToProject));
        context.History.Add((history ?? []).Select(ToPastInvoice));
        var requests = invoices
            .Select(x => new MatchInvoicesRequest { Invoice = new BatchInvoice { Id = x.Id, Invoice = ToRequest(x.Invoice) } })
            .Prepend(new MatchInvoicesRequest { Context = context });
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

    private static Project ToProject(ProjectInput p)
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

    private static PastInvoice ToPastInvoice(PastInvoiceInput h) => new()
    {
        ProjectId = h.ProjectId,
        SupplierRut = h.SupplierRut ?? string.Empty,
        SupplierName = h.SupplierName ?? string.Empty,
        Description = h.Description ?? string.Empty,
    };

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
