using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// The payslip's shape, before any amount: dates inside the period, each code once, earnings positive and deductions
/// negative, and the lines a paid wage cannot lack (sueldo base, AFP, health).
/// </summary>
internal sealed class StructureRule : IPayrollRule
{
    public string Name => "estructura";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        var payslip = facts.Payslip;
        Dates(context, payslip);

        foreach (var code in facts.Duplicates)
        {
            context.Warn(
                FindingCodes.DuplicateLine,
                $"El código {code} aparece más de una vez; se sumaron sus montos ({Money.Clp(facts.Value(code))}).",
                LegalSources.Liquidation,
                line: code);
        }

        foreach (var line in payslip.Lines)
        {
            var earning = LineCodes.TaxablePay.Contains(line.Code) || LineCodes.NonTaxablePay.Contains(line.Code);
            if (earning && line.Value < 0)
            {
                context.Error(
                    FindingCodes.LineSignWrong,
                    $"El haber {line.Code} ({line.Name}) tiene monto negativo ({Money.Clp(line.Value)}); los haberes van en positivo.",
                    LegalSources.Liquidation,
                    actual: line.Value,
                    line: line.Code);
            }
            else if (LineCodes.Deductions.Contains(line.Code) && line.Value > 0)
            {
                context.Error(
                    FindingCodes.LineSignWrong,
                    $"El descuento {line.Code} ({line.Name}) tiene monto positivo ({Money.Clp(line.Value)}); los descuentos van en negativo.",
                    LegalSources.Liquidation,
                    actual: line.Value,
                    line: line.Code);
            }
        }

        if (!facts.Has(LineCodes.Basic))
        {
            context.Error(
                FindingCodes.MissingRequiredLine,
                $"Falta la línea BASIC (sueldo base) en una liquidación con sueldo pactado de {Money.Clp(payslip.Wage)}.",
                LegalSources.MinimumWage,
                line: LineCodes.Basic);
        }

        if (facts.TaxablePay > 0)
        {
            Required(context, LineCodes.Afp, "la cotización de AFP");
            Required(context, LineCodes.Health, "la cotización de salud");
        }

        context.Checked(Name);
    }

    private static void Required(RuleContext context, string code, string what)
    {
        if (!context.Facts.Has(code))
        {
            context.Error(
                FindingCodes.MissingRequiredLine,
                $"Falta la línea {code}: hay {Money.Clp(context.Facts.TaxablePay)} de remuneración imponible y falta {what}.",
                LegalSources.RequiredContributions,
                line: code);
        }
    }

    private static void Dates(RuleContext context, Payslip payslip)
    {
        var period = payslip.Period;
        var outside = new[] { payslip.DateFrom, payslip.DateTo }.Where(d => d is { } day && !period.Contains(day)).ToList();
        if (outside.Count > 0 || payslip.DateFrom > payslip.DateTo)
        {
            context.Error(
                FindingCodes.PeriodDatesInvalid,
                $"Las fechas {payslip.DateFrom:yyyy-MM-dd} a {payslip.DateTo:yyyy-MM-dd} no caen dentro del período {period} (o están invertidas); los días trabajados se contaron sobre el mes completo.",
                LegalSources.Liquidation);
        }
    }
}
