namespace AiGrpc.Payroll.Indicators;

/// <summary>
/// The answer of <c>GET /api/payroll/indicators/{YYYY-MM}</c> in the shape the module reads:
/// <c>{"success", "indicators": {name: number}, "metadata": {...}, "detail"?}</c>.
/// </summary>
/// <param name="Success">False when the month is missing or one of the figures the module stores without a default is
/// not sourced (<see cref="LegacyIndicators.Required"/>): the module then raises and asks for a manual load, instead of
/// storing a 0.</param>
/// <param name="Indicators">Sourced figures only, by the module's key names; a null figure is left out, never 0.</param>
/// <param name="Metadata">Period, each key's source, and the keys not sourced.</param>
/// <param name="Detail">Spanish reason when <paramref name="Success"/> is false (the module shows <c>detail</c>).</param>
public sealed record LegacyIndicatorsAnswer(
    bool Success,
    IReadOnlyDictionary<string, decimal> Indicators,
    LegacyIndicatorsMetadata Metadata,
    string? Detail);

/// <summary>Where the figures come from.</summary>
/// <param name="Period"><c>YYYY-MM</c>.</param>
/// <param name="Sources">Each key's source text.</param>
/// <param name="Missing">Keys with no sourced value this month.</param>
public sealed record LegacyIndicatorsMetadata(
    string Period,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyList<string> Missing);

/// <summary>
/// Maps a month to the key names the module's <c>hr_economic_indicators</c> reads (<c>uf</c>, <c>utm</c>, <c>uta</c>,
/// <c>sueldo_minimo</c>, <c>afp_tope_uf</c>, <c>asig_fam_tramo_1</c>…), plus the other published figures under
/// descriptive names.
/// </summary>
public static class LegacyIndicators
{
    /// <summary>Keys the module reads with a default of 0: without them the answer is not a success.</summary>
    public static IReadOnlyList<string> Required { get; } = ["uf", "utm", "uta", "sueldo_minimo"];

    private static readonly string[] Tramos = ["1", "2", "3", "4"];

    /// <summary>The answer for <paramref name="lookup"/>.</summary>
    public static LegacyIndicatorsAnswer From(IndicatorLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var values = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var month = lookup.Month;

        void Put<T>(string key, Sourced<T>? figure, Func<T, decimal> value)
        {
            if (figure is null)
            {
                missing.Add(key);
                return;
            }

            values[key] = value(figure.Value);
            sources[key] = figure.Source;
        }

        if (month is not null)
        {
            Put("uf", month.UfLastDay, v => v);
            Put("utm", month.Utm, v => v);
            Put("uta", month.Uta, v => v);
            Put("sueldo_minimo", month.MinimumWage, v => v);
            Put("afp_tope_uf", month.TaxableCapPensionUf, v => v);
            Put("afc_tope_uf", month.TaxableCapUnemploymentUf, v => v);
            Put("sis_pct", month.SisPercent, v => v);
            Put("afc_trabajador_indefinido", month.UnemploymentInsurance, v => v.IndefiniteWorker);
            Put("afc_empleador_indefinido", month.UnemploymentInsurance, v => v.IndefiniteEmployer);
            Put("afc_trabajador_plazo_fijo", month.UnemploymentInsurance, v => v.FixedTermWorker);
            Put("afc_empleador_plazo_fijo", month.UnemploymentInsurance, v => v.FixedTermEmployer);
            for (var i = 0; i < Tramos.Length; i++)
            {
                var index = i;
                var brackets = month.FamilyAllowanceBrackets;
                var present = brackets is not null && index < brackets.Value.Count ? brackets : null;
                Put($"asig_fam_tramo_{Tramos[index]}", present, v => v[index].Amount);
                if (index < Tramos.Length - 1)
                {
                    Put($"asig_fam_tramo_{Tramos[index]}_hasta", present, v => v[index].UpToIncome ?? 0);
                }
            }

            if (month.AfpCommissionsPercent is null)
            {
                missing.Add("afp_*_comision_pct");
            }

            foreach (var afp in month.AfpCommissionsPercent?.Value.Keys ?? Enumerable.Empty<string>())
            {
                // Key names are lower case, as Odoo's; char by char so no culture can change a letter.
                var key = string.Concat(afp.Select(char.ToLowerInvariant));
                Put($"afp_{key}_comision_pct", month.AfpCommissionsPercent, v => v[afp]);
                Put($"afp_{key}_tasa_pct", month.AfpCommissionsPercent, v => 10m + v[afp]);
            }
        }

        var lacking = Required.Where(k => !values.ContainsKey(k)).ToList();
        string? detail = month is null
            ? lookup.Reason
            : lacking.Count > 0
                ? $"Indicadores de {lookup.Period} sin fuente publicada: {string.Join(", ", lacking)}. Cárguelos manualmente."
                : null;
        return new LegacyIndicatorsAnswer(
            month is not null && lacking.Count == 0,
            values,
            new LegacyIndicatorsMetadata(lookup.Period.ToString(), sources, missing),
            detail);
    }
}
