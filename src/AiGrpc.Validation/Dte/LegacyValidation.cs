using AiGrpc.Common;

namespace AiGrpc.Validation.Dte;

/// <summary>One history item sent by the legacy caller: an earlier SII rejection (emission mode) or an earlier DTE of
/// the same supplier (reception mode). Any part may be missing.</summary>
/// <param name="ErrorCode">SII error code, or null.</param>
/// <param name="Message">SII message, or null.</param>
/// <param name="Document">The earlier DTE (reception mode), or null.</param>
public sealed record LegacyHistoryEntry(string? ErrorCode, string? Message, DteSummary? Document = null);

/// <summary>Which of the module's two calls a request is.</summary>
public enum LegacyMode
{
    /// <summary>A DTE the company is about to send to the SII (<c>validate_dte_with_ai</c>).</summary>
    Emission,

    /// <summary>A DTE received from a supplier (<c>validate_received_dte</c>), history = the supplier's earlier DTEs.</summary>
    Reception,
}

/// <summary>The legacy answer: confidence 0-100, warnings, errors, recommendation send/review/reject.</summary>
/// <param name="Confidence">0-100.</param>
/// <param name="Warnings">Spanish warnings.</param>
/// <param name="Errors">Spanish errors.</param>
/// <param name="Recommendation">send, review or reject.</param>
public sealed record LegacyValidationResult(int Confidence, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors, string Recommendation);

/// <summary>
/// The Odoo module's <c>POST /api/ai/validate</c>, in both of its modes, served by the same rules as XML documents.
/// A body whose shape is wrong (no <c>tipo_dte</c>, a value of a type that cannot mean its field, company_id, history
/// size, an unknown mode) is invalid input (400); everything about the document itself is a finding in a 200 answer,
/// so that the module, which reads any non-200 as "could not check", shows the reason to a person.
/// </summary>
public sealed class LegacyValidation(DteSummaryChecks checks, ReceivedDteValidation received)
{
    /// <summary>Most history items accepted.</summary>
    public const int MaxHistory = 100;

    /// <summary>Reads the request's <c>mode</c>: empty or emission, reception.</summary>
    /// <exception cref="InvalidInputException">Any other mode.</exception>
    public static LegacyMode ReadMode(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        null or "" or "emission" or "emision" or "emisión" or "emitted" or "send" => LegacyMode.Emission,
        "reception" or "recepcion" or "recepción" or "received" => LegacyMode.Reception,
        _ => throw new InvalidInputException("mode", "must be \"reception\" (a DTE received from a supplier) or empty / \"emission\" (a DTE to send)"),
    };

    /// <summary>Validates <paramref name="dteData"/> (JSON-like values: null, bool, double, string, lists, dictionaries).</summary>
    /// <exception cref="InvalidInputException">The request's shape is wrong.</exception>
    public LegacyValidationResult Validate(IReadOnlyDictionary<string, object?>? dteData, int companyId, IReadOnlyList<LegacyHistoryEntry> history, LegacyMode mode = LegacyMode.Emission)
    {
        ArgumentNullException.ThrowIfNull(history);
        var violations = new List<FieldViolation>();
        if (companyId <= 0)
        {
            violations.Add(new("company_id", "must be a positive integer"));
        }

        if (history.Count > MaxHistory)
        {
            violations.Add(new("history", $"at most {MaxHistory} items"));
        }

        if (dteData is null)
        {
            violations.Add(new("dte_data", "is required"));
            throw new InvalidInputException(violations);
        }

        var summary = LegacyDteReader.Read(dteData, violations);
        if (violations.Count > 0)
        {
            throw new InvalidInputException(violations);
        }

        return mode == LegacyMode.Reception ? Reception(summary, history) : Emission(summary, history);
    }

    private LegacyValidationResult Reception(DteSummary summary, IReadOnlyList<LegacyHistoryEntry> history)
    {
        var earlier = history.Where(h => h.Document is not null).Select(h => h.Document!).ToList();
        var result = received.Validate(summary, earlier);
        return Answer(result.Verdict, result.Confidence, result.Findings, []);
    }

    private LegacyValidationResult Emission(DteSummary summary, IReadOnlyList<LegacyHistoryEntry> history)
    {
        var content = checks.Run(summary, received: false);
        var findings = content.Findings;
        var earlier = history.Select(h => h.ErrorCode?.Trim()).Where(c => !string.IsNullOrEmpty(c)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var repeated = findings.Count(f => f.Severity != FindingSeverity.Info && earlier.Contains(f.Code));
        List<string> notes = repeated > 0 ? [$"HISTORY_REPEATED: {repeated} hallazgo(s) ya causaron rechazos anteriores de esta empresa."] : [];
        var verdict = ValidationReport.Grade(findings);
        var confidence = ValidationConfidence.Of(verdict, findings, content.Evidence) - (5 * repeated);
        var floor = verdict switch { Verdict.Accept => 85, Verdict.Review => 50, _ => 0 };
        return Answer(verdict, Math.Max(confidence, floor), findings, notes);
    }

    private static LegacyValidationResult Answer(Verdict verdict, int confidence, IReadOnlyList<Finding> findings, IReadOnlyList<string> notes)
    {
        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).Select(Describe).ToList();
        var warnings = findings.Where(f => f.Severity == FindingSeverity.Warning).Select(Describe).Concat(notes).ToList();
        var recommendation = verdict switch { Verdict.Reject => "reject", Verdict.Review => "review", _ => "send" };
        return new LegacyValidationResult(confidence, warnings, errors, recommendation);
    }

    private static string Describe(Finding f) =>
        f.Expected is null && f.Actual is null ? $"{f.Code}: {f.Message}" : $"{f.Code}: {f.Message} (esperado: {f.Expected ?? "-"}; recibido: {f.Actual ?? "-"})";
}
