using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// The two topes imponibles of the month in CLP (cap in UF × UF of the month's last day, the day DL 3.500 art. 16
/// names for contributions paid the following month), and the TOPE_IMPONIBLE_UF line when there is one.
/// </summary>
internal sealed class TaxableCapRule : IPayrollRule
{
    public string Name => "tope_imponible";

    public void Run(RuleContext context)
    {
        var month = context.Indicators;
        var uf = month?.UfLastDay?.Value;
        if (context.Require(Name, (IndicatorFields.UfLastDay, uf), (IndicatorFields.TaxableCapPensionUf, month?.TaxableCapPensionUf)))
        {
            context.PensionCap = Money.Round(month!.TaxableCapPensionUf!.Value * uf!.Value);
            CheckLine(context, month.TaxableCapPensionUf.Value, context.PensionCap.Value);
            context.Checked(Name);
        }

        if (context.Require("tope_imponible_cesantia", (IndicatorFields.UfLastDay, uf), (IndicatorFields.TaxableCapUnemploymentUf, month?.TaxableCapUnemploymentUf)))
        {
            context.UnemploymentCap = Money.Round(month!.TaxableCapUnemploymentUf!.Value * uf!.Value);
            context.Checked("tope_imponible_cesantia");
        }
    }

    /// <summary>The module's TOPE_IMPONIBLE_UF line may carry the cap in UF or in CLP; either is accepted.</summary>
    private static void CheckLine(RuleContext context, decimal capUf, decimal capClp)
    {
        if (!context.Facts.Has(LineCodes.TaxableCap))
        {
            return;
        }

        var value = Math.Abs(context.Facts.Value(LineCodes.TaxableCap));
        if (!Money.Near(value, capClp) && !Money.Near(value, capUf, 0.01m))
        {
            context.Warn(
                FindingCodes.TaxableCapLineMismatch,
                $"La línea TOPE_IMPONIBLE_UF dice {Money.Units(value)}; el tope de {context.Indicators!.Period} es {Money.Units(capUf)} UF = {Money.Clp(capClp)}.",
                LegalSources.PensionCap,
                capClp,
                value,
                LineCodes.TaxableCap);
        }
    }
}

/// <summary>
/// Total imponible is the sum of the remuneration lines (sueldo, gratificación, horas extra, bonos) and nothing else:
/// colación, movilización and asignación familiar are not remuneration (Código del Trabajo art. 41).
/// </summary>
internal sealed class TaxableTotalRule : IPayrollRule
{
    public string Name => "total_imponible";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        var sum = facts.TaxablePay;
        context.TaxablePay = sum;
        var reported = facts.Payslip.TotalImponible
            ?? (facts.Has(LineCodes.TotalTaxable) ? facts.Value(LineCodes.TotalTaxable)
                : facts.Has(LineCodes.TaxableEarnings) ? facts.Value(LineCodes.TaxableEarnings) : (decimal?)null);
        if (reported is not { } total)
        {
            context.Note($"La liquidación no informa total imponible; se usó la suma de los haberes imponibles ({Money.Clp(sum)}).");
            context.Checked(Name, CheckQuality.Lenient);
            return;
        }

        if (Money.Near(total, sum) || (context.PensionCap is { } cap && sum > cap && Money.Near(total, cap)))
        {
            context.Checked(Name);
            return;
        }

        // A total that is the pay plus colación, movilización or asignación familiar is that error even when unknown
        // lines could also explain it: the coincidence is what payroll software produces when it sums every earning.
        var unknown = facts.UnknownEarnings;
        var nonTaxable = facts.NonTaxablePay;
        if (nonTaxable > 0 && (Money.Near(total, sum + nonTaxable) || Money.Near(total, sum + nonTaxable + unknown)))
        {
            context.Error(
                FindingCodes.NonTaxableInTaxableBase,
                $"El total imponible ({Money.Clp(total)}) incluye colación, movilización o asignación familiar ({Money.Clp(nonTaxable)}); lo imponible es {Money.Clp(sum)}.",
                LegalSources.NonTaxable,
                sum,
                total,
                LineCodes.TotalTaxable);
        }
        else if (unknown > 0 && Money.Within(total, sum, sum + unknown))
        {
            context.TaxablePay = total;
            context.Note($"El total imponible incluye {Money.Clp(total - sum)} de líneas con códigos que el motor no conoce; se tomaron como imponibles.");
            context.Checked(Name, CheckQuality.Lenient);
            return;
        }
        else
        {
            context.Error(
                FindingCodes.TaxableTotalMismatch,
                $"El total imponible ({Money.Clp(total)}) no es la suma de sueldo base, gratificación, horas extra y bonos ({Money.Clp(sum)}).",
                LegalSources.NonTaxable,
                sum,
                total,
                LineCodes.TotalTaxable);
        }

        context.Checked(Name);
    }
}
