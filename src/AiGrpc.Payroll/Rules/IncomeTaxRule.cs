using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// Impuesto único de segunda categoría: the base is the remuneration minus the worker's obligatory contributions
/// (AFP, health up to the legal 7 %, seguro de cesantía) and APV régimen B (up to 50 UF a month); the tax is the
/// month's bracket rate times the base minus the bracket's rebate, both in the month's UTM. Each contribution is
/// deducted as paid but never above what the law requires, so a contribution error is reported once (by its own
/// rule) and the tax is checked against what the law allows to deduct.
/// </summary>
internal sealed class IncomeTaxRule : IPayrollRule
{
    private const decimal ApvBMonthlyCapUf = 50m;

    public string Name => "impuesto_unico";

    public void Run(RuleContext context)
    {
        var facts = context.Facts;
        var month = context.Indicators;
        if (context.TaxablePay <= 0
            || !context.Require(
                Name,
                (IndicatorFields.Utm, month?.Utm),
                (IndicatorFields.IncomeTaxBrackets, month?.IncomeTaxBrackets),
                (IndicatorFields.UfLastDay, month?.UfLastDay),
                (IndicatorFields.TaxableCapPensionUf, month?.TaxableCapPensionUf)))
        {
            return;
        }

        var utm = month!.Utm!.Value;
        var brackets = month.IncomeTaxBrackets!.Value;
        var apvCap = Money.Round(ApvBMonthlyCapUf * month.UfLastDay!.Value);
        var deductions = Deductible(context, LineCodes.Afp, context.LegalAfp)
            + Deductible(context, LineCodes.Health, context.LegalHealth)
            + Deductible(context, LineCodes.Unemployment, context.LegalUnemployment)
            + Math.Min(facts.Deduction(LineCodes.VoluntarySavingsB), apvCap);
        var taxBase = Math.Max(0, context.TaxablePay - deductions);
        var (expected, arithmetic) = Tax(taxBase, utm, brackets);
        context.Checked(Name);

        var reportedBase = CheckBaseLines(context, taxBase);
        if (!facts.Has(LineCodes.IncomeTax))
        {
            if (expected > Money.IncomeTax)
            {
                context.Error(
                    FindingCodes.MissingRequiredLine,
                    $"Falta la línea IMPUESTO_UNICO: la base tributable {Money.Clp(taxBase)} paga impuesto ({arithmetic}).",
                    LegalSources.IncomeTax,
                    expected,
                    0,
                    LineCodes.IncomeTax);
            }

            return;
        }

        var paid = facts.Deduction(LineCodes.IncomeTax);
        if (Money.Near(paid, expected, Money.IncomeTax)
            || (reportedBase is { } reported && Money.Near(paid, Tax(reported, utm, brackets).Tax, Money.IncomeTax)))
        {
            return;
        }

        context.Error(
            FindingCodes.IncomeTaxMismatch,
            $"El impuesto único ({Money.Clp(paid)}) no corresponde a la base tributable {Money.Clp(taxBase)} con la UTM de {month.Period} ({Money.Clp(utm)}): {arithmetic}.",
            LegalSources.IncomeTax,
            expected,
            paid,
            LineCodes.IncomeTax);
    }

    /// <summary>The monthly table: the bracket holding the base, rate × base − rebate, rounded to pesos.</summary>
    internal static (decimal Tax, string Arithmetic) Tax(decimal taxBase, decimal utm, IReadOnlyList<IncomeTaxBracket> brackets)
    {
        var bracket = brackets.FirstOrDefault(b => taxBase > b.FromUtm * utm && (b.ToUtm is null || taxBase <= b.ToUtm.Value * utm))
            ?? brackets[0];
        if (bracket.RatePercent == 0)
        {
            return (0, $"exenta hasta {Money.Units(bracket.ToUtm ?? 0)} UTM = {Money.Clp((bracket.ToUtm ?? 0) * utm)}");
        }

        var rebate = bracket.RebateUtm * utm;
        var tax = Money.Round(Math.Max(0, (taxBase * bracket.RatePercent / 100m) - rebate));
        return (tax, $"{Money.Pct(bracket.RatePercent)} × {Money.Clp(taxBase)} − {Money.Units(bracket.RebateUtm)} UTM ({Money.Clp(rebate)}) = {Money.Clp(tax)}");
    }

    /// <summary>A contribution as deducted, never above the legal amount when that is known.</summary>
    private static decimal Deductible(RuleContext context, string code, decimal? legal)
    {
        var paid = context.Facts.Deduction(code);
        return legal is { } limit ? Math.Min(paid, limit) : paid;
    }

    /// <summary>
    /// BASE_TRIBUTABLE and BASE_IMPUESTO_UNICO, when present, must be the taxable pay (before contributions) or the
    /// tax base (after them). Returns the reported base after contributions, when one differs from ours.
    /// </summary>
    private static decimal? CheckBaseLines(RuleContext context, decimal taxBase)
    {
        var facts = context.Facts;
        decimal? differing = null;
        foreach (var code in new[] { LineCodes.TaxableIncome, LineCodes.IncomeTaxBase })
        {
            if (!facts.Has(code))
            {
                continue;
            }

            var value = facts.Value(code);
            if (Money.Near(value, taxBase, Money.IncomeTax) || Money.Near(value, context.TaxablePay))
            {
                continue;
            }

            var nonTaxable = facts.NonTaxablePay;
            if (nonTaxable > 0 && (Money.Near(value, taxBase + nonTaxable, Money.IncomeTax) || Money.Near(value, context.TaxablePay + nonTaxable)))
            {
                context.Error(
                    FindingCodes.NonTaxableInTaxableBase,
                    $"La línea {code} ({Money.Clp(value)}) incluye colación, movilización o asignación familiar ({Money.Clp(nonTaxable)}), que no son renta.",
                    LegalSources.NonTaxable,
                    taxBase,
                    value,
                    code);
                continue;
            }

            // BASE_IMPUESTO_UNICO is read last, so when both lines differ the tax may follow it.
            differing = value;
            context.Error(
                FindingCodes.TaxBaseMismatch,
                $"La línea {code} ({Money.Clp(value)}) no es la base del impuesto único: {Money.Clp(context.TaxablePay)} imponible menos las cotizaciones obligatorias deducibles = {Money.Clp(taxBase)}.",
                LegalSources.IncomeTax,
                taxBase,
                value,
                code);
        }

        return differing;
    }
}
