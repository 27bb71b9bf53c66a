using System.Globalization;

namespace AiGrpc.Validation.Dte;

/// <summary>The content findings on a <see cref="DteSummary"/> and how much of the document they could check.</summary>
/// <param name="Findings">Findings, with amounts in the document's own units.</param>
/// <param name="Evidence">Share (0-1) of the fields that matter for this kind of check that were present.</param>
public sealed record SummaryCheckResult(IReadOnlyList<Finding> Findings, double Evidence);

/// <summary>
/// Checks a <see cref="DteSummary"/> with the same rules as an XML document (types, RUTs, dates, VAT against the net
/// amount, totals), leaving out what a summary cannot carry: detail lines, references and the elements it simply did
/// not send, which are named once in a <c>FIELDS_MISSING</c> warning instead of one error each.
/// </summary>
public sealed class DteSummaryChecks(DteValidator validator)
{
    /// <summary>Largest amount accepted (the old service's limit on monto_total, CLP 999,999,999,999).</summary>
    public const decimal MaxAmount = 999_999_999_999m;

    /// <summary>Most decimals kept: the SII's decimal amounts (Exportaciones, OtraMoneda) have at most 4.</summary>
    private const int MaxDecimals = 4;

    /// <summary>Findings about elements a summary does not carry (lines, references, elements it did not send).</summary>
    private static readonly HashSet<string> NotCarried = new(StringComparer.Ordinal) { "STRUCTURE_MISSING_ELEMENT", "REFERENCE_MISSING", "REFERENCE_CODE_MISSING" };

    /// <summary>Checks <paramref name="summary"/>; <paramref name="received"/> for a DTE received from a supplier
    /// (the receiver is the company itself, and the folio is needed to compare it with the supplier's history).</summary>
    public SummaryCheckResult Run(DteSummary summary, bool received)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var findings = new List<Finding>();
        var net = InRange(summary.Net, "MntNeto", "El monto neto", findings);
        var exempt = InRange(summary.Exempt, "MntExe", "El monto exento", findings);
        var vat = InRange(summary.Vat, "IVA", "El IVA", findings);
        var total = InRange(summary.Total, "MntTotal", "El monto total", findings);
        var scale = Scale(net, exempt, vat, total);
        var type = summary.Type;
        var taxable = type is not null && !StructureChecks.ExemptTypes.Contains(type.Value);
        var document = new DteDocument
        {
            TypeText = summary.TypeText,
            FolioText = summary.Folio is { } folio and not 0 ? folio.ToString(CultureInfo.InvariantCulture) : null,
            IssueDateText = summary.IssueDateText,
            IssuerRut = summary.IssuerRut,
            IssuerName = summary.IssuerName,
            ReceiverRut = summary.ReceiverRut,
            TransferIndicator = summary.TransferIndicator,
            HasTotals = net is not null || exempt is not null || vat is not null || total is not null,
            Totals = new DteTotals
            {
                Net = Scaled(net, scale),
                Exempt = Scaled(exempt, scale),
                Vat = Scaled(vat, scale),
                Total = Scaled(total, scale),
                VatRate = summary.VatRate ?? (net is not null && taxable ? 19m : null),
            },
        };

        foreach (var f in validator.Validate(document).AllFindings)
        {
            if (NotCarried.Contains(f.Code) || (f.Path.EndsWith("IndTraslado", StringComparison.Ordinal) && summary.TransferIndicator is null))
            {
                continue;
            }

            findings.Add(scale == 1 || !f.Path.Contains("Totales", StringComparison.Ordinal) ? f : f with { Expected = Unscaled(f.Expected, scale), Actual = Unscaled(f.Actual, scale) });
        }

        if (total == 0 && !(type is { } t && ReferenceChecks.Notes.Contains(t)))
        {
            // The old service required monto_total > 0; only notes (which may correct text alone) carry a zero total.
            findings.Add(new Finding("TOTALS_ZERO", FindingSeverity.Warning, "Documento/Encabezado/Totales/MntTotal", "El monto total es cero.", "> 0", "0"));
        }

        // What the verdict rests on. Without a "vouch" field the document cannot be vouched for (a warning names
        // them); the others only lower the confidence.
        var expected = new List<(string Name, bool Present, bool Vouch)>
        {
            ("la fecha de emisión", summary.IssueDateText is not null, true),
            ("el RUT del emisor", summary.IssuerRut is not null, true),
            ("el monto total", total is not null, true),
            ("el desglose de montos (neto o exento)", net is not null || exempt is not null, false),
        };
        if (taxable)
        {
            expected.Add(("el IVA", vat is not null, false));
        }

        if (received)
        {
            expected.Add(("el folio", summary.Folio is > 0, false));
        }
        else if (type is not (39 or 41))
        {
            expected.Add(("el RUT del receptor", summary.ReceiverRut is not null, true));
        }

        var missing = expected.Where(e => e.Vouch && !e.Present).Select(e => e.Name).ToList();
        if (missing.Count > 0)
        {
            findings.Add(new Finding("FIELDS_MISSING", FindingSeverity.Warning, "dte_data",
                $"No se recibió {string.Join(", ", missing)}: esa parte del documento no pudo verificarse."));
        }

        return new SummaryCheckResult(findings, expected.Count(e => e.Present) / (double)expected.Count);
    }

    /// <summary>An amount within the accepted range, or null with a finding (it is then left out of the arithmetic,
    /// which would otherwise overflow).</summary>
    private static decimal? InRange(decimal? amount, string element, string what, List<Finding> findings)
    {
        if (amount is not { } value)
        {
            return null;
        }

        if (value is >= 0 and <= MaxAmount)
        {
            return value;
        }

        findings.Add(new Finding("TOTALS_OUT_OF_RANGE", FindingSeverity.Error, "Documento/Encabezado/Totales/" + element,
            string.Create(CultureInfo.InvariantCulture, $"{what} está fuera del rango aceptado (no negativo y hasta {MaxAmount:N0})."), $"0..{MaxAmount.ToString(CultureInfo.InvariantCulture)}", value.ToString(CultureInfo.InvariantCulture)));
        return null;
    }

    /// <summary>1 for whole amounts; 10^d for amounts with d decimals (at most 4), so that the integer arithmetic of
    /// the rules works in hundredths of a dollar exactly as it works in pesos.</summary>
    private static long Scale(params decimal?[] amounts)
    {
        var decimals = 0;
        foreach (var a in amounts)
        {
            if (a is { } value)
            {
                decimals = Math.Max(decimals, (value / 1.000000000000000000000000000000000m).Scale);
            }
        }

        return (long)Math.Pow(10, Math.Min(decimals, MaxDecimals));
    }

    private static long? Scaled(decimal? amount, long scale) => amount is { } a ? TotalsChecks.Round(a * scale) : null;

    private static string? Unscaled(string? value, long scale) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var units)
            ? (units / (decimal)scale).ToString(CultureInfo.InvariantCulture)
            : value;
}
