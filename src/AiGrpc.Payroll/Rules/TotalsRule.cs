using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// The liquidación adds up: haberes are the earning lines, descuentos the deduction lines, líquido is haberes minus
/// descuentos and not negative, and each subtotal line repeats its total. Lines with codes this engine does not know
/// (other bonuses, loans, union dues, employer contributions shown on the slip) may or may not be part of a total: a
/// total between the known lines' sum and that sum plus every unknown line of its sign is accepted.
/// </summary>
internal sealed class TotalsRule : IPayrollRule
{
    public string Name => "totales";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        var payslip = facts.Payslip;
        var earnings = facts.TaxablePay + facts.NonTaxablePay;
        var haberes = payslip.TotalHaberes;
        var descuentos = payslip.TotalDescuentos is { } d ? Math.Abs(d) : (decimal?)null;
        var liquido = payslip.TotalLiquido;
        context.Checked(Name, facts.UnknownEarnings + facts.UnknownDeductions > 0 ? CheckQuality.Lenient : CheckQuality.Exact);

        if (haberes is { } h && !Money.Within(h, earnings, earnings + facts.UnknownEarnings))
        {
            context.Error(
                FindingCodes.HaberesTotalMismatch,
                $"El total de haberes ({Money.Clp(h)}) no es la suma de los haberes ({Money.Clp(earnings)}{Unknown(facts.UnknownEarnings, "haberes")}).",
                LegalSources.Liquidation,
                earnings,
                h,
                LineCodes.TotalEarnings);
        }

        var deductions = facts.KnownDeductions;
        if (descuentos is { } t && !Money.Within(t, deductions, deductions + facts.UnknownDeductions))
        {
            context.Error(
                FindingCodes.DescuentosTotalMismatch,
                $"El total de descuentos ({Money.Clp(t)}) no es la suma de los descuentos ({Money.Clp(deductions)}{Unknown(facts.UnknownDeductions, "descuentos")}).",
                LegalSources.Liquidation,
                deductions,
                t,
                LineCodes.TotalDeductions);
        }

        if (haberes is { } hh && descuentos is { } dd && liquido is { } l && !Money.Near(l, hh - dd))
        {
            context.Error(
                FindingCodes.TotalsMismatch,
                $"Haberes {Money.Clp(hh)} − descuentos {Money.Clp(dd)} = {Money.Clp(hh - dd)}, pero el líquido informado es {Money.Clp(l)}.",
                LegalSources.Liquidation,
                hh - dd,
                l,
                LineCodes.Net);
        }

        var net = liquido ?? (haberes is { } a && descuentos is { } b ? a - b : null);
        if (net < 0)
        {
            context.Error(
                FindingCodes.NegativeNetPay,
                $"El líquido a pagar es negativo ({Money.Clp(net.Value)}): los descuentos superan los haberes.",
                LegalSources.Liquidation,
                0,
                net,
                LineCodes.Net);
        }

        Subtotal(context, LineCodes.TotalTaxable, payslip.TotalImponible);
        Subtotal(context, LineCodes.TaxableEarnings, payslip.TotalImponible, facts.TaxablePay, context.TaxablePay);
        Subtotal(context, LineCodes.NonTaxableEarnings, facts.NonTaxablePay, extra: facts.UnknownEarnings);
        Subtotal(context, LineCodes.TotalEarnings, haberes);
        Subtotal(context, LineCodes.TotalDeductions, descuentos);
        Subtotal(context, LineCodes.Net, liquido);
    }

    /// <summary>A subtotal line must repeat one of the totals it stands for (a deduction total may carry either sign);
    /// <paramref name="extra"/> is what unknown lines may add to it.</summary>
    private static void Subtotal(RuleContext context, string code, decimal? total, decimal? other = null, decimal? third = null, decimal extra = 0)
    {
        decimal?[] totals = [total, other, third];
        if (!context.Facts.Has(code) || totals.All(t => t is null))
        {
            return;
        }

        var value = context.Facts.Value(code);
        var signless = code == LineCodes.TotalDeductions ? Math.Abs(value) : value;
        if (totals.Any(t => t is { } known && Money.Within(signless, known, known + extra)))
        {
            return;
        }

        var expected = totals.First(t => t is not null)!.Value;
        context.Error(
            FindingCodes.SubtotalLineMismatch,
            $"La línea {code} ({Money.Clp(value)}) no coincide con el total que representa ({Money.Clp(expected)}).",
            LegalSources.Liquidation,
            expected,
            value,
            code);
    }

    private static string Unknown(decimal amount, string what) =>
        amount > 0 ? $"; con otros {what} no reconocidos, {Money.Clp(amount)} más" : string.Empty;
}
