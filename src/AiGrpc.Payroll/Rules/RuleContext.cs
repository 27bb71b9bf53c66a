using AiGrpc.Payroll.Indicators;

namespace AiGrpc.Payroll.Rules;

/// <summary>One rule of the engine.</summary>
internal interface IPayrollRule
{
    /// <summary>Short snake_case name (in RulesRun, SkippedRule and docs/payroll.md).</summary>
    string Name { get; }

    /// <summary>Checks the payslip, adding findings, notes and what later rules need to the context.</summary>
    void Run(RuleContext context);
}

/// <summary>How closely a rule that ran could pin its amount; it feeds the confidence.</summary>
internal enum CheckQuality
{
    /// <summary>The amount was compared with one legal value.</summary>
    Exact,

    /// <summary>The amount was accepted within a range (an unnamed AFP, an unknown insurer or contract kind).</summary>
    Lenient,
}

/// <summary>
/// The state of one validation: the payslip's facts, the month's indicators (null when the month is not published),
/// the findings so far, and the legal amounts earlier rules worked out for later ones (caps, contributions).
/// </summary>
internal sealed class RuleContext(PayslipFacts facts, MonthlyIndicators? indicators)
{
    private readonly List<PayrollFinding> findings = [];
    private readonly List<SkippedRule> skipped = [];
    private readonly List<string> notes = [];
    private readonly Dictionary<string, CheckQuality> ran = new(StringComparer.Ordinal);

    public PayslipFacts Facts { get; } = facts;

    /// <summary>The month's indicators, or null when the store does not have the month.</summary>
    public MonthlyIndicators? Indicators { get; } = indicators;

    public IReadOnlyList<PayrollFinding> Findings => findings;

    public IReadOnlyList<SkippedRule> Skipped => skipped;

    public IReadOnlyList<string> Notes => notes;

    public IReadOnlyDictionary<string, CheckQuality> Ran => ran;

    /// <summary>The taxable pay the contributions are computed on (the sum of the taxable earnings, or the reported
    /// total when it differs only by lines this engine does not know).</summary>
    public decimal TaxablePay { get; set; }

    /// <summary>Tope imponible AFP/salud in CLP, when the month's UF and cap are sourced.</summary>
    public decimal? PensionCap { get; set; }

    /// <summary>Tope imponible seguro de cesantía in CLP, when sourced.</summary>
    public decimal? UnemploymentCap { get; set; }

    /// <summary>Highest AFP deduction the law allows (the named AFP's rate, or the highest published one).</summary>
    public decimal? LegalAfp { get; set; }

    /// <summary>The legal 7 % health contribution on the capped pay (an Isapre plan above it is not deductible).</summary>
    public decimal? LegalHealth { get; set; }

    /// <summary>The worker's legal seguro de cesantía share.</summary>
    public decimal? LegalUnemployment { get; set; }

    public void Error(string code, string message, string legalSource, decimal? expected = null, decimal? actual = null, string? line = null) =>
        findings.Add(new PayrollFinding(code, FindingSeverity.Error, message, legalSource, expected, actual, line));

    public void Warn(string code, string message, string legalSource, decimal? expected = null, decimal? actual = null, string? line = null) =>
        findings.Add(new PayrollFinding(code, FindingSeverity.Warning, message, legalSource, expected, actual, line));

    public void Note(string note) => notes.Add(note);

    /// <summary>Records that <paramref name="rule"/> ran, and how closely (the weaker quality wins on repeats).</summary>
    public void Checked(string rule, CheckQuality quality = CheckQuality.Exact) =>
        ran[rule] = ran.TryGetValue(rule, out var before) && before == CheckQuality.Lenient ? before : quality;

    /// <summary>Records that <paramref name="rule"/> applies but could not run.</summary>
    public void Skip(string rule, string reason) => skipped.Add(new SkippedRule(rule, reason));

    /// <summary>
    /// True when the month is published and every named figure is sourced; otherwise records the rule as skipped,
    /// naming what is missing, and returns false. Nothing is ever assumed in place of a missing figure.
    /// </summary>
    public bool Require(string rule, params (string Field, object? Value)[] figures)
    {
        if (Indicators is null)
        {
            Skip(rule, "no hay indicadores del mes");
            return false;
        }

        var missing = figures.Where(f => f.Value is null).Select(f => f.Field).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        Skip(rule, $"sin valor publicado con fuente para {Indicators.Period}: {string.Join(", ", missing)}");
        return false;
    }
}
