using System.Globalization;

namespace AiGrpc.Validation.Dte;

/// <summary>Findings on a received DTE against the same supplier's earlier DTEs, and how many amounts were compared.</summary>
/// <param name="Findings">RECEPTION_* findings.</param>
/// <param name="Compared">Earlier amounts of the same kind compared with this one (0 when too few).</param>
public sealed record VendorHistoryResult(IReadOnlyList<Finding> Findings, int Compared);

/// <summary>
/// A received DTE compared with the same supplier's earlier DTEs: a type and folio already received (a duplicate
/// bill: Formato DTE v2.2, Encabezado campo 3, "Folio autorizado por el SII": the SII authorises each folio once per
/// issuer and type, through the CAF), an amount far outside the supplier's usual
/// range, and an issue date out of sequence with the supplier's folios. Amounts are compared on a log scale (bills
/// vary by factors, not by fixed sums) with the median and the median absolute deviation, which a few odd bills in
/// the history do not move.
/// </summary>
public static class VendorHistoryChecks
{
    /// <summary>Fewest earlier amounts of the same kind to say anything about an amount: with fewer, one odd bill
    /// would be the median itself.</summary>
    public const int MinimumAmounts = 3;

    /// <summary>Modified z-score beyond which an amount is an outlier: 3.5, the cut-off Iglewicz and Hoaglin
    /// recommend ("How to Detect and Handle Outliers", ASQC, 1993).</summary>
    public const double OutlierScore = 3.5;

    /// <summary>1.4826 × MAD estimates the standard deviation of normally distributed data.</summary>
    private const double MadToSigma = 1.4826;

    /// <summary>Smallest spread assumed for any supplier, in log10 units: ±20 % (log10 1.2). A supplier that always
    /// bills the same amount still raises its prices and changes quantities; without a floor a 5 % readjustment of a
    /// fixed monthly fee would be an outlier. With it, amounts beyond about 1.9 times (or below 0.53 times) the usual
    /// one are reported for such a supplier.</summary>
    private const double MinimumSpread = 0.0792;

    /// <summary>Days by which a date may go against the folio order before it is reported: issuers number from
    /// several authorised ranges at once (branches, systems), so small inversions are normal.</summary>
    public const int SequenceToleranceDays = 60;

    /// <summary>Compares <paramref name="document"/> with <paramref name="history"/>.</summary>
    public static VendorHistoryResult Run(DteSummary document, IReadOnlyList<DteSummary> history)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(history);
        var findings = new List<Finding>();
        Duplicates(document, history, findings);
        var compared = Amount(document, history, findings);
        Sequence(document, history, findings);
        return new VendorHistoryResult(findings, compared);
    }

    private static void Duplicates(DteSummary document, IReadOnlyList<DteSummary> history, List<Finding> findings)
    {
        if (document.Type is not { } type || document.Folio is not > 0)
        {
            return;
        }

        foreach (var earlier in history)
        {
            if (earlier.Type != type || earlier.Folio != document.Folio)
            {
                continue;
            }

            var same = earlier.Amount is null || document.Amount is null || earlier.Amount == document.Amount;
            var when = earlier.IssueDateText is null ? string.Empty : $", emitido el {earlier.IssueDateText}";
            var amount = earlier.Amount is { } a ? $" por {Money(a)}" : string.Empty;
            findings.Add(new Finding("RECEPTION_DUPLICATE_FOLIO", FindingSeverity.Error, "Documento/Encabezado/IdDoc/Folio",
                same
                    ? $"Este proveedor ya envió el documento tipo {type} folio {document.Folio}{when}{amount}: es una factura duplicada y no debe registrarse dos veces."
                    : $"Este proveedor ya envió un documento tipo {type} con el folio {document.Folio}{when}{amount}, con otro monto: un folio se usa una sola vez por emisor y tipo.",
                "folio no recibido antes", document.Folio.Value.ToString(CultureInfo.InvariantCulture)));
            return;
        }
    }

    private static int Amount(DteSummary document, IReadOnlyList<DteSummary> history, List<Finding> findings)
    {
        if (document.Amount is not > 0 || Family(document.Type) is not { } family)
        {
            return 0;
        }

        var logs = history
            .Where(h => Family(h.Type) == family && h.Amount is > 0 && !(h.Type == document.Type && h.Folio is > 0 && h.Folio == document.Folio))
            .Select(h => Math.Log10((double)h.Amount!.Value))
            .ToArray();
        if (logs.Length < MinimumAmounts)
        {
            findings.Add(new Finding("RECEPTION_HISTORY_SHORT", FindingSeverity.Info, "history",
                $"Hay {logs.Length} {family} anteriores de este proveedor con monto; se necesitan {MinimumAmounts} para saber si el monto es habitual.",
                $">= {MinimumAmounts}", logs.Length.ToString(CultureInfo.InvariantCulture)));
            return logs.Length;
        }

        var median = Median(logs);
        var spread = Math.Max(MadToSigma * Median([.. logs.Select(l => Math.Abs(l - median))]), MinimumSpread);
        var amount = document.Amount.Value;
        var score = (Math.Log10((double)amount) - median) / spread;
        if (Math.Abs(score) > OutlierScore)
        {
            var usual = (decimal)Math.Pow(10, median);
            var low = (decimal)Math.Pow(10, median - (OutlierScore * spread));
            var high = (decimal)Math.Pow(10, median + (OutlierScore * spread));
            var ratio = (double)amount / (double)usual;
            var how = ratio >= 1 ? $"{ratio.ToString(ratio >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture)} veces" : $"{(1 / ratio).ToString(ratio <= 0.1 ? "0" : "0.0", CultureInfo.InvariantCulture)} veces menos que";
            findings.Add(new Finding("RECEPTION_AMOUNT_UNUSUAL", FindingSeverity.Warning, "Documento/Encabezado/Totales/MntTotal",
                $"El monto ({Money(amount)}) es {how} el habitual de este proveedor (mediana {Money(Math.Round(usual))} en {logs.Length} {family} anteriores); lo esperable está entre {Money(Math.Round(low))} y {Money(Math.Round(high))}.",
                $"{Plain(Math.Round(low))}..{Plain(Math.Round(high))}", Plain(amount)));
        }

        return logs.Length;
    }

    private static void Sequence(DteSummary document, IReadOnlyList<DteSummary> history, List<Finding> findings)
    {
        if (document.Type is null || document.Folio is not > 0 || document.IssueDate is null)
        {
            return;
        }

        var type = document.Type.Value;
        var date = document.IssueDate.Value;

        foreach (var earlier in history)
        {
            if (earlier.Type != type || earlier.Folio is not > 0 || earlier.Folio == document.Folio || earlier.IssueDate is null)
            {
                continue;
            }

            var other = earlier.IssueDate.Value;

            var days = other.DayNumber - date.DayNumber;
            var lowerFolioLater = earlier.Folio < document.Folio && days > SequenceToleranceDays;
            var higherFolioEarlier = earlier.Folio > document.Folio && -days > SequenceToleranceDays;
            if (lowerFolioLater || higherFolioEarlier)
            {
                findings.Add(new Finding("RECEPTION_DATE_OUT_OF_SEQUENCE", FindingSeverity.Warning, "Documento/Encabezado/IdDoc/FchEmis",
                    $"La fecha de emisión ({document.IssueDateText}) no sigue la secuencia de folios del proveedor: su folio {earlier.Folio} es del {earlier.IssueDateText}, " +
                    $"{Math.Abs(days)} días {(lowerFolioLater ? "después" : "antes")}, siendo un folio {(lowerFolioLater ? "anterior" : "posterior")} a este ({document.Folio}).",
                    lowerFolioLater ? $">= {other.AddDays(-SequenceToleranceDays):yyyy-MM-dd}" : $"<= {other.AddDays(SequenceToleranceDays):yyyy-MM-dd}", document.IssueDateText));
                return;
            }
        }
    }

    /// <summary>Documents whose amounts are alike: invoices, debit notes, credit notes, dispatch guides.</summary>
    private static string? Family(int? type) => type switch
    {
        33 or 34 or 43 or 46 or 110 => "facturas",
        56 or 111 => "notas de débito",
        61 or 112 => "notas de crédito",
        52 => "guías de despacho",
        39 or 41 => "boletas",
        _ => null,
    };

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static string Plain(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Chilean spelling of an amount: $1.190.000 (cents, when there are any, after a comma).</summary>
    public static string Money(decimal value) =>
        "$" + value.ToString(value == Math.Round(value) ? "#,0" : "#,0.00", CultureInfo.InvariantCulture).Replace(',', '\u0001').Replace('.', ',').Replace('\u0001', '.');
}
