using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace AiGrpc.Payroll.Indicators;

/// <summary>A payroll month, written <c>YYYY-MM</c> as the Odoo module and the indicator file write it.</summary>
/// <param name="Year">Calendar year (2000-2099 are the years a payslip can name).</param>
/// <param name="Month">Calendar month, 1-12.</param>
public readonly record struct PayrollPeriod(int Year, int Month) : IComparable<PayrollPeriod>
{
    /// <summary>First calendar day of the month.</summary>
    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>Last calendar day of the month.</summary>
    public DateOnly LastDay => new(Year, Month, DaysInMonth);

    /// <summary>Calendar days of the month (28-31).</summary>
    public int DaysInMonth => DateTime.DaysInMonth(Year, Month);

    /// <summary>The month before this one.</summary>
    public PayrollPeriod Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    /// <summary>Reads <c>YYYY-MM</c> exactly (no day, no spaces); false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PayrollPeriod period)
    {
        period = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || year is < 2000 or > 2099 || month is < 1 or > 12)
        {
            return false;
        }

        period = new PayrollPeriod(year, month);
        return true;
    }

    /// <summary>Reads <c>YYYY-MM</c>.</summary>
    /// <exception cref="FormatException">The text is not a month written <c>YYYY-MM</c>.</exception>
    public static PayrollPeriod Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a month written YYYY-MM.");

    /// <summary>The month that holds <paramref name="day"/>.</summary>
    public static PayrollPeriod Of(DateOnly day) => new(day.Year, day.Month);

    /// <summary>True when <paramref name="day"/> falls in this month.</summary>
    public bool Contains(DateOnly day) => day.Year == Year && day.Month == Month;

    /// <inheritdoc />
    public int CompareTo(PayrollPeriod other) => (Year * 12) + Month - ((other.Year * 12) + other.Month);

    /// <summary><c>YYYY-MM</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <summary>Earlier month first.</summary>
    public static bool operator <(PayrollPeriod left, PayrollPeriod right) => left.CompareTo(right) < 0;

    /// <summary>Later month first.</summary>
    public static bool operator >(PayrollPeriod left, PayrollPeriod right) => left.CompareTo(right) > 0;

    /// <summary>Earlier or the same month.</summary>
    public static bool operator <=(PayrollPeriod left, PayrollPeriod right) => left.CompareTo(right) <= 0;

    /// <summary>Later or the same month.</summary>
    public static bool operator >=(PayrollPeriod left, PayrollPeriod right) => left.CompareTo(right) >= 0;
}
