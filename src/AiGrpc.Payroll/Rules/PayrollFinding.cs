namespace AiGrpc.Payroll.Rules;

/// <summary>How serious a finding is.</summary>
public enum FindingSeverity
{
    /// <summary>A person should look at it (the payslip goes to review).</summary>
    Warning,

    /// <summary>The payslip breaks a rule (the payslip is rejected).</summary>
    Error,
}

/// <summary>What the module should do with the payslip.</summary>
public enum Recommendation
{
    /// <summary>No finding: every rule that applies was checked and holds.</summary>
    Approve,

    /// <summary>Warnings only (including rules that could not be checked).</summary>
    Review,

    /// <summary>At least one error.</summary>
    Reject,
}

/// <summary>One result of a rule, something a payroll accountant can act on.</summary>
/// <param name="Code">Stable UPPER_SNAKE code (<see cref="FindingCodes"/>); callers may switch on it.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Message">Spanish sentence with the amounts.</param>
/// <param name="LegalSource">Article and law (or the indicator's publisher) the rule rests on.</param>
/// <param name="Expected">The amount the rule expects, when there is one (CLP).</param>
/// <param name="Actual">The amount found, when there is one (CLP).</param>
/// <param name="Line">The line code concerned, when one is.</param>
public sealed record PayrollFinding(
    string Code,
    FindingSeverity Severity,
    string Message,
    string LegalSource,
    decimal? Expected = null,
    decimal? Actual = null,
    string? Line = null);

/// <summary>A rule that applies to the payslip but could not run, and why (an indicator not sourced, no month).</summary>
/// <param name="Rule">Rule name (e.g. <c>impuesto_unico</c>).</param>
/// <param name="Reason">Spanish reason naming the missing figure.</param>
public sealed record SkippedRule(string Rule, string Reason);

/// <summary>The engine's answer for one payslip.</summary>
/// <param name="Recommendation">Approve, review or reject, from the findings.</param>
/// <param name="Confidence">0-100, inside the recommendation's band (reject 0-49, review 50-84, approve 85-100).</param>
/// <param name="Findings">Errors and warnings, in rule order.</param>
/// <param name="RulesRun">Rules that ran.</param>
/// <param name="Skipped">Rules that applied but could not run.</param>
/// <param name="Notes">Assumptions made while checking (Spanish), e.g. an AFP accepted within the published range.</param>
public sealed record PayrollValidationResult(
    Recommendation Recommendation,
    int Confidence,
    IReadOnlyList<PayrollFinding> Findings,
    IReadOnlyList<string> RulesRun,
    IReadOnlyList<SkippedRule> Skipped,
    IReadOnlyList<string> Notes)
{
    /// <summary>The error findings.</summary>
    public IEnumerable<PayrollFinding> Errors => Findings.Where(f => f.Severity == FindingSeverity.Error);

    /// <summary>The warning findings.</summary>
    public IEnumerable<PayrollFinding> Warnings => Findings.Where(f => f.Severity == FindingSeverity.Warning);

    /// <summary>
    /// The answer in the shape the module reads: <c>{"success", "confidence", "errors", "warnings",
    /// "recommendation": "approve"|"review"|"reject"}</c>; each error and warning is <c>CODE: message</c>.
    /// </summary>
    public LegacyPayrollAnswer ToLegacyAnswer() => new(
        true,
        Confidence,
        [.. Errors.Select(f => $"{f.Code}: {f.Message}")],
        [.. Warnings.Select(f => $"{f.Code}: {f.Message}")],
        Recommendation switch
        {
            Recommendation.Approve => "approve",
            Recommendation.Review => "review",
            _ => "reject",
        });
}

/// <summary>The module's answer shape for <c>POST /api/payroll/validate</c>.</summary>
/// <param name="Success">True when the payslip was read and checked (a 200); the module raises on anything else.</param>
/// <param name="Confidence">0-100.</param>
/// <param name="Errors">Error messages.</param>
/// <param name="Warnings">Warning messages.</param>
/// <param name="Recommendation"><c>approve</c>, <c>review</c> or <c>reject</c>.</param>
public sealed record LegacyPayrollAnswer(
    bool Success,
    int Confidence,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    string Recommendation);
