namespace AiGrpc.Validation.Dte;

// Rules cite "Formato DTE v2.2" (SII, 2019-07-10): the field table of each element; see docs/validation.md.

/// <summary>Emission date range and plausibility.</summary>
internal static class DateChecks
{
    /// <summary>FchEmis range of Formato DTE v2.2 (Encabezado, campo 4).</summary>
    public static readonly DateOnly MinIssueDate = new(2003, 4, 1);

    /// <summary>Upper bound of FchEmis and FchRef.</summary>
    public static readonly DateOnly MaxDate = new(2050, 12, 31);

    public static void Run(CheckContext c, TimeSpan futureTolerance)
    {
        var d = c.Document;
        if (d.IssueDateText is null)
        {
            return;
        }

        var path = c.P("Encabezado/IdDoc/FchEmis");
        if (d.IssueDate is not { } date)
        {
            c.Error("DATE_INVALID", path, "La fecha de emisión no es una fecha válida con formato AAAA-MM-DD.", "AAAA-MM-DD", d.IssueDateText);
            return;
        }

        if (date < MinIssueDate || date > MaxDate)
        {
            c.Error("DATE_OUT_OF_RANGE", path, "La fecha de emisión está fuera del rango que acepta el SII.", $"{MinIssueDate:yyyy-MM-dd}..{MaxDate:yyyy-MM-dd}", d.IssueDateText);
            return;
        }

        // Chile's time zones are UTC-3/-4: a date is "in the future" only once it has not started anywhere in Chile.
        var latest = DateOnly.FromDateTime((c.Time.GetUtcNow() + futureTolerance).UtcDateTime);
        if (date > latest)
        {
            c.Error("DATE_IN_FUTURE", path, "La fecha de emisión está en el futuro.", $"<= {latest:yyyy-MM-dd}", d.IssueDateText);
        }
    }
}
