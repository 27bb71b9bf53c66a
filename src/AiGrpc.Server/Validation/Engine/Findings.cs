namespace AiGrpc.Server.Validation.Engine;

/// <summary>How serious a finding is.</summary>
public enum FindingSeverity
{
    /// <summary>Information only; does not change the verdict.</summary>
    Info,

    /// <summary>Something a person should look at (verdict at most REVIEW).</summary>
    Warning,

    /// <summary>The document must not be accepted (verdict REJECT).</summary>
    Error,
}

/// <summary>Overall verdict on a document or a batch.</summary>
public enum Verdict
{
    /// <summary>No finding above Info.</summary>
    Accept,

    /// <summary>At least one Warning, no Error.</summary>
    Review,

    /// <summary>At least one Error.</summary>
    Reject,
}

/// <summary>One result of a check, something an accountant can act on.</summary>
/// <param name="Code">Stable UPPER_SNAKE code (e.g. <c>RUT_CHECK_DIGIT</c>); callers may switch on it.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Path">Where in the document (e.g. <c>Documento/Encabezado/Totales/IVA</c>).</param>
/// <param name="Message">Spanish sentence, clear to an accountant.</param>
/// <param name="Expected">The value the rule expects, when there is one.</param>
/// <param name="Actual">The value found, when there is one.</param>
public sealed record Finding(string Code, FindingSeverity Severity, string Path, string Message, string? Expected = null, string? Actual = null);
