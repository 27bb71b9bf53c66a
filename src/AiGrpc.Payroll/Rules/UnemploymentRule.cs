using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// Seguro de cesantía, worker's share: 0,6 % of the pay up to its own cap (higher than the AFP cap) on an indefinite
/// contract, nothing on a fixed-term one. The contract kind is taken from the payslip when sent, else from the AFC
/// line's name; when still unknown both are accepted, and a missing share is flagged because then it matters.
/// </summary>
internal sealed class UnemploymentRule : IPayrollRule
{
    public string Name => "seguro_cesantia";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        var month = context.Indicators;
        if (context.TaxablePay <= 0
            || !context.Require(
                Name,
                (IndicatorFields.UnemploymentInsurance, month?.UnemploymentInsurance),
                (IndicatorFields.UfLastDay, month?.UfLastDay),
                (IndicatorFields.TaxableCapUnemploymentUf, month?.TaxableCapUnemploymentUf)))
        {
            return;
        }

        var rates = month!.UnemploymentInsurance!.Value;
        var cap = context.UnemploymentCap!.Value;
        var capped = Math.Min(context.TaxablePay, cap);
        var expected = Money.Percent(capped, rates.IndefiniteWorker);
        var paid = facts.Deduction(LineCodes.Unemployment);
        var contract = ContractKinds.Identify(facts.Payslip.ContractType, facts.Name(LineCodes.Unemployment));
        context.Checked(Name, contract == ContractType.Unknown ? CheckQuality.Lenient : CheckQuality.Exact);

        if (contract == ContractType.FixedTerm)
        {
            context.LegalUnemployment = Money.Percent(capped, rates.FixedTermWorker);
            if (paid > context.LegalUnemployment + Money.OneStep)
            {
                context.Error(
                    FindingCodes.AfcOnFixedTerm,
                    $"Se descontó seguro de cesantía ({Money.Clp(paid)}) a un contrato a plazo fijo; en ese contrato lo paga solo el empleador ({Money.Pct(rates.FixedTermEmployer)}).",
                    LegalSources.Unemployment,
                    context.LegalUnemployment,
                    paid,
                    LineCodes.Unemployment);
            }

            return;
        }

        context.LegalUnemployment = expected;
        if (paid == 0)
        {
            if (contract == ContractType.Indefinite)
            {
                context.Warn(
                    FindingCodes.AfcMissing,
                    $"No se descontó seguro de cesantía en un contrato indefinido; corresponde {Money.Pct(rates.IndefiniteWorker)} de {Money.Clp(capped)} = {Money.Clp(expected)}, salvo que el trabajador tenga 11 o más años de cotizaciones con este empleador.",
                    LegalSources.Unemployment,
                    expected,
                    0,
                    LineCodes.Unemployment);
            }
            else
            {
                context.Warn(
                    FindingCodes.AfcContractTypeUnknown,
                    $"No se descontó seguro de cesantía y no se sabe el tipo de contrato: es correcto si es a plazo fijo, por obra o faena; si es indefinido corresponde {Money.Clp(expected)}.",
                    LegalSources.Unemployment,
                    expected,
                    0,
                    LineCodes.Unemployment);
            }

            return;
        }

        if (Money.Near(paid, expected))
        {
            if (contract == ContractType.Unknown)
            {
                context.Note("El tipo de contrato no viene informado; el seguro de cesantía del 0,6 % corresponde a un contrato indefinido.");
            }

            return;
        }

        Wrong(context, rates.IndefiniteWorker, capped, expected, paid);
    }

    private static void Wrong(RuleContext context, decimal rate, decimal capped, decimal expected, decimal paid)
    {
        var pay = context.TaxablePay;
        var withoutCap = pay > context.UnemploymentCap!.Value + Money.OneStep && Money.Near(paid, Money.Percent(pay, rate));
        var withAfpCap = context.PensionCap is { } afpCap && pay > afpCap + Money.OneStep
            && Money.Near(paid, Money.Percent(Math.Min(pay, afpCap), rate));
        if (withoutCap || withAfpCap)
        {
            var used = withoutCap ? $"sobre toda la remuneración ({Money.Clp(pay)})" : $"con el tope de AFP ({Money.Clp(context.PensionCap!.Value)})";
            context.Error(
                FindingCodes.UnemploymentCapWrong,
                $"El seguro de cesantía ({Money.Clp(paid)}) se calculó {used}; su tope propio es {Money.Clp(context.UnemploymentCap.Value)} y corresponde {Money.Clp(expected)}.",
                LegalSources.UnemploymentCap,
                expected,
                paid,
                LineCodes.Unemployment);
            return;
        }

        context.Error(
            FindingCodes.AfcAmountMismatch,
            $"El seguro de cesantía ({Money.Clp(paid)}) no es el {Money.Pct(rate)} de {Money.Clp(capped)} ({Money.Clp(expected)}).",
            LegalSources.Unemployment,
            expected,
            paid,
            LineCodes.Unemployment);
    }
}
