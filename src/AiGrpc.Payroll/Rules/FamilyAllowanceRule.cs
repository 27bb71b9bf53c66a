using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// Asignación familiar: a whole number of cargas times the amount of the worker's tramo. The tramo follows the
/// worker's average income of an earlier semester, which the payslip does not carry, so any tramo that pays is
/// accepted and an amount that is no whole number of cargas of any tramo is a warning. A partial month is not checked
/// (the allowance may be prorated by days).
/// </summary>
internal sealed class FamilyAllowanceRule : IPayrollRule
{
    public string Name => "asignacion_familiar";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        var paid = facts.Value(LineCodes.FamilyAllowance);
        if (paid <= 0 || facts.IsPartialMonth)
        {
            return;
        }

        var brackets = context.Indicators?.FamilyAllowanceBrackets?.Value;
        if (!context.Require(Name, (IndicatorFields.FamilyAllowanceBrackets, brackets)))
        {
            return;
        }

        context.Checked(Name, CheckQuality.Lenient);
        var paying = brackets!.Where(b => b.Amount > 0).ToList();
        if (paying.Any(b => paid % b.Amount == 0))
        {
            return;
        }

        var amounts = string.Join(", ", paying.Select(b => $"tramo {b.Tramo} {Money.Clp(b.Amount)}"));
        context.Warn(
            FindingCodes.FamilyAllowanceAmountOdd,
            $"La asignación familiar ({Money.Clp(paid)}) no es un número entero de cargas de ningún tramo de {context.Indicators!.Period} ({amounts}).",
            LegalSources.FamilyAllowance,
            actual: paid,
            line: LineCodes.FamilyAllowance);
    }
}
