using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// What the rules read from a payslip, computed once: line values by code (repeated codes added up), the sums of
/// each kind of line, and the days paid. Deductions are kept as positive magnitudes so that a wrong sign (reported
/// once, by the sign rule) does not also break every amount check.
/// </summary>
internal sealed class PayslipFacts
{
    private readonly Dictionary<string, decimal> byCode = new(StringComparer.Ordinal);

    public PayslipFacts(Payslip payslip)
    {
        Payslip = payslip;
        foreach (var line in payslip.Lines)
        {
            byCode[line.Code] = byCode.GetValueOrDefault(line.Code) + line.Value;
        }

        Duplicates = [.. payslip.Lines.GroupBy(l => l.Code, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        TaxablePay = Sum(LineCodes.TaxablePay);
        NonTaxablePay = Sum(LineCodes.NonTaxablePay);
        KnownDeductions = LineCodes.Deductions.Sum(Deduction);
        var unknown = payslip.Lines.Where(l => !LineCodes.IsKnown(l.Code)).ToList();
        UnknownEarnings = unknown.Where(l => l.Value > 0).Sum(l => l.Value);
        UnknownDeductions = unknown.Where(l => l.Value < 0).Sum(l => -l.Value);
        (DaysPaid, ShareOfMonth, LowestShareOfMonth) = Days(payslip);
    }

    public Payslip Payslip { get; }

    /// <summary>Codes that appear more than once.</summary>
    public IReadOnlyList<string> Duplicates { get; }

    /// <summary>BASIC + GRAT_SOPA + HEX_SOPA + BONUS_SOPA.</summary>
    public decimal TaxablePay { get; }

    /// <summary>COL_SOPA + MOV_SOPA + ASIGFAM_SOPA.</summary>
    public decimal NonTaxablePay { get; }

    /// <summary>Magnitude of AFP + SALUD + AFC + APV + IMPUESTO_UNICO.</summary>
    public decimal KnownDeductions { get; }

    /// <summary>Positive lines with codes this engine does not know (other bonuses, employer contributions…).</summary>
    public decimal UnknownEarnings { get; }

    /// <summary>Magnitude of negative lines with unknown codes (loans, union dues, advances…).</summary>
    public decimal UnknownDeductions { get; }

    /// <summary>Days paid on the 30-day month of payroll practice: a whole calendar month is 30.</summary>
    public int DaysPaid { get; }

    /// <summary>Days paid / 30.</summary>
    public decimal ShareOfMonth { get; }

    /// <summary>The smaller of days / 30 and calendar days / days in the month: both conventions are in use, and a
    /// floor (the minimum wage) must not fail a payslip that follows either.</summary>
    public decimal LowestShareOfMonth { get; }

    /// <summary>True for a partial month.</summary>
    public bool IsPartialMonth => DaysPaid < 30;

    /// <summary>True when the code has at least one line.</summary>
    public bool Has(string code) => byCode.ContainsKey(code);

    /// <summary>The summed value of the code's lines (0 when absent), sign as sent.</summary>
    public decimal Value(string code) => byCode.GetValueOrDefault(code);

    /// <summary>The summed value of a deduction code as a positive magnitude.</summary>
    public decimal Deduction(string code) => Math.Abs(byCode.GetValueOrDefault(code));

    /// <summary>The printed name of the code's first line (names the AFP, the insurer, the contract kind).</summary>
    public string? Name(string code) => Payslip.Lines.FirstOrDefault(l => l.Code == code)?.Name;

    private decimal Sum(IEnumerable<string> codes) => codes.Sum(Value);

    private static (int Days, decimal Share, decimal Lowest) Days(Payslip payslip)
    {
        var period = payslip.Period;
        var from = payslip.DateFrom is { } f && period.Contains(f) ? f : period.FirstDay;
        var to = payslip.DateTo is { } t && period.Contains(t) ? t : period.LastDay;
        if (to < from || (from == period.FirstDay && to == period.LastDay))
        {
            return (30, 1m, 1m);
        }

        var calendarDays = to.DayNumber - from.DayNumber + 1;
        var days = Math.Min(30, calendarDays);
        var share = days / 30m;
        return (days, share, Math.Min(share, calendarDays / (decimal)period.DaysInMonth));
    }
}
