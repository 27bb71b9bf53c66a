using AiGrpc.Common;

namespace AiGrpc.Validation.Dte;

/// <summary>The verdict on a received DTE.</summary>
/// <param name="Verdict">Accept, review or reject.</param>
/// <param name="Confidence">0-100: how sure the service is that the document can be accepted.</param>
/// <param name="Findings">The document's own findings, then the history's (RECEPTION_*).</param>
/// <param name="HistoryCompared">Earlier amounts of the same kind that the amount was compared with.</param>
public sealed record ReceivedDteResult(Verdict Verdict, int Confidence, IReadOnlyList<Finding> Findings, int HistoryCompared);

/// <summary>
/// A DTE received from a supplier: its own content (<see cref="DteSummaryChecks"/>) and how it compares with the
/// same supplier's earlier DTEs (<see cref="VendorHistoryChecks"/>).
/// </summary>
public sealed class ReceivedDteValidation(DteSummaryChecks checks)
{
    /// <summary>Most earlier DTEs accepted (the Odoo module sends up to 10).</summary>
    public const int MaxHistory = 100;

    /// <summary>Earlier amounts at which the history counts fully towards the confidence (the module sends 10).</summary>
    private const double FullHistory = 10;

    /// <summary>Validates <paramref name="document"/> against <paramref name="history"/>.</summary>
    /// <exception cref="InvalidInputException">More than <see cref="MaxHistory"/> earlier DTEs.</exception>
    public ReceivedDteResult Validate(DteSummary document, IReadOnlyList<DteSummary> history, string historyField = "history")
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count > MaxHistory)
        {
            throw new InvalidInputException(historyField, $"at most {MaxHistory} items");
        }

        var content = checks.Run(document, received: true);
        var vendor = VendorHistoryChecks.Run(document, history);
        var findings = content.Findings.Concat(vendor.Findings).ToList();
        var evidence = (0.75 * content.Evidence) + (0.25 * Math.Min(1, vendor.Compared / FullHistory));
        var verdict = ValidationReport.Grade(findings);
        return new ReceivedDteResult(verdict, ValidationConfidence.Of(verdict, findings, evidence), findings, vendor.Compared);
    }
}

/// <summary>
/// The 0-100 confidence the legacy answers carry: a band per verdict (reject 0-49, review 50-84, accept 85-100, so
/// that the number never contradicts the recommendation), placed within the band by the evidence and the findings.
/// </summary>
public static class ValidationConfidence
{
    /// <summary>Confidence for <paramref name="verdict"/> given the findings and the share (0-1) of the document
    /// that could be checked.</summary>
    public static int Of(Verdict verdict, IEnumerable<Finding> findings, double evidence)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var list = findings as IReadOnlyCollection<Finding> ?? [.. findings];
        var errors = list.Count(f => f.Severity == FindingSeverity.Error);
        var warnings = list.Count(f => f.Severity == FindingSeverity.Warning);
        var gap = 1 - Math.Clamp(evidence, 0, 1);
        return verdict switch
        {
            Verdict.Accept => 85 + (int)Math.Round(15 * (1 - gap)),
            Verdict.Review => Math.Clamp(84 - (8 * (warnings - 1)) - (int)Math.Round(10 * gap), 50, 84),
            _ => Math.Clamp(49 - (12 * (errors - 1)) - (4 * warnings), 0, 49),
        };
    }
}
