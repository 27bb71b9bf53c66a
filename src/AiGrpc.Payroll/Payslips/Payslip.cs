using AiGrpc.Payroll.Indicators;

namespace AiGrpc.Payroll.Payslips;

/// <summary>What kind of contract the payslip is for; it decides the worker's seguro de cesantía share.</summary>
public enum ContractType
{
    /// <summary>Not said (the Odoo module does not send it): either share is accepted, and said when it matters.</summary>
    Unknown,

    /// <summary>Contrato indefinido: the worker pays 0,6 % (Ley 19.728, art. 5).</summary>
    Indefinite,

    /// <summary>Contrato a plazo fijo, por obra o faena: the worker pays nothing (Ley 19.728, art. 5).</summary>
    FixedTerm,
}

/// <summary>One line of the payslip as the module sends it.</summary>
/// <param name="Code">Salary-rule code (<c>BASIC</c>, <c>AFP</c>, … see <see cref="LineCodes"/>).</param>
/// <param name="Name">Printed name; names the AFP (<c>AFP Habitat</c>), the health insurer, the contract kind.</param>
/// <param name="Category">Salary-rule category code, when sent.</param>
/// <param name="Amount">Amount; deductions are negative.</param>
/// <param name="Total">Amount × quantity × rate, when sent; this is the line's value when present.</param>
public sealed record PayslipLine(string Code, string? Name, string? Category, decimal Amount, decimal? Total = null)
{
    /// <summary>The line's value: <see cref="Total"/> when sent, else <see cref="Amount"/>.</summary>
    public decimal Value => Total ?? Amount;
}

/// <summary>
/// A payslip as the Odoo module <c>l10n_cl_hr_payroll</c> sends it to <c>POST /api/payroll/validate</c>
/// (docs/payroll.md has the JSON); read it with <see cref="PayslipJson"/>.
/// </summary>
/// <param name="EmployeeId">Odoo employee id (&gt; 0).</param>
/// <param name="EmployeeName">Employee name, when sent.</param>
/// <param name="Wage">Contract wage for a whole month (CLP).</param>
/// <param name="Period">Payroll month.</param>
/// <param name="DateFrom">First day paid, when sent (a partial month starts later than the 1st).</param>
/// <param name="DateTo">Last day paid, when sent.</param>
/// <param name="Lines">The lines.</param>
/// <param name="TotalImponible">Taxable pay for social security (before the caps), when sent.</param>
/// <param name="TotalHaberes">All earnings, when sent.</param>
/// <param name="TotalDescuentos">All deductions (either sign), when sent.</param>
/// <param name="TotalLiquido">Net pay, when sent.</param>
/// <param name="ContractType">Contract kind (an extension: the module does not send it today).</param>
public sealed record Payslip(
    long EmployeeId,
    string? EmployeeName,
    decimal Wage,
    PayrollPeriod Period,
    DateOnly? DateFrom,
    DateOnly? DateTo,
    IReadOnlyList<PayslipLine> Lines,
    decimal? TotalImponible,
    decimal? TotalHaberes,
    decimal? TotalDescuentos,
    decimal? TotalLiquido,
    ContractType ContractType = ContractType.Unknown);
