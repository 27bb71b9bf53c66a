using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// AFP: 10 % for the pension account plus the fund manager's commission, on the pay up to the tope imponible. The AFP
/// is read from the line's name; when the name does not say which one, any published commission of the month is
/// accepted. Without the month's commissions only the 10 % floor, which the law itself fixes, is checked.
/// </summary>
internal sealed class AfpRule : IPayrollRule
{
    private const decimal PensionPercent = 10m;

    public string Name => "cotizacion_afp";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        if (!facts.Has(LineCodes.Afp) || context.TaxablePay <= 0
            || !context.Require(Name, (IndicatorFields.UfLastDay, context.Indicators?.UfLastDay), (IndicatorFields.TaxableCapPensionUf, context.Indicators?.TaxableCapPensionUf)))
        {
            return;
        }

        var cap = context.PensionCap!.Value;
        var capped = Math.Min(context.TaxablePay, cap);
        var paid = facts.Deduction(LineCodes.Afp);
        var commissions = context.Indicators!.AfpCommissionsPercent?.Value;
        if (commissions is null)
        {
            context.Skip("comision_afp", $"sin comisiones de AFP publicadas con fuente para {context.Indicators.Period}: solo se verificó el 10 %");
            var floor = Money.Percent(capped, PensionPercent);
            if (paid < floor - Money.Afp)
            {
                Mismatch(context, $"es menor que el 10 % de {Money.Clp(capped)} ({Money.Clp(floor)})", floor, paid);
            }

            context.Checked(Name, CheckQuality.Lenient);
            return;
        }

        var afp = AfpNames.Identify(facts.Name(LineCodes.Afp), commissions.Keys);
        var lowRate = PensionPercent + (afp is null ? commissions.Values.Min() : commissions[afp]);
        var highRate = PensionPercent + (afp is null ? commissions.Values.Max() : commissions[afp]);
        var low = Money.Percent(capped, lowRate);
        var high = Money.Percent(capped, highRate);
        context.LegalAfp = high;
        context.Checked(Name, afp is null ? CheckQuality.Lenient : CheckQuality.Exact);
        if (paid >= low - Money.Afp && paid <= high + Money.Afp)
        {
            if (afp is null)
            {
                context.Note($"El nombre de la línea AFP no identifica la administradora; se aceptó el rango de comisiones publicadas ({Money.Pct(lowRate)} a {Money.Pct(highRate)}).");
            }

            return;
        }

        if (context.TaxablePay > cap + Money.OneStep
            && paid >= Money.Percent(context.TaxablePay, lowRate) - Money.Afp && paid <= Money.Percent(context.TaxablePay, highRate) + Money.Afp)
        {
            CapNotApplied(context, "AFP", LineCodes.Afp, high, paid);
            return;
        }

        var expected = paid < low ? low : high;
        var rule = afp is null
            ? $"no está entre {Money.Pct(lowRate)} y {Money.Pct(highRate)} (las comisiones publicadas) de {Money.Clp(capped)}: {Money.Clp(low)} a {Money.Clp(high)}"
            : $"no es el {Money.Pct(highRate)} (10 % + comisión de {afp} {Money.Pct(highRate - PensionPercent)}) de {Money.Clp(capped)} = {Money.Clp(high)}";
        var other = afp is null ? null : commissions.FirstOrDefault(c => c.Key != afp && Money.Near(paid, Money.Percent(capped, PensionPercent + c.Value), Money.Afp)).Key;
        var hint = other is null ? string.Empty : $"; el monto corresponde a la comisión de {other}";
        Mismatch(context, rule + hint, expected, paid);
    }

    /// <summary>Shared by AFP and health: contributions computed on the whole pay although it exceeds the cap.</summary>
    internal static void CapNotApplied(RuleContext context, string what, string line, decimal expected, decimal paid) =>
        context.Error(
            FindingCodes.PensionCapNotApplied,
            $"La cotización de {what} ({Money.Clp(paid)}) se calculó sobre {Money.Clp(context.TaxablePay)}, que supera el tope imponible de {context.Indicators!.Period} ({Money.Clp(context.PensionCap!.Value)}); corresponde {Money.Clp(expected)}.",
            LegalSources.PensionCap,
            expected,
            paid,
            line);

    private static void Mismatch(RuleContext context, string why, decimal expected, decimal paid) =>
        context.Error(
            FindingCodes.AfpAmountMismatch,
            $"La cotización AFP ({Money.Clp(paid)}) {why}.",
            LegalSources.Afp,
            expected,
            paid,
            LineCodes.Afp);
}

/// <summary>
/// Health: Fonasa is exactly 7 % of the capped pay; an Isapre plan may cost more (the worker pays the difference) but
/// never less than the 7 %. The insurer is read from the line's name; an unknown one is held to the 7 % floor.
/// </summary>
internal sealed class HealthRule : IPayrollRule
{
    private const decimal LegalPercent = 7m;

    public string Name => "cotizacion_salud";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        if (!facts.Has(LineCodes.Health) || context.TaxablePay <= 0
            || !context.Require(Name, (IndicatorFields.UfLastDay, context.Indicators?.UfLastDay), (IndicatorFields.TaxableCapPensionUf, context.Indicators?.TaxableCapPensionUf)))
        {
            return;
        }

        var capped = Math.Min(context.TaxablePay, context.PensionCap!.Value);
        var legal = Money.Percent(capped, LegalPercent);
        var paid = facts.Deduction(LineCodes.Health);
        var insurer = HealthInsurers.Identify(facts.Name(LineCodes.Health));
        context.LegalHealth = legal;
        context.Checked(Name, insurer == HealthInsurer.Unknown ? CheckQuality.Lenient : CheckQuality.Exact);
        var uncapped = context.TaxablePay > context.PensionCap.Value + Money.OneStep;
        if (insurer == HealthInsurer.Fonasa)
        {
            if (Money.Near(paid, legal))
            {
                return;
            }

            if (uncapped && Money.Near(paid, Money.Percent(context.TaxablePay, LegalPercent)))
            {
                AfpRule.CapNotApplied(context, "salud", LineCodes.Health, legal, paid);
                return;
            }

            context.Error(
                FindingCodes.HealthAmountMismatch,
                $"La cotización Fonasa ({Money.Clp(paid)}) no es el 7 % de {Money.Clp(capped)} ({Money.Clp(legal)}).",
                LegalSources.Health,
                legal,
                paid,
                LineCodes.Health);
            return;
        }

        if (paid < legal - Money.OneStep)
        {
            context.Error(
                FindingCodes.HealthBelowLegal,
                $"La cotización de salud ({Money.Clp(paid)}) es menor que el 7 % legal de {Money.Clp(capped)} ({Money.Clp(legal)}).",
                LegalSources.Health,
                legal,
                paid,
                LineCodes.Health);
        }
        else if (insurer == HealthInsurer.Unknown && paid > legal + Money.OneStep)
        {
            context.Note($"La línea SALUD no dice si es Fonasa o Isapre; {Money.Clp(paid)} supera el 7 % ({Money.Clp(legal)}) y se tomó como plan de Isapre.");
        }
    }
}
