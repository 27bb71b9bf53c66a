using System.Globalization;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// A DTE as callers without the XML describe it: header fields and totals, amounts as decimals (foreign-currency
/// documents have cents). The Odoo module's dictionaries, its vendor history and the typed received-DTE request
/// all read into this.
/// </summary>
public sealed record DteSummary
{
    /// <summary>TipoDTE as given (null when absent).</summary>
    public string? TypeText { get; init; }

    /// <summary>Folio, when given.</summary>
    public long? Folio { get; init; }

    /// <summary>FchEmis as given (YYYY-MM-DD).</summary>
    public string? IssueDateText { get; init; }

    /// <summary>RUTEmisor, normalised when it could be read as a RUT.</summary>
    public string? IssuerRut { get; init; }

    /// <summary>Razón social of the issuer.</summary>
    public string? IssuerName { get; init; }

    /// <summary>RUTRecep, normalised when it could be read as a RUT.</summary>
    public string? ReceiverRut { get; init; }

    /// <summary>MntNeto.</summary>
    public decimal? Net { get; init; }

    /// <summary>MntExe.</summary>
    public decimal? Exempt { get; init; }

    /// <summary>IVA.</summary>
    public decimal? Vat { get; init; }

    /// <summary>TasaIVA in percent, when given.</summary>
    public decimal? VatRate { get; init; }

    /// <summary>MntTotal.</summary>
    public decimal? Total { get; init; }

    /// <summary>IndTraslado (dispatch guides), when given.</summary>
    public string? TransferIndicator { get; init; }

    /// <summary>Parsed type, when numeric.</summary>
    public int? Type => int.TryParse(TypeText, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;

    /// <summary>Parsed issue date, when a valid YYYY-MM-DD date.</summary>
    public DateOnly? IssueDate => Xml.ParseDate(IssueDateText);

    /// <summary>The amount the document is for: MntTotal, else the sum of its parts.</summary>
    public decimal? Amount => Total ?? (Net is null && Exempt is null && Vat is null ? null : (Net ?? 0) + (Exempt ?? 0) + (Vat ?? 0));

    /// <summary>A double amount as a decimal. Values beyond decimal's range become ±1e20 and NaN becomes -1: both are
    /// then reported by the range check instead of overflowing the conversion.</summary>
    public static decimal AmountOf(double value) =>
        double.IsNaN(value) ? -1 : Math.Abs(value) < 1e20 ? (decimal)value : (decimal)(Math.Sign(value) * 1e20);

    /// <summary>The date part of an ISO date or date-time (<c>2025-10-01</c>, <c>2025-10-01T00:00:00</c>,
    /// <c>2025-10-01 00:00:00</c>); other text is returned trimmed so that the date check can name it.</summary>
    public static string? DatePart(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        return trimmed.Length > 10 && trimmed[10] is 'T' or ' ' && Xml.ParseDate(trimmed[..10]) is not null ? trimmed[..10] : trimmed;
    }

    /// <summary>A RUT in any usual spelling (<c>76.123.456-0</c>, <c>76123456-0</c>, Odoo's base_vat <c>CL761234560</c>)
    /// in the SII form; text that cannot be a RUT is returned trimmed, so that the RUT check names it.</summary>
    public static string? NormalizeRut(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var body = trimmed.StartsWith("CL", StringComparison.OrdinalIgnoreCase) ? trimmed[2..] : trimmed;
        return Common.Rut.TryNormalize(body, out var rut) ? rut : trimmed;
    }
}
