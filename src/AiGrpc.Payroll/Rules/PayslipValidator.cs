using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;

namespace AiGrpc.Payroll.Rules;

/// <summary>
/// The payroll rules engine: checks a payslip against the law and the month's sourced indicators. Pure and
/// thread-safe; one call per payslip. docs/payroll.md lists the rules, their codes and their legal sources.
/// </summary>
public static class PayslipValidator
{
    // Order matters: the caps feed the taxable total, and the contributions feed the tax.
    private static readonly IPayrollRule[] Rules =
    [
        new StructureRule(),
        new TaxableCapRule(),
        new TaxableTotalRule(),
        new MinimumWageRule(),
        new GratificationRule(),
        new AfpRule(),
        new HealthRule(),
        new UnemploymentRule(),
        new IncomeTaxRule(),
        new FamilyAllowanceRule(),
        new TotalsRule(),
    ];

    /// <summary>Validates <paramref name="payslip"/> with the indicators of its period from <paramref name="store"/>.</summary>
    public static PayrollValidationResult Validate(Payslip payslip, IIndicatorStore store)
    {
        ArgumentNullException.ThrowIfNull(payslip);
        ArgumentNullException.ThrowIfNull(store);
        var lookup = store.Get(payslip.Period);
        return Validate(payslip, lookup.Month, lookup.Reason);
    }

    /// <summary>
    /// Validates <paramref name="payslip"/> with <paramref name="month"/> (null when the month is not published: the
    /// rules that need an indicator are skipped and said so, the others run).
    /// </summary>
    public static PayrollValidationResult Validate(Payslip payslip, MonthlyIndicators? month, string? monthMissingReason = null)
    {
        ArgumentNullException.ThrowIfNull(payslip);
        if (month is not null && month.Period != payslip.Period)
        {
            throw new ArgumentException($"Indicators of {month.Period} given for a payslip of {payslip.Period}.", nameof(month));
        }

        var context = new RuleContext(new PayslipFacts(payslip), month);
        foreach (var rule in Rules)
        {
            rule.Run(context);
        }

        var findings = context.Findings.ToList();
        if (month is null)
        {
            var rules = string.Join(", ", context.Skipped.Select(s => s.Rule).Distinct());
            findings.Add(new PayrollFinding(
                FindingCodes.IndicatorsNotAvailable,
                FindingSeverity.Warning,
                $"{monthMissingReason ?? $"No hay indicadores de {payslip.Period}."} No se verificaron: {rules}.",
                LegalSources.Indicators));
        }
        else
        {
            findings.AddRange(context.Skipped.Select(s => new PayrollFinding(
                FindingCodes.RuleNotChecked,
                FindingSeverity.Warning,
                $"No se verificó la regla {s.Rule}: {s.Reason}.",
                LegalSources.Indicators)));
        }

        var recommendation = findings.Any(f => f.Severity == FindingSeverity.Error) ? Recommendation.Reject
            : findings.Count > 0 ? Recommendation.Review
            : Recommendation.Approve;
        return new PayrollValidationResult(
            recommendation,
            PayrollConfidence.Of(recommendation, findings, PayrollConfidence.Evidence(context)),
            findings,
            [.. context.Ran.Keys],
            context.Skipped,
            context.Notes);
    }
}

/// <summary>
/// The 0-100 confidence: a band per recommendation, as the service's DTE answers use (reject 0-49, review 50-84,
/// approve 85-100, so the number never contradicts the recommendation), placed within the band by the evidence (how
/// much of the payslip could be pinned to one legal amount) and the number of findings.
/// </summary>
internal static class PayrollConfidence
{
    /// <summary>0-1: rules that ran exactly count 1, rules accepted within a range ½, skipped rules 0; then scaled by
    /// the share of the payslip's money on lines with codes the engine knows.</summary>
    public static double Evidence(RuleContext context)
    {
        var scores = context.Ran.Values.Select(q => q == CheckQuality.Exact ? 1.0 : 0.5)
            .Concat(context.Skipped.Select(s => s.Rule).Distinct().Where(r => !context.Ran.ContainsKey(r)).Select(_ => 0.0))
            .ToList();
        var rules = scores.Count == 0 ? 0 : scores.Average();
        var facts = context.Facts;
        var known = facts.TaxablePay + facts.NonTaxablePay + facts.KnownDeductions;
        var unknown = facts.UnknownEarnings + facts.UnknownDeductions;
        var coverage = known + unknown == 0 ? 0 : (double)(known / (known + unknown));
        return rules * coverage;
    }

    public static int Of(Recommendation recommendation, IReadOnlyCollection<PayrollFinding> findings, double evidence)
    {
        var errors = findings.Count(f => f.Severity == FindingSeverity.Error);
        var warnings = findings.Count(f => f.Severity == FindingSeverity.Warning);
        var gap = 1 - Math.Clamp(evidence, 0, 1);
        return recommendation switch
        {
            Recommendation.Approve => 85 + (int)Math.Round(15 * (1 - gap)),
            Recommendation.Review => Math.Clamp(84 - (8 * (warnings - 1)) - (int)Math.Round(10 * gap), 50, 84),
            _ => Math.Clamp(49 - (12 * (errors - 1)) - (4 * warnings), 0, 49),
        };
    }
}
