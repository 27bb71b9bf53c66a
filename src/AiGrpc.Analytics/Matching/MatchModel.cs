namespace AiGrpc.Analytics.Matching;

/// <summary>One line of the invoice (detalle).</summary>
/// <param name="Description">Line text (NmbItem / DscItem).</param>
/// <param name="Quantity">Quantity, when given.</param>
/// <param name="Unit">Unit of measure as written (e.g. <c>hh</c>, <c>un</c>, <c>m3</c>).</param>
/// <param name="UnitPrice">Net unit price in CLP, when given.</param>
public sealed record InvoiceLineToMatch(string Description, decimal? Quantity = null, string? Unit = null, decimal? UnitPrice = null);

/// <summary>The supplier invoice to assign to a project. Every field is optional.</summary>
/// <param name="Description">Free text describing the invoice.</param>
/// <param name="SupplierRut">Supplier RUT as sent (any format); validated by the caller of the engine.</param>
/// <param name="SupplierName">Supplier name.</param>
/// <param name="Amount">Net amount in CLP.</param>
/// <param name="IssueDate">Issue date.</param>
/// <param name="PurchaseOrder">Purchase order / contract / HES reference (DTE references 801, 802, 803, HES).</param>
/// <param name="Lines">Invoice lines.</param>
public sealed record InvoiceToMatch(
    string? Description,
    string? SupplierRut,
    string? SupplierName,
    decimal? Amount,
    DateOnly? IssueDate,
    string? PurchaseOrder,
    IReadOnlyList<InvoiceLineToMatch> Lines);

/// <summary>A candidate project.</summary>
/// <param name="Id">The caller's project id (unique within a request).</param>
/// <param name="Code">Project code (e.g. <c>PRJ-2024-017</c>), may be null.</param>
/// <param name="Name">Project name.</param>
/// <param name="Description">Longer description.</param>
/// <param name="Client">The project's client (mandante).</param>
/// <param name="Location">Site / commune / region.</param>
/// <param name="StartDate">Start date, when known.</param>
/// <param name="EndDate">End date, when known.</param>
/// <param name="Budget">Budget in CLP, when known.</param>
/// <param name="Keywords">Extra keywords, including PO / contract numbers bound to the project.</param>
public sealed record ProjectCandidate(
    int Id,
    string? Code,
    string? Name,
    string? Description,
    string? Client,
    string? Location,
    DateOnly? StartDate,
    DateOnly? EndDate,
    decimal? Budget,
    IReadOnlyList<string> Keywords);

/// <summary>A past invoice already assigned by a bookkeeper (<paramref name="ProjectId"/> null: no project).</summary>
/// <param name="SupplierRut">Supplier RUT as sent.</param>
/// <param name="SupplierName">Supplier name.</param>
/// <param name="Description">Invoice text.</param>
/// <param name="ProjectId">Project it was assigned to, or null for general overhead.</param>
public sealed record AssignedInvoice(string? SupplierRut, string? SupplierName, string? Description, int? ProjectId);

/// <summary>A project and the engine's calibrated probability that it is the right one.</summary>
/// <param name="ProjectId">The caller's project id.</param>
/// <param name="Confidence">Probability (0-1).</param>
public sealed record ScoredProject(int ProjectId, double Confidence);

/// <summary>A past invoice similar to the one being matched (offered to the LLM second opinion).</summary>
/// <param name="Description">Its text.</param>
/// <param name="ProjectId">Project it was assigned to (null: none).</param>
/// <param name="Similarity">Text similarity to the invoice (0-1).</param>
public sealed record SimilarInvoice(string Description, int? ProjectId, double Similarity);

/// <summary>The engine's answer.</summary>
/// <param name="MatchedProjectId">The chosen project, or null when the engine abstains.</param>
/// <param name="Confidence">
/// Calibrated probability that the answer is right: with a match, that the project is the right one;
/// when abstaining, the probability of the best candidate (low by construction).
/// </param>
/// <param name="Reasoning">Short Spanish sentence naming the deciding signals (or why it abstained).</param>
/// <param name="Alternatives">Top candidates other than the match, best first (at most 3).</param>
/// <param name="Ranked">Top candidates including the match, best first (at most 5), for the second opinion.</param>
/// <param name="SimilarHistory">The most similar past invoices (at most 5), for the second opinion.</param>
/// <param name="Warnings">Non-fatal observations, e.g. a supplier RUT whose check digit is wrong.</param>
public sealed record MatchResult(
    int? MatchedProjectId,
    double Confidence,
    string Reasoning,
    IReadOnlyList<ScoredProject> Alternatives,
    IReadOnlyList<ScoredProject> Ranked,
    IReadOnlyList<SimilarInvoice> SimilarHistory,
    IReadOnlyList<string> Warnings);

/// <summary>
/// The projects and history of one request (or one batch), indexed once so that many invoices can
/// be matched against them. Immutable after construction and safe to share between threads.
/// </summary>
public interface IMatchIndex
{
    /// <summary>Number of candidate projects.</summary>
    int ProjectCount { get; }

    /// <summary>Looks up a project by id (for reasoning texts and second-opinion prompts).</summary>
    ProjectCandidate? FindProject(int projectId);

    /// <summary>Matches one invoice. Pure CPU work; never throws for odd input.</summary>
    MatchResult Match(InvoiceToMatch invoice, CancellationToken cancellationToken = default);
}

/// <summary>
/// The local matching engine: plain C#, offline, no ASP.NET or gRPC types. Input has been checked
/// by the caller (ids unique, sizes within limits); the engine still tolerates nulls and empty text.
/// </summary>
public interface IInvoiceMatcher
{
    /// <summary>Indexes projects and history for matching.</summary>
    IMatchIndex BuildIndex(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<AssignedInvoice> history);
}
