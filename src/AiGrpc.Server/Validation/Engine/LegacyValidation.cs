using System.Globalization;
using AiGrpc.Server.Errors;

namespace AiGrpc.Server.Validation.Engine;

/// <summary>One earlier SII rejection sent by the legacy caller; either field may be missing.</summary>
/// <param name="ErrorCode">SII error code, or null.</param>
/// <param name="Message">SII message, or null.</param>
public sealed record LegacyHistoryEntry(string? ErrorCode, string? Message);

/// <summary>The legacy answer: confidence 0-100, warnings, errors, recommendation send/review/reject.</summary>
/// <param name="Confidence">0-100.</param>
/// <param name="Warnings">Spanish warnings.</param>
/// <param name="Errors">Spanish errors.</param>
/// <param name="Recommendation">send, review or reject.</param>
public sealed record LegacyValidationResult(int Confidence, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors, string Recommendation);

/// <summary>
/// The Odoo module's <c>POST /api/ai/validate</c> served by the same engine. Input shape problems
/// (wrong JSON types, missing required fields, company_id, history size) are invalid input (400);
/// business rules (RUT check digit, dates, amounts, type) become findings, as for XML documents.
/// </summary>
public sealed class LegacyValidation(DteValidator validator)
{
    /// <summary>Largest monto_total the old service accepted.</summary>
    public const long MaxTotal = 999_999_999_999;

    /// <summary>Most history items accepted.</summary>
    public const int MaxHistory = 100;

    private static readonly HashSet<string> RequiredPaths = new(StringComparer.Ordinal)
    {
        "Documento/Encabezado/IdDoc/TipoDTE", "Documento/Encabezado/IdDoc/FchEmis", "Documento/Encabezado/Emisor/RUTEmisor",
        "Documento/Encabezado/Receptor/RUTRecep", "Documento/Encabezado/Totales/MntTotal", "Documento/Encabezado/Totales",
    };

    /// <summary>
    /// Validates <paramref name="dteData"/> (JSON-like values: null, bool, double, string, lists, dictionaries).
    /// </summary>
    /// <exception cref="InvalidInputException">The request's shape is wrong.</exception>
    public LegacyValidationResult Validate(IReadOnlyDictionary<string, object?>? dteData, int companyId, IReadOnlyList<LegacyHistoryEntry> history)
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

        var type = Integer(dteData, "tipo_dte", violations, required: true);
        var issuer = Text(dteData, "rut_emisor", violations, required: true);
        var receiver = Text(dteData, "rut_receptor", violations, required: true);
        var total = Integer(dteData, "monto_total", violations, required: true);
        var date = Text(dteData, "fecha_emision", violations, required: true);
        var folio = Integer(dteData, "folio", violations, required: false);
        var net = Integer(dteData, "monto_neto", violations, required: false);
        var exempt = Integer(dteData, "monto_exento", violations, required: false);
        var vat = Integer(dteData, "iva", violations, required: false);
        var rate = Number(dteData, "tasa_iva", violations);
        if (violations.Count > 0)
        {
            throw new InvalidInputException(violations);
        }

        var document = new DteDocument
        {
            TypeText = type?.ToString(CultureInfo.InvariantCulture),
            FolioText = (folio ?? 1).ToString(CultureInfo.InvariantCulture),
            IssueDateText = date,
            IssuerRut = issuer,
            IssuerName = "-",
            ReceiverRut = receiver,
            HasTotals = true,
            Totals = new DteTotals { Total = total, Net = net, Exempt = exempt, Vat = vat, VatRate = rate ?? (net is not null ? 19m : null) },
        };
        var report = validator.Validate(document);
        var findings = report.AllFindings
            .Where(f => f.Code != "STRUCTURE_MISSING_ELEMENT" || RequiredPaths.Contains(f.Path))
            .ToList();
        if (total is > MaxTotal or < 0)
        {
            findings.Add(new Finding("TOTALS_OUT_OF_RANGE", FindingSeverity.Error, "dte_data.monto_total", "El monto total está fuera del rango aceptado.", $"0..{MaxTotal}", total.Value.ToString(CultureInfo.InvariantCulture)));
        }
        else if (total == 0 && type is not (56 or 61 or 111 or 112))
        {
            findings.Add(new Finding("TOTALS_ZERO", FindingSeverity.Warning, "dte_data.monto_total", "El monto total es cero.", "> 0", "0"));
        }

        var earlier = history.Select(h => h.ErrorCode?.Trim()).Where(c => !string.IsNullOrEmpty(c)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var repeated = findings.Count(f => f.Severity != FindingSeverity.Info && earlier.Contains(f.Code));
        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).Select(Describe).ToList();
        var warnings = findings.Where(f => f.Severity == FindingSeverity.Warning).Select(Describe).ToList();
        if (repeated > 0)
        {
            warnings.Add($"HISTORY_REPEATED: {repeated} hallazgo(s) ya causaron rechazos anteriores de esta empresa.");
        }

        var verdict = ValidationReport.Grade(findings);
        var score = 100 - (30 * errors.Count) - (10 * warnings.Count) - (5 * repeated);
        var (recommendation, confidence) = verdict switch
        {
            Verdict.Reject => ("reject", Math.Clamp(score, 0, 49)),
            Verdict.Review => ("review", Math.Clamp(score, 50, 84)),
            _ => ("send", Math.Clamp(score, 85, 100)),
        };
        return new LegacyValidationResult(confidence, warnings, errors, recommendation);
    }

    private static string Describe(Finding f) =>
        f.Expected is null && f.Actual is null ? $"{f.Code}: {f.Message}" : $"{f.Code}: {f.Message} (esperado: {f.Expected ?? "-"}; recibido: {f.Actual ?? "-"})";

    private static string? Text(IReadOnlyDictionary<string, object?> data, string key, List<FieldViolation> violations, bool required)
    {
        data.TryGetValue(key, out var value);
        switch (value)
        {
            case null when required:
                violations.Add(new($"dte_data.{key}", "is required"));
                return null;
            case null:
                return null;
            case string s:
                return s.Trim();
            default:
                violations.Add(new($"dte_data.{key}", $"must be a string, not {Kind(value)}"));
                return null;
        }
    }

    private static long? Integer(IReadOnlyDictionary<string, object?> data, string key, List<FieldViolation> violations, bool required)
    {
        data.TryGetValue(key, out var value);
        switch (value)
        {
            case null when required:
                violations.Add(new($"dte_data.{key}", "is required"));
                return null;
            case null:
                return null;
            case double d when Math.Abs(d) < 1e15 && d == Math.Floor(d):
                return (long)d;
            case string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                violations.Add(new($"dte_data.{key}", $"must be an integer, not {Kind(value)}"));
                return null;
        }
    }

    private static decimal? Number(IReadOnlyDictionary<string, object?> data, string key, List<FieldViolation> violations)
    {
        data.TryGetValue(key, out var value);
        switch (value)
        {
            case null:
                return null;
            case double d when Math.Abs(d) < 1e6:
                return (decimal)d;
            case string s when decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                violations.Add(new($"dte_data.{key}", $"must be a number, not {Kind(value)}"));
                return null;
        }
    }

    private static string Kind(object value) => value switch
    {
        bool => "a boolean",
        double => "a number",
        string => "a string",
        System.Collections.IDictionary => "an object",
        System.Collections.IEnumerable => "a list",
        _ => "a " + value.GetType().Name,
    };
}
