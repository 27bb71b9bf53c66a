namespace AiGrpc.Payroll.Payslips;

/// <summary>The salary-rule codes of the module's data, and what each one means to the rules.</summary>
public static class LineCodes
{
    /// <summary>Sueldo base.</summary>
    public const string Basic = "BASIC";

    /// <summary>Gratificación legal (Código del Trabajo art. 50).</summary>
    public const string Gratification = "GRAT_SOPA";

    /// <summary>Horas extraordinarias.</summary>
    public const string Overtime = "HEX_SOPA";

    /// <summary>Bonos imponibles.</summary>
    public const string Bonus = "BONUS_SOPA";

    /// <summary>Asignación de colación (not remuneration: Código del Trabajo art. 41).</summary>
    public const string Meal = "COL_SOPA";

    /// <summary>Asignación de movilización (not remuneration: Código del Trabajo art. 41).</summary>
    public const string Transport = "MOV_SOPA";

    /// <summary>Asignación familiar (not remuneration, not income: LIR art. 17 N° 13).</summary>
    public const string FamilyAllowance = "ASIGFAM_SOPA";

    /// <summary>Subtotal: taxable earnings.</summary>
    public const string TaxableEarnings = "HABERES_IMPONIBLES";

    /// <summary>Subtotal: non-taxable earnings.</summary>
    public const string NonTaxableEarnings = "HABERES_NO_IMPONIBLES";

    /// <summary>Subtotal: total imponible.</summary>
    public const string TotalTaxable = "TOTAL_IMPONIBLE";

    /// <summary>The taxable cap (in CLP or in UF).</summary>
    public const string TaxableCap = "TOPE_IMPONIBLE_UF";

    /// <summary>AFP (10 % + the fund manager's commission).</summary>
    public const string Afp = "AFP";

    /// <summary>Health: Fonasa 7 % or the Isapre plan.</summary>
    public const string Health = "SALUD";

    /// <summary>Seguro de cesantía, worker's share.</summary>
    public const string Unemployment = "AFC";

    /// <summary>APV régimen A (no tax deduction).</summary>
    public const string VoluntarySavingsA = "APV_A";

    /// <summary>APV régimen B (deducted from the tax base, LIR art. 42 bis).</summary>
    public const string VoluntarySavingsB = "APV_B";

    /// <summary>Subtotal: taxable income (gross or net of contributions).</summary>
    public const string TaxableIncome = "BASE_TRIBUTABLE";

    /// <summary>Subtotal: the base of the impuesto único.</summary>
    public const string IncomeTaxBase = "BASE_IMPUESTO_UNICO";

    /// <summary>Impuesto único de segunda categoría.</summary>
    public const string IncomeTax = "IMPUESTO_UNICO";

    /// <summary>Subtotal: total haberes.</summary>
    public const string TotalEarnings = "TOTAL_HABERES";

    /// <summary>Subtotal: total descuentos.</summary>
    public const string TotalDeductions = "TOTAL_DESCUENTOS";

    /// <summary>Net pay.</summary>
    public const string Net = "NET";

    /// <summary>Odoo's standard gross subtotal, when a structure keeps it.</summary>
    public const string Gross = "GROSS";

    /// <summary>Earnings that are remuneration: imponible for social security and income for the tax.</summary>
    public static IReadOnlySet<string> TaxablePay { get; } = Set(Basic, Gratification, Overtime, Bonus);

    /// <summary>Allowances outside both bases (Código del Trabajo art. 41; LIR art. 17 N° 13 and N° 14).</summary>
    public static IReadOnlySet<string> NonTaxablePay { get; } = Set(Meal, Transport, FamilyAllowance);

    /// <summary>Worker deductions (negative amounts).</summary>
    public static IReadOnlySet<string> Deductions { get; } =
        Set(Afp, Health, Unemployment, VoluntarySavingsA, VoluntarySavingsB, IncomeTax);

    /// <summary>Lines that repeat other lines (subtotals, bases, the cap, the net): never summed.</summary>
    public static IReadOnlySet<string> Summaries { get; } = Set(
        TaxableEarnings, NonTaxableEarnings, TotalTaxable, TaxableCap, TaxableIncome, IncomeTaxBase, TotalEarnings,
        TotalDeductions, Net, Gross);

    /// <summary>True for a code this engine knows.</summary>
    public static bool IsKnown(string code) =>
        TaxablePay.Contains(code) || NonTaxablePay.Contains(code) || Deductions.Contains(code) || Summaries.Contains(code);

    private static HashSet<string> Set(params string[] codes) => new(codes, StringComparer.Ordinal);
}
