using System.Globalization;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// Peso arithmetic and the tolerances. Payslips are paid in whole pesos and every amount a rule expects is a product
/// rounded once (rate × base), so each rounding step may leave the payroll software half a peso away from us in
/// either direction, and software that rounds intermediate values (the base, then the product) may be one peso away
/// per step. The tolerances below allow exactly that, never a percentage: a percentage would hide real errors on
/// large pay.
/// </summary>
internal static class Money
{
    /// <summary>One rounding step (a single rate × base, a cap in UF × UF value, a sum of already-rounded lines of an
    /// Odoo payslip that carries floats).</summary>
    public const decimal OneStep = 1m;

    /// <summary>AFP: the 10 % and the commission are often rounded separately (two steps).</summary>
    public const decimal Afp = 2m;

    /// <summary>Impuesto único: the base adds up to five rounded amounts (pay, AFP, health, AFC, APV), which moves the
    /// tax by at most 40 % of 2,5 pesos; the rebate in CLP is rounded from UTM × factor; the tax itself is rounded.
    /// That is under 3 pesos.</summary>
    public const decimal IncomeTax = 3m;

    /// <summary>Rounds to whole pesos, half away from zero (as the SII tables and Previred round).</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 0, MidpointRounding.AwayFromZero);

    /// <summary><paramref name="percent"/> % of <paramref name="amount"/>, rounded to pesos.</summary>
    public static decimal Percent(decimal amount, decimal percent) => Round(amount * percent / 100m);

    /// <summary>True when <paramref name="actual"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static bool Near(decimal actual, decimal expected, decimal tolerance = OneStep) => Math.Abs(actual - expected) <= tolerance;

    /// <summary>True when <paramref name="actual"/> lies between <paramref name="low"/> and <paramref name="high"/>, one
    /// rounding step either side: a total that may or may not include lines this engine does not know.</summary>
    public static bool Within(decimal actual, decimal low, decimal high) => actual >= low - OneStep && actual <= high + OneStep;

    /// <summary>Chilean writing: <c>$1.234.567</c> (decimals only when there are any).</summary>
    public static string Clp(decimal amount)
    {
        var magnitude = Math.Abs(amount);
        var whole = decimal.Truncate(magnitude) == magnitude;
        var text = magnitude.ToString(whole ? "#,0" : "#,0.00", CultureInfo.InvariantCulture);
        var swapped = text.Replace(',', '_').Replace('.', ',').Replace('_', '.');
        return (amount < 0 ? "-$" : "$") + swapped;
    }

    /// <summary>A rate written the Chilean way: <c>11,27 %</c>.</summary>
    public static string Pct(decimal percent) =>
        percent.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ',') + " %";

    /// <summary>A UF or UTM amount written the Chilean way: <c>87,8</c>.</summary>
    public static string Units(decimal value) =>
        value.ToString("#,0.##", CultureInfo.InvariantCulture).Replace(',', '_').Replace('.', ',').Replace('_', '.');
}
