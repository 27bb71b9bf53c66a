namespace AiGrpc.Payroll.Indicators;

/// <summary>A published figure and where it was read. A figure nobody sourced is absent (null), never a guess.</summary>
/// <typeparam name="T">The figure's type.</typeparam>
/// <param name="Value">The figure.</param>
/// <param name="Source">Who published it and where it was read (free text with URLs).</param>
/// <param name="Basis"><c>observed</c>, <c>in_force</c>, <c>statutory</c> or <c>derived</c> (Data/SOURCES.md).</param>
/// <param name="Note">Caveats (single source, conflicts resolved), when any.</param>
public sealed record Sourced<T>(T Value, string Source, string Basis, string? Note = null);

/// <summary>Seguro de cesantía rates (Ley 19.728, art. 5), percent of the capped taxable pay.</summary>
/// <param name="IndefiniteWorker">Worker's share on an indefinite-term contract (0,6 %).</param>
/// <param name="IndefiniteEmployer">Employer's share on an indefinite-term contract (2,4 %).</param>
/// <param name="FixedTermWorker">Worker's share on a fixed-term or per-job contract (0 %).</param>
/// <param name="FixedTermEmployer">Employer's share on a fixed-term or per-job contract (3 %).</param>
public sealed record UnemploymentInsuranceRates(
    decimal IndefiniteWorker,
    decimal IndefiniteEmployer,
    decimal FixedTermWorker,
    decimal FixedTermEmployer);

/// <summary>One tramo of the asignación familiar (DFL 150 and the laws that readjust it).</summary>
/// <param name="Tramo">A, B, C or D.</param>
/// <param name="UpToIncome">Highest monthly income of the tramo in CLP; null for the open last tramo.</param>
/// <param name="Amount">CLP per carga (0 in the last tramo).</param>
public sealed record FamilyAllowanceBracket(string Tramo, decimal? UpToIncome, decimal Amount);

/// <summary>One monthly bracket of the impuesto único de segunda categoría (LIR art. 43 N° 1), in UTM.</summary>
/// <param name="FromUtm">Lower limit, exclusive (0 for the first bracket).</param>
/// <param name="ToUtm">Upper limit, inclusive; null for the open last bracket.</param>
/// <param name="RatePercent">Marginal rate (factor × 100).</param>
/// <param name="RebateUtm">Amount to subtract (cantidad a rebajar), in UTM.</param>
public sealed record IncomeTaxBracket(decimal FromUtm, decimal? ToUtm, decimal RatePercent, decimal RebateUtm);

/// <summary>
/// The indicators of one payroll month as shipped in <c>Data/indicators-cl.json</c> (or corrected by an administrator):
/// every figure carries its source, and a figure that could not be sourced is null. Rules that need a null figure
/// say so (RULE_NOT_CHECKED) instead of assuming a value.
/// </summary>
/// <param name="Period">The month.</param>
/// <param name="UfLastDay">UF on the month's last calendar day (CLP): converts the taxable caps.</param>
/// <param name="UfFirstDay">UF on the month's first day (CLP).</param>
/// <param name="Utm">Unidad tributaria mensual in force in the month (CLP): converts the tax brackets.</param>
/// <param name="Uta">Unidad tributaria anual (12 × UTM).</param>
/// <param name="MinimumWage">Ingreso mínimo mensual for workers 18-65 (CLP).</param>
/// <param name="MinimumWageLaw">The law that set <paramref name="MinimumWage"/>, when identified.</param>
/// <param name="TaxableCapPensionUf">Tope imponible for AFP, health and work accidents (UF).</param>
/// <param name="TaxableCapUnemploymentUf">Tope imponible for the seguro de cesantía (UF).</param>
/// <param name="AfpCommissionsPercent">Commission of each AFP on the taxable pay (%), keyed Capital, Cuprum, Habitat,
/// Modelo, PlanVital, ProVida, Uno.</param>
/// <param name="SisPercent">Seguro de invalidez y sobrevivencia (employer-paid, %).</param>
/// <param name="UnemploymentInsurance">Seguro de cesantía rates.</param>
/// <param name="FamilyAllowanceBrackets">Asignación familiar tramos, A first.</param>
/// <param name="IncomeTaxBrackets">Monthly impuesto único brackets, lowest first.</param>
public sealed record MonthlyIndicators(
    PayrollPeriod Period,
    Sourced<decimal>? UfLastDay,
    Sourced<decimal>? UfFirstDay,
    Sourced<decimal>? Utm,
    Sourced<decimal>? Uta,
    Sourced<decimal>? MinimumWage,
    string? MinimumWageLaw,
    Sourced<decimal>? TaxableCapPensionUf,
    Sourced<decimal>? TaxableCapUnemploymentUf,
    Sourced<IReadOnlyDictionary<string, decimal>>? AfpCommissionsPercent,
    Sourced<decimal>? SisPercent,
    Sourced<UnemploymentInsuranceRates>? UnemploymentInsurance,
    Sourced<IReadOnlyList<FamilyAllowanceBracket>>? FamilyAllowanceBrackets,
    Sourced<IReadOnlyList<IncomeTaxBracket>>? IncomeTaxBrackets)
{
    /// <summary>A month with no figure at all (every rule that needs one will say it could not run).</summary>
    public static MonthlyIndicators Empty(PayrollPeriod period) =>
        new(period, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>Throws when a present figure has no source: indicators are accepted only with one, never invented.</summary>
    /// <exception cref="ArgumentException">A present figure has no source.</exception>
    /// <param name="paramName">The caller's parameter that holds this month, named in the exception.</param>
    public void ThrowIfUnsourced(string? paramName = null)
    {
        var unsourced = Sources().Where(s => string.IsNullOrWhiteSpace(s.Value)).Select(s => s.Key).ToList();
        if (unsourced.Count > 0)
        {
            throw new ArgumentException($"{Period}: figures without a source: {string.Join(", ", unsourced)}.", paramName);
        }
    }

    /// <summary>The figures present, by their JSON field name, each with its source: what an administrator sees.</summary>
    public IReadOnlyDictionary<string, string> Sources()
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add<T>(string name, Sourced<T>? value)
        {
            if (value is not null)
            {
                sources[name] = value.Source;
            }
        }

        Add(IndicatorFields.UfLastDay, UfLastDay);
        Add(IndicatorFields.UfFirstDay, UfFirstDay);
        Add(IndicatorFields.Utm, Utm);
        Add(IndicatorFields.Uta, Uta);
        Add(IndicatorFields.MinimumWage, MinimumWage);
        Add(IndicatorFields.TaxableCapPensionUf, TaxableCapPensionUf);
        Add(IndicatorFields.TaxableCapUnemploymentUf, TaxableCapUnemploymentUf);
        Add(IndicatorFields.AfpCommissionsPercent, AfpCommissionsPercent);
        Add(IndicatorFields.SisPercent, SisPercent);
        Add(IndicatorFields.UnemploymentInsurance, UnemploymentInsurance);
        Add(IndicatorFields.FamilyAllowanceBrackets, FamilyAllowanceBrackets);
        Add(IndicatorFields.IncomeTaxBrackets, IncomeTaxBrackets);
        return sources;
    }

    /// <summary>The JSON field names of the figures that are null this month.</summary>
    public IReadOnlyList<string> Missing()
    {
        var present = Sources();
        return [.. IndicatorFields.All.Where(f => !present.ContainsKey(f))];
    }
}

/// <summary>Field names of a month in <c>indicators-cl.json</c> (and in RULE_NOT_CHECKED messages).</summary>
public static class IndicatorFields
{
    /// <summary>UF on the last day.</summary>
    public const string UfLastDay = "uf_last_day";

    /// <summary>UF on the first day.</summary>
    public const string UfFirstDay = "uf_first_day";

    /// <summary>UTM.</summary>
    public const string Utm = "utm";

    /// <summary>UTA.</summary>
    public const string Uta = "uta";

    /// <summary>Ingreso mínimo mensual.</summary>
    public const string MinimumWage = "minimum_wage";

    /// <summary>Tope imponible AFP/salud (UF).</summary>
    public const string TaxableCapPensionUf = "taxable_cap_pension_uf";

    /// <summary>Tope imponible seguro de cesantía (UF).</summary>
    public const string TaxableCapUnemploymentUf = "taxable_cap_unemployment_uf";

    /// <summary>AFP commissions.</summary>
    public const string AfpCommissionsPercent = "afp_commissions_percent";

    /// <summary>SIS.</summary>
    public const string SisPercent = "sis_percent";

    /// <summary>Seguro de cesantía rates.</summary>
    public const string UnemploymentInsurance = "unemployment_insurance";

    /// <summary>Asignación familiar tramos.</summary>
    public const string FamilyAllowanceBrackets = "family_allowance_brackets";

    /// <summary>Impuesto único brackets.</summary>
    public const string IncomeTaxBrackets = "income_tax_brackets";

    /// <summary>Every field, in file order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        UfLastDay, UfFirstDay, Utm, Uta, MinimumWage, TaxableCapPensionUf, TaxableCapUnemploymentUf,
        AfpCommissionsPercent, SisPercent, UnemploymentInsurance, FamilyAllowanceBrackets, IncomeTaxBrackets,
    ];
}
