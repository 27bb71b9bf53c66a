namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>A project the local engine ranked, offered to the second opinion.</summary>
/// <param name="ProjectId">The caller's project id.</param>
/// <param name="Code">Project code (may be empty).</param>
/// <param name="Name">Project name.</param>
/// <param name="Client">Project's client name (may be null).</param>
/// <param name="LocalConfidence">The local engine's probability for this project (0-1).</param>
public sealed record SecondOpinionCandidate(int ProjectId, string Code, string Name, string? Client, double LocalConfidence);

/// <summary>A past invoice similar to the one being matched, with the project it was assigned to (null: none).</summary>
/// <param name="Description">Its text.</param>
/// <param name="ProjectId">Project it was assigned to.</param>
public sealed record SecondOpinionExample(string Description, int? ProjectId);

/// <summary>What the second opinion is asked.</summary>
/// <param name="InvoiceText">Invoice description and lines, as one text.</param>
/// <param name="SupplierName">Supplier name (may be null).</param>
/// <param name="Amount">Net amount in CLP (may be null).</param>
/// <param name="IssueDate">Issue date <c>YYYY-MM-DD</c> (may be null).</param>
/// <param name="Candidates">The local top candidates; the answer must name one of them or none.</param>
/// <param name="SimilarPastInvoices">The most similar past invoices.</param>
public sealed record SecondOpinionRequest(
    string InvoiceText,
    string? SupplierName,
    decimal? Amount,
    string? IssueDate,
    IReadOnlyList<SecondOpinionCandidate> Candidates,
    IReadOnlyList<SecondOpinionExample> SimilarPastInvoices);

/// <summary>Kinds of second-opinion answers.</summary>
public enum SecondOpinionOutcome
{
    /// <summary>The LLM named one of the candidates.</summary>
    Chosen,

    /// <summary>The LLM said none of the candidates fits.</summary>
    NoMatch,

    /// <summary>No usable answer (disabled, timeout, error, breaker open, invalid answer): keep the local result.</summary>
    Unavailable,
}

/// <summary>The second opinion's answer.</summary>
/// <param name="Outcome">What kind of answer.</param>
/// <param name="ProjectId">Chosen project (only with <see cref="SecondOpinionOutcome.Chosen"/>; always one of the candidates).</param>
/// <param name="Confidence">The LLM's confidence (0-1).</param>
/// <param name="Reasoning">Short Spanish reasoning from the LLM.</param>
/// <param name="UnavailableReason">Why there is no answer (with <see cref="SecondOpinionOutcome.Unavailable"/>), safe to show.</param>
public sealed record SecondOpinionAnswer(SecondOpinionOutcome Outcome, int? ProjectId, double Confidence, string Reasoning, string? UnavailableReason = null)
{
    /// <summary>An unavailable answer with its reason.</summary>
    public static SecondOpinionAnswer Unavailable(string reason) => new(SecondOpinionOutcome.Unavailable, null, 0, string.Empty, reason);
}

/// <summary>
/// An optional LLM second opinion for matches the local engine is unsure about. Implementations
/// never throw for LLM failures (they answer <see cref="SecondOpinionOutcome.Unavailable"/>); only
/// cancellation of <c>cancellationToken</c> propagates.
/// </summary>
public interface ISecondOpinion
{
    /// <summary>True when an LLM is configured.</summary>
    bool IsEnabled { get; }

    /// <summary>Ask only when the local confidence is below this (0-1).</summary>
    double Threshold { get; }

    /// <summary>Asks for a second opinion.</summary>
    Task<SecondOpinionAnswer> AskAsync(SecondOpinionRequest request, CancellationToken cancellationToken);
}
