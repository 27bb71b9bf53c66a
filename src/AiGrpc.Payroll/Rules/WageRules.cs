using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// Ingreso mínimo mensual: the agreed wage may not be below it, and the sueldo base paid may not be below it in
/// proportion to the days paid. A sueldo base that is the wage for a whole number of days fewer than the period
/// (unpaid absences) is legal, so it is only a warning when it does not match the dates.
/// </summary>
internal sealed class MinimumWageRule : IPayrollRule
{
    public string Name => "ingreso_minimo";

    public void Run(RuleContext context)
    {
        var imm = context.Indicators?.MinimumWage?.Value;
        if (!context.Require(Name, (IndicatorFields.MinimumWage, imm)))
        {
            return;
        }

        var facts = context.Facts;
        var minimum = imm!.Value;
        var wage = facts.Payslip.Wage;
        context.Checked(Name);
        if (wage < minimum - Money.OneStep)
        {
            context.Error(
                FindingCodes.MinimumWageBelow,
                $"El sueldo pactado ({Money.Clp(wage)}) es menor que el ingreso mínimo mensual de {context.Indicators!.Period} ({Money.Clp(minimum)}, trabajadores de 18 a 65 años con jornada completa).",
                LegalSources.MinimumWage,
                minimum,
                wage,
                LineCodes.Basic);
            return;
        }

        if (!facts.Has(LineCodes.Basic))
        {
            return;
        }

        var basic = facts.Value(LineCodes.Basic);
        var floor = Money.Round(minimum * facts.LowestShareOfMonth);
        var wholeDays = WholeDaysOfWage(basic, wage, facts.DaysPaid);
        if (basic < floor - Money.OneStep && wholeDays is null)
        {
            context.Error(
                FindingCodes.MinimumWageBelow,
                $"El sueldo base pagado ({Money.Clp(basic)}) es menor que el ingreso mínimo proporcional a {facts.DaysPaid} días ({Money.Clp(floor)}).",
                LegalSources.MinimumWage,
                floor,
                basic,
                LineCodes.Basic);
            return;
        }

        var prorated = Money.Round(wage * facts.ShareOfMonth);
        var calendar = Money.Round(wage * facts.LowestShareOfMonth);
        if (!Money.Near(basic, prorated) && !Money.Near(basic, calendar))
        {
            var days = wholeDays is { } d ? $" (corresponde a {d} días de sueldo: correcto si hubo ausencias no pagadas)" : string.Empty;
            context.Warn(
                FindingCodes.BasicProrationMismatch,
                $"El sueldo base ({Money.Clp(basic)}) no es el sueldo pactado ({Money.Clp(wage)}) por {facts.DaysPaid}/30 días ({Money.Clp(prorated)}){days}.",
                LegalSources.MinimumWage,
                prorated,
                basic,
                LineCodes.Basic);
        }
    }

    /// <summary>The whole number of days (fewer than those paid) whose share of the wage the sueldo base is, if any.</summary>
    private static int? WholeDaysOfWage(decimal basic, decimal wage, int daysPaid)
    {
        var days = (int)Math.Round(basic * 30m / wage, MidpointRounding.AwayFromZero);
        return days > 0 && days < daysPaid && Money.Near(basic, Money.Round(wage * days / 30m)) ? days : null;
    }
}

/// <summary>
/// Gratificación legal paid monthly under art. 50: 25 % of the month's remuneration (sueldo, horas extra, bonos),
/// capped at 4,75 ingresos mínimos a year, that is 4,75 × IMM / 12 a month. For a partial month the cap in proportion
/// to the days paid is accepted too (common practice). More than that is legal when agreed, so it is a warning.
/// </summary>
internal sealed class GratificationRule : IPayrollRule
{
    private const decimal YearlyCapInMinimumWages = 4.75m;

    public string Name => "gratificacion_legal";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        if (!facts.Has(LineCodes.Gratification) || facts.Value(LineCodes.Gratification) == 0)
        {
            return;
        }

        var imm = context.Indicators?.MinimumWage?.Value;
        if (!context.Require(Name, (IndicatorFields.MinimumWage, imm)))
        {
            return;
        }

        var paid = facts.Value(LineCodes.Gratification);
        var monthlyCap = Money.Round(YearlyCapInMinimumWages * imm!.Value / 12m);
        var partialCap = Money.Round(monthlyCap * facts.ShareOfMonth); // the monthly cap itself for a whole month (share 1)
        var remuneration = facts.TaxablePay - paid;
        var quarter = Money.Percent(remuneration, 25m);
        var legal = Math.Min(quarter, monthlyCap);
        var lowest = Math.Min(quarter, partialCap);
        var withUnknown = Math.Min(Money.Percent(remuneration + facts.UnknownEarnings, 25m), monthlyCap);
        context.Checked(Name, facts.UnknownEarnings > 0 ? CheckQuality.Lenient : CheckQuality.Exact);

        var arithmetic = $"25 % de {Money.Clp(remuneration)} = {Money.Clp(quarter)}, tope 4,75 × {Money.Clp(imm.Value)} / 12 = {Money.Clp(monthlyCap)}";
        if (paid < lowest - Money.OneStep)
        {
            context.Error(
                FindingCodes.GratificationBelowLegal,
                $"La gratificación ({Money.Clp(paid)}) es menor que la legal del art. 50 ({Money.Clp(legal)}: {arithmetic}).",
                LegalSources.Gratification,
                legal,
                paid,
                LineCodes.Gratification);
        }
        else if (paid > legal + Money.OneStep && !Money.Near(paid, withUnknown))
        {
            context.Warn(
                FindingCodes.GratificationAboveLegal,
                $"La gratificación ({Money.Clp(paid)}) supera la legal del art. 50 ({Money.Clp(legal)}: {arithmetic}); es válida solo si se pactó una mayor.",
                LegalSources.Gratification,
                legal,
                paid,
                LineCodes.Gratification);
        }
    }
}
