namespace AiGrpc.Payroll.Rules;

/// <summary>Every finding code the engine emits (stable: callers may switch on them). docs/payroll.md has the table.</summary>
public static class FindingCodes
{
    /// <summary>Warning: the store has no indicators for the month; every rule that needs one was skipped.</summary>
    public const string IndicatorsNotAvailable = "INDICATORS_NOT_AVAILABLE";

    /// <summary>Warning: a rule applies but a figure it needs is not sourced for the month.</summary>
    public const string RuleNotChecked = "RULE_NOT_CHECKED";

    /// <summary>Error: date_from/date_to outside the period, or reversed.</summary>
    public const string PeriodDatesInvalid = "PERIOD_DATES_INVALID";

    /// <summary>Error: the wage or the sueldo base is below the (proportional) ingreso mínimo mensual.</summary>
    public const string MinimumWageBelow = "MINIMUM_WAGE_BELOW";

    /// <summary>Warning: the sueldo base is not the wage in proportion to the days paid.</summary>
    public const string BasicProrationMismatch = "BASIC_PRORATION_MISMATCH";

    /// <summary>Error: the gratificación is below 25 % of the month's pay (capped at 4,75 IMM / 12).</summary>
    public const string GratificationBelowLegal = "GRATIFICATION_BELOW_LEGAL";

    /// <summary>Warning: the gratificación exceeds what art. 50 gives (legal if agreed, usually a computing error).</summary>
    public const string GratificationAboveLegal = "GRATIFICATION_ABOVE_LEGAL";

    /// <summary>Error: total imponible is not the sum of the taxable earnings.</summary>
    public const string TaxableTotalMismatch = "TAXABLE_TOTAL_MISMATCH";

    /// <summary>Error: colación, movilización or asignación familiar counted in a taxable base.</summary>
    public const string NonTaxableInTaxableBase = "NON_TAXABLE_IN_TAXABLE_BASE";

    /// <summary>Warning: the TOPE_IMPONIBLE_UF line is neither the cap in UF nor in CLP.</summary>
    public const string TaxableCapLineMismatch = "TAXABLE_CAP_LINE_MISMATCH";

    /// <summary>Error: AFP or health computed on pay above the tope imponible.</summary>
    public const string PensionCapNotApplied = "PENSION_CAP_NOT_APPLIED";

    /// <summary>Error: the seguro de cesantía ignored its own cap (none, or the AFP cap).</summary>
    public const string UnemploymentCapWrong = "UNEMPLOYMENT_CAP_WRONG";

    /// <summary>Error: AFP is not 10 % + the fund manager's commission.</summary>
    public const string AfpAmountMismatch = "AFP_AMOUNT_MISMATCH";

    /// <summary>Error: Fonasa health is not 7 %.</summary>
    public const string HealthAmountMismatch = "HEALTH_AMOUNT_MISMATCH";

    /// <summary>Error: health (Isapre or unknown insurer) below the legal 7 %.</summary>
    public const string HealthBelowLegal = "HEALTH_BELOW_LEGAL";

    /// <summary>Error: seguro de cesantía is not 0,6 % on an indefinite contract.</summary>
    public const string AfcAmountMismatch = "AFC_AMOUNT_MISMATCH";

    /// <summary>Error: a worker share of seguro de cesantía on a fixed-term contract.</summary>
    public const string AfcOnFixedTerm = "AFC_ON_FIXED_TERM";

    /// <summary>Warning: no seguro de cesantía on an indefinite contract (legal only after 11 years).</summary>
    public const string AfcMissing = "AFC_MISSING";

    /// <summary>Warning: no seguro de cesantía and no contract kind: fixed-term assumed.</summary>
    public const string AfcContractTypeUnknown = "AFC_CONTRACT_TYPE_UNKNOWN";

    /// <summary>Error: the impuesto único base is not taxable pay minus the legal contributions.</summary>
    public const string TaxBaseMismatch = "TAX_BASE_MISMATCH";

    /// <summary>Error: the impuesto único is not the table's tax on the base.</summary>
    public const string IncomeTaxMismatch = "INCOME_TAX_MISMATCH";

    /// <summary>Warning: the asignación familiar is not a whole number of cargas of any tramo.</summary>
    public const string FamilyAllowanceAmountOdd = "FAMILY_ALLOWANCE_AMOUNT_ODD";

    /// <summary>Error: haberes − descuentos ≠ líquido.</summary>
    public const string TotalsMismatch = "TOTALS_MISMATCH";

    /// <summary>Error: total haberes is not the sum of the earnings.</summary>
    public const string HaberesTotalMismatch = "HABERES_TOTAL_MISMATCH";

    /// <summary>Error: total descuentos is not the sum of the deductions.</summary>
    public const string DescuentosTotalMismatch = "DESCUENTOS_TOTAL_MISMATCH";

    /// <summary>Error: a subtotal line (TOTAL_HABERES, NET, …) disagrees with the total it repeats.</summary>
    public const string SubtotalLineMismatch = "SUBTOTAL_LINE_MISMATCH";

    /// <summary>Error: net pay below zero.</summary>
    public const string NegativeNetPay = "NEGATIVE_NET_PAY";

    /// <summary>Error: an earning with a negative amount or a deduction with a positive one.</summary>
    public const string LineSignWrong = "LINE_SIGN_WRONG";

    /// <summary>Error: a line the wage requires is missing (BASIC, AFP, SALUD, IMPUESTO_UNICO when tax is due).</summary>
    public const string MissingRequiredLine = "MISSING_REQUIRED_LINE";

    /// <summary>Warning: a code appears more than once (the amounts are added up).</summary>
    public const string DuplicateLine = "DUPLICATE_LINE";
}
