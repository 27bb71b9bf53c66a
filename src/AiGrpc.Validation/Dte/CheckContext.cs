using System.Diagnostics;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>Collects findings and the list of checks run or skipped for one document.</summary>
internal sealed class CheckContext(DteDocument document, TimeProvider time)
{
    public DteDocument Document { get; } = document;

    public TimeProvider Time { get; } = time;

    public List<Finding> Findings { get; } = [];

    public List<string> Run { get; } = [];

    public List<SkippedCheck> Skipped { get; } = [];

    public SignatureOutcome? Signature { get; set; }

    /// <summary>Path prefix of the signed content (e.g. <c>Documento</c>).</summary>
    public string P(string rest) => string.IsNullOrEmpty(rest) ? Document.ContentName : $"{Document.ContentName}/{rest}";

    public void Error(string code, string path, string message, object? expected = null, object? actual = null) =>
        Add(code, FindingSeverity.Error, path, message, expected, actual);

    public void Warning(string code, string path, string message, object? expected = null, object? actual = null) =>
        Add(code, FindingSeverity.Warning, path, message, expected, actual);

    public void Info(string code, string path, string message, object? expected = null, object? actual = null) =>
        Add(code, FindingSeverity.Info, path, message, expected, actual);

    public void Skip(string check, string reason) => Skipped.Add(new SkippedCheck(check, reason));

    private void Add(string code, FindingSeverity severity, string path, string message, object? expected, object? actual) =>
        Findings.Add(new Finding(code, severity, path, message, Format(expected), Format(actual)));

    private static string? Format(object? value) => value switch
    {
        null => null,
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Runs one check group inside its own span and records that it ran.</summary>
    public void Group(string name, Action<CheckContext> check)
    {
        using var activity = DteTelemetry.Source.StartActivity("validation." + name, ActivityKind.Internal);
        var before = Findings.Count;
        try
        {
            check(this);
        }
        catch (Exception ex) when (ex is XmlException or ArgumentException or InvalidOperationException or FormatException
            or System.Security.Cryptography.CryptographicException or ArithmeticException or NullReferenceException)
        {
            // A check must never turn a strange document into a server error: report it as a finding.
            Error("CHECK_FAILED", Document.ContentName, $"La verificación '{name}' no pudo completarse con este documento ({ex.GetType().Name}).");
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        }

        Run.Add(name);
        if (activity is not null)
        {
            activity.SetTag("dte.type", Document.Type);
            activity.SetTag("validation.findings", Findings.Count - before);
        }
    }
}
