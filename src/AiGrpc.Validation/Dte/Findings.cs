namespace AiGrpc.Validation.Dte;

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

/// <summary>A check group that could not run, and why (e.g. no SII key for the CAF's IDK).</summary>
/// <param name="Check">Check group name (e.g. <c>caf-signature</c>).</param>
/// <param name="Reason">Spanish reason.</param>
public sealed record SkippedCheck(string Check, string Reason);

/// <summary>Outcome of an XML-DSig verification.</summary>
/// <param name="Verified">True when digest and signature verified in some variant.</param>
/// <param name="Variant">Which variant verified: <c>as-received</c>, <c>re-rooted</c>, <c>re-rooted-without-namespace</c>, <c>re-rooted-with-sii-namespace</c>.</param>
/// <param name="SignerSubject">Subject of the signer certificate, when readable.</param>
/// <param name="SignerRut">RUT in the certificate's subjectAltName (OID 1.3.6.1.4.1.8321.1), when present.</param>
public sealed record SignatureOutcome(bool Verified, string? Variant, string? SignerSubject, string? SignerRut);

/// <summary>Result for one DTE (or one CAF, for an <c>AUTORIZACION</c> input).</summary>
/// <param name="Index">Position in the input (0 for a single DTE).</param>
/// <param name="Type">TipoDTE, when readable.</param>
/// <param name="Folio">Folio, when readable.</param>
/// <param name="IssuerRut">RUTEmisor as written.</param>
/// <param name="Verdict">Verdict of this document alone.</param>
/// <param name="Findings">Its findings.</param>
/// <param name="ChecksRun">Check groups that ran.</param>
/// <param name="ChecksSkipped">Check groups that could not run, with the reason.</param>
/// <param name="Signature">XML-DSig outcome, when a signature was checked.</param>
public sealed record DocumentReport(
    int Index,
    int? Type,
    long? Folio,
    string? IssuerRut,
    Verdict Verdict,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> ChecksRun,
    IReadOnlyList<SkippedCheck> ChecksSkipped,
    SignatureOutcome? Signature);

/// <summary>Result for a whole input (one DTE, an envelope, a CAF, or something unreadable).</summary>
/// <param name="Verdict">Worst of the envelope's and every document's verdict.</param>
/// <param name="RootKind">Root element (<c>DTE</c>, <c>EnvioDTE</c>, <c>EnvioBOLETA</c>, <c>AEC</c>, <c>AUTORIZACION</c>, <c>STRUCTURED</c>), or null when unreadable.</param>
/// <param name="Findings">Findings about the input as a whole (parsing, envelope, schema).</param>
/// <param name="Documents">Per-document results.</param>
/// <param name="EnvelopeSignature">Envelope XML-DSig outcome, for EnvioDTE/EnvioBOLETA.</param>
public sealed record ValidationReport(
    Verdict Verdict,
    string? RootKind,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<DocumentReport> Documents,
    SignatureOutcome? EnvelopeSignature)
{
    /// <summary>Every finding, envelope first.</summary>
    public IEnumerable<Finding> AllFindings => Findings.Concat(Documents.SelectMany(d => d.Findings));

    /// <summary>Verdict for a list of findings: REJECT on any error, REVIEW on any warning, else ACCEPT.</summary>
    public static Verdict Grade(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var verdict = Verdict.Accept;
        foreach (var f in findings)
        {
            if (f.Severity == FindingSeverity.Error)
            {
                return Verdict.Reject;
            }

            if (f.Severity == FindingSeverity.Warning)
            {
                verdict = Verdict.Review;
            }
        }

        return verdict;
    }
}
