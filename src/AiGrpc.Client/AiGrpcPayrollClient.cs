using System.Globalization;
using AiGrpc.Payroll.V1;
using Grpc.Core;

namespace AiGrpc.Client;

public sealed partial class AiGrpcClient
{
    /// <summary>Payroll: payslips checked against the law and the month's sourced indicators, and those indicators.</summary>
    public AiGrpcPayrollClient Payroll => field ??= new(Invoker, this);
}

/// <summary>What to do with a payslip.</summary>
public enum PayslipRecommendation
{
    /// <summary>Not reported.</summary>
    Unknown,

    /// <summary>No finding: every rule that applies was checked and holds.</summary>
    Approve,

    /// <summary>Warnings only (including rules that could not run): a person should look.</summary>
    Review,

    /// <summary>At least one error.</summary>
    Reject,
}

/// <summary>How serious a payslip finding is.</summary>
public enum PayslipFindingSeverity
{
    /// <summary>Not reported.</summary>
    Unknown,

    /// <summary>A person should look at it.</summary>
    Warning,

    /// <summary>The payslip breaks a rule.</summary>
    Error,
}

/// <summary>One line of a payslip.</summary>
/// <param name="Code">Salary-rule code (<c>BASIC</c>, <c>GRAT_SOPA</c>, <c>AFP</c>, <c>SALUD</c>, <c>AFC</c>, <c>IMPUESTO_UNICO</c>, <c>NET</c>…).</param>
/// <param name="Amount">Amount in CLP; deductions are negative.</param>
/// <param name="Name">Printed name; names the AFP (<c>AFP Habitat</c>) and the health insurer (<c>Fonasa</c>, an Isapre).</param>
/// <param name="Category">Salary-rule category code.</param>
/// <param name="Total">Amount × quantity × rate, when it differs from <paramref name="Amount"/>.</param>
public sealed record PayslipLineInput(string Code, decimal Amount, string? Name = null, string? Category = null, decimal? Total = null);

/// <summary>A payslip (liquidación de sueldo), as the Odoo module <c>l10n_cl_hr_payroll</c> builds it.</summary>
/// <param name="EmployeeId">Employee id (&gt; 0).</param>
/// <param name="Period">Payroll month, <c>YYYY-MM</c>.</param>
/// <param name="Wage">Agreed monthly wage in CLP (&gt; 0).</param>
/// <param name="Lines">The lines (1 to 100).</param>
/// <param name="EmployeeName">Employee name.</param>
/// <param name="DateFrom">First day paid (later than the 1st for a partial month).</param>
/// <param name="DateTo">Last day paid.</param>
/// <param name="TotalImponible">Taxable pay before the caps.</param>
/// <param name="TotalHaberes">All earnings.</param>
/// <param name="TotalDescuentos">All deductions (either sign).</param>
/// <param name="TotalLiquido">Net pay.</param>
/// <param name="ContractType"><c>indefinite</c> or <c>fixed_term</c>; null when not known.</param>
public sealed record PayslipInput(
    long EmployeeId, string Period, decimal Wage, IReadOnlyList<PayslipLineInput> Lines, string? EmployeeName = null,
    DateOnly? DateFrom = null, DateOnly? DateTo = null, decimal? TotalImponible = null, decimal? TotalHaberes = null,
    decimal? TotalDescuentos = null, decimal? TotalLiquido = null, string? ContractType = null);

/// <summary>One finding on a payslip.</summary>
/// <param name="Code">Stable UPPER_SNAKE code (e.g. <c>AFP_AMOUNT_MISMATCH</c>).</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">Spanish sentence with the amounts.</param>
/// <param name="LegalSource">Article and law the rule rests on.</param>
/// <param name="Expected">The amount the rule expects (CLP), when there is one.</param>
/// <param name="Actual">The amount found (CLP), when there is one.</param>
/// <param name="Line">The line code concerned, when one is.</param>
public sealed record PayslipFinding(string Code, PayslipFindingSeverity Severity, string Message, string LegalSource, decimal? Expected, decimal? Actual, string? Line);

/// <summary>A rule that applied to the payslip but could not run.</summary>
/// <param name="Rule">Rule name (e.g. <c>impuesto_unico</c>).</param>
/// <param name="Reason">Why (Spanish), naming the missing figure.</param>
public sealed record PayslipSkippedRule(string Rule, string Reason);

/// <summary>The verdict on a payslip.</summary>
/// <param name="Recommendation">Approve, review or reject.</param>
/// <param name="Confidence">0-100 inside the recommendation's band (reject 0-49, review 50-84, approve 85-100).</param>
/// <param name="Findings">Errors and warnings, in rule order.</param>
/// <param name="RulesRun">Rules that ran.</param>
/// <param name="SkippedRules">Rules that applied but could not run.</param>
/// <param name="Notes">Assumptions made while checking (Spanish).</param>
public sealed record PayslipValidation(
    PayslipRecommendation Recommendation, int Confidence, IReadOnlyList<PayslipFinding> Findings, IReadOnlyList<string> RulesRun,
    IReadOnlyList<PayslipSkippedRule> SkippedRules, IReadOnlyList<string> Notes);

/// <summary>A published figure and where it was read.</summary>
/// <typeparam name="T">The figure's type.</typeparam>
/// <param name="Value">The figure.</param>
/// <param name="Source">Who published it and where it was read (required to store it).</param>
/// <param name="Basis"><c>observed</c>, <c>in_force</c>, <c>statutory</c> or <c>derived</c>.</param>
/// <param name="Note">Caveats, when any.</param>
public sealed record SourcedFigure<T>(T Value, string Source, string Basis = "observed", string? Note = null);

/// <summary>Seguro de cesantía rates (%).</summary>
/// <param name="IndefiniteWorker">Worker's share, indefinite-term contract.</param>
/// <param name="IndefiniteEmployer">Employer's share, indefinite-term contract.</param>
/// <param name="FixedTermWorker">Worker's share, fixed-term or per-job contract.</param>
/// <param name="FixedTermEmployer">Employer's share, fixed-term or per-job contract.</param>
public sealed record PayrollUnemploymentRates(decimal IndefiniteWorker, decimal IndefiniteEmployer, decimal FixedTermWorker, decimal FixedTermEmployer);

/// <summary>One tramo of the asignación familiar.</summary>
/// <param name="Tramo">A, B, C or D.</param>
/// <param name="UpToIncome">Highest monthly income of the tramo (CLP); null for the open last tramo.</param>
/// <param name="Amount">CLP per carga.</param>
public sealed record FamilyAllowanceTramo(string Tramo, decimal? UpToIncome, decimal Amount);

/// <summary>One monthly impuesto único bracket, in UTM.</summary>
/// <param name="FromUtm">Lower limit, exclusive.</param>
/// <param name="ToUtm">Upper limit, inclusive; null for the open last bracket.</param>
/// <param name="RatePercent">Marginal rate (%).</param>
/// <param name="RebateUtm">Amount to subtract, in UTM.</param>
public sealed record IncomeTaxTramo(decimal FromUtm, decimal? ToUtm, decimal RatePercent, decimal RebateUtm);

/// <summary>One payroll month's indicators; a figure nobody sourced is null.</summary>
/// <param name="Period">The month, <c>YYYY-MM</c>.</param>
public sealed record PayrollIndicators(string Period)
{
    /// <summary>UF on the month's last day (CLP).</summary>
    public SourcedFigure<decimal>? UfLastDay { get; init; }

    /// <summary>UF on the month's first day (CLP).</summary>
    public SourcedFigure<decimal>? UfFirstDay { get; init; }

    /// <summary>UTM (CLP).</summary>
    public SourcedFigure<decimal>? Utm { get; init; }

    /// <summary>UTA (CLP).</summary>
    public SourcedFigure<decimal>? Uta { get; init; }

    /// <summary>Ingreso mínimo mensual, workers 18-65 (CLP).</summary>
    public SourcedFigure<decimal>? MinimumWage { get; init; }

    /// <summary>The law that set <see cref="MinimumWage"/>.</summary>
    public string? MinimumWageLaw { get; init; }

    /// <summary>Tope imponible AFP/health (UF).</summary>
    public SourcedFigure<decimal>? TaxableCapPensionUf { get; init; }

    /// <summary>Tope imponible seguro de cesantía (UF).</summary>
    public SourcedFigure<decimal>? TaxableCapUnemploymentUf { get; init; }

    /// <summary>Commission (%) by AFP (Capital, Cuprum, Habitat, Modelo, PlanVital, ProVida, Uno).</summary>
    public SourcedFigure<IReadOnlyDictionary<string, decimal>>? AfpCommissionsPercent { get; init; }

    /// <summary>SIS, employer-paid (%).</summary>
    public SourcedFigure<decimal>? SisPercent { get; init; }

    /// <summary>Seguro de cesantía rates.</summary>
    public SourcedFigure<PayrollUnemploymentRates>? UnemploymentInsurance { get; init; }

    /// <summary>Asignación familiar tramos, A first.</summary>
    public SourcedFigure<IReadOnlyList<FamilyAllowanceTramo>>? FamilyAllowanceBrackets { get; init; }

    /// <summary>Impuesto único brackets, lowest first.</summary>
    public SourcedFigure<IReadOnlyList<IncomeTaxTramo>>? IncomeTaxBrackets { get; init; }

    /// <summary>Names of the figures not sourced (as the server reports them; ignored when upserting).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];
}

/// <summary>Payroll calls of <see cref="AiGrpcClient"/>.</summary>
public sealed class AiGrpcPayrollClient
{
    private readonly PayrollService.PayrollServiceClient _client;
    private readonly AiGrpcClient _owner;

    internal AiGrpcPayrollClient(CallInvoker invoker, AiGrpcClient owner)
    {
        _client = new PayrollService.PayrollServiceClient(invoker);
        _owner = owner;
    }

    /// <summary>Checks a payslip against the law and its month's indicators.</summary>
    /// <param name="payslip">The payslip.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="RpcException">The call failed (e.g. <c>INVALID_ARGUMENT</c> naming the field, such as <c>lines[2].amount</c>).</exception>
    public async Task<PayslipValidation> ValidatePayslipAsync(PayslipInput payslip, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payslip);
        var response = await _client.ValidatePayslipAsync(new ValidatePayslipRequest { Payslip = ToProto(payslip) }, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return new PayslipValidation(
            response.Recommendation switch
            {
                Recommendation.Approve => PayslipRecommendation.Approve,
                Recommendation.Review => PayslipRecommendation.Review,
                Recommendation.Reject => PayslipRecommendation.Reject,
                _ => PayslipRecommendation.Unknown,
            },
            response.Confidence,
            [.. response.Findings.Select(f => new PayslipFinding(
                f.Code,
                f.Severity switch { FindingSeverity.Warning => PayslipFindingSeverity.Warning, FindingSeverity.Error => PayslipFindingSeverity.Error, _ => PayslipFindingSeverity.Unknown },
                f.Message,
                f.LegalSource,
                f.HasExpected ? (decimal)f.Expected : null,
                f.HasActual ? (decimal)f.Actual : null,
                f.Line.Length == 0 ? null : f.Line))],
            [.. response.RulesRun],
            [.. response.SkippedRules.Select(s => new PayslipSkippedRule(s.Rule, s.Reason))],
            [.. response.Notes]);
    }

    /// <summary>One month's indicators, each figure with its source; null when the service holds no such month.</summary>
    /// <param name="period">The month, <c>YYYY-MM</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="RpcException">The call failed (e.g. <c>INVALID_ARGUMENT</c> for a period that is not <c>YYYY-MM</c>).</exception>
    public async Task<PayrollIndicators?> GetIndicatorsAsync(string period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        try
        {
            var response = await _client.GetIndicatorsAsync(new GetIndicatorsRequest { Period = period }, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
            return FromProto(response.Indicators, response.Missing);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores a whole month (replacing it, not merging: figures left null are stored as not sourced). Every figure needs
    /// a source. Needs a key with the <c>admin</c> scope. Idempotent.
    /// </summary>
    /// <param name="month">The month's figures.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The month as stored.</returns>
    /// <exception cref="RpcException">The call failed: <c>PERMISSION_DENIED</c> without the admin scope, <c>INVALID_ARGUMENT</c> for a
    /// figure without a source, <c>UNAVAILABLE</c> when the shared store (Redis) did not store it.</exception>
    public async Task<PayrollIndicators> UpsertIndicatorsAsync(PayrollIndicators month, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(month);
        var response = await _client.UpsertIndicatorsAsync(new UpsertIndicatorsRequest { Period = month.Period, Indicators = ToProto(month) }, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return FromProto(response.Indicators, response.Missing);
    }

    private static Payslip ToProto(PayslipInput p)
    {
        var payslip = new Payslip
        {
            EmployeeId = p.EmployeeId,
            EmployeeName = p.EmployeeName ?? string.Empty,
            Wage = (double)p.Wage,
            Period = p.Period,
            DateFrom = Date(p.DateFrom),
            DateTo = Date(p.DateTo),
            ContractType = p.ContractType ?? string.Empty,
        };
        if (p.TotalImponible is { } imponible)
        {
            payslip.TotalImponible = (double)imponible;
        }

        if (p.TotalHaberes is { } haberes)
        {
            payslip.TotalHaberes = (double)haberes;
        }

        if (p.TotalDescuentos is { } descuentos)
        {
            payslip.TotalDescuentos = (double)descuentos;
        }

        if (p.TotalLiquido is { } liquido)
        {
            payslip.TotalLiquido = (double)liquido;
        }

        foreach (var l in p.Lines ?? [])
        {
            var line = new PayslipLine { Code = l.Code, Name = l.Name ?? string.Empty, Amount = (double)l.Amount };
            if (l.Category is { } category)
            {
                line.Category = Google.Protobuf.WellKnownTypes.Value.ForString(category);
            }

            if (l.Total is { } total)
            {
                line.Total = (double)total;
            }

            payslip.Lines.Add(line);
        }

        return payslip;
    }

    private static string Date(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    private static PayrollIndicators FromProto(MonthlyIndicators m, IEnumerable<string> missing)
    {
        static SourcedFigure<T>? Figure<T>(T value, string source, string basis, string note) =>
            new(value, source, basis.Length == 0 ? "observed" : basis, note.Length == 0 ? null : note);
        static SourcedFigure<decimal>? Single(SourcedValue? v) => v is null ? null : Figure((decimal)v.Value, v.Source, v.Basis, v.Note);

        return new PayrollIndicators(m.Period)
        {
            UfLastDay = Single(m.UfLastDay),
            UfFirstDay = Single(m.UfFirstDay),
            Utm = Single(m.Utm),
            Uta = Single(m.Uta),
            MinimumWage = Single(m.MinimumWage),
            MinimumWageLaw = m.MinimumWageLaw.Length == 0 ? null : m.MinimumWageLaw,
            TaxableCapPensionUf = Single(m.TaxableCapPensionUf),
            TaxableCapUnemploymentUf = Single(m.TaxableCapUnemploymentUf),
            AfpCommissionsPercent = m.AfpCommissionsPercent is not { } afp ? null
                : Figure<IReadOnlyDictionary<string, decimal>>(afp.Percent.ToDictionary(p => p.Key, p => (decimal)p.Value, StringComparer.Ordinal), afp.Source, afp.Basis, afp.Note),
            SisPercent = Single(m.SisPercent),
            UnemploymentInsurance = m.UnemploymentInsurance is not { } u ? null
                : Figure(new PayrollUnemploymentRates((decimal)u.IndefiniteWorker, (decimal)u.IndefiniteEmployer, (decimal)u.FixedTermWorker, (decimal)u.FixedTermEmployer), u.Source, u.Basis, u.Note),
            FamilyAllowanceBrackets = m.FamilyAllowanceBrackets is not { } f ? null
                : Figure<IReadOnlyList<FamilyAllowanceTramo>>([.. f.Brackets.Select(b => new FamilyAllowanceTramo(b.Tramo, b.HasUpToIncome ? (decimal)b.UpToIncome : null, (decimal)b.Amount))], f.Source, f.Basis, f.Note),
            IncomeTaxBrackets = m.IncomeTaxBrackets is not { } t ? null
                : Figure<IReadOnlyList<IncomeTaxTramo>>([.. t.Brackets.Select(b => new IncomeTaxTramo((decimal)b.FromUtm, b.HasToUtm ? (decimal)b.ToUtm : null, (decimal)b.RatePercent, (decimal)b.RebateUtm))], t.Source, t.Basis, t.Note),
            Missing = [.. missing],
        };
    }

    private static MonthlyIndicators ToProto(PayrollIndicators m)
    {
        static SourcedValue? Single(SourcedFigure<decimal>? f) => f is null ? null
            : new SourcedValue { Value = (double)f.Value, Source = f.Source, Basis = f.Basis, Note = f.Note ?? string.Empty };

        var message = new MonthlyIndicators
        {
            Period = m.Period,
            UfLastDay = Single(m.UfLastDay),
            UfFirstDay = Single(m.UfFirstDay),
            Utm = Single(m.Utm),
            Uta = Single(m.Uta),
            MinimumWage = Single(m.MinimumWage),
            MinimumWageLaw = m.MinimumWageLaw ?? string.Empty,
            TaxableCapPensionUf = Single(m.TaxableCapPensionUf),
            TaxableCapUnemploymentUf = Single(m.TaxableCapUnemploymentUf),
            SisPercent = Single(m.SisPercent),
        };
        if (m.AfpCommissionsPercent is { } afp)
        {
            message.AfpCommissionsPercent = new AfpCommissions { Source = afp.Source, Basis = afp.Basis, Note = afp.Note ?? string.Empty };
            message.AfpCommissionsPercent.Percent.Add(afp.Value.ToDictionary(p => p.Key, p => (double)p.Value, StringComparer.Ordinal));
        }

        if (m.UnemploymentInsurance is { } u)
        {
            message.UnemploymentInsurance = new UnemploymentInsurance
            {
                IndefiniteWorker = (double)u.Value.IndefiniteWorker,
                IndefiniteEmployer = (double)u.Value.IndefiniteEmployer,
                FixedTermWorker = (double)u.Value.FixedTermWorker,
                FixedTermEmployer = (double)u.Value.FixedTermEmployer,
                Source = u.Source,
                Basis = u.Basis,
                Note = u.Note ?? string.Empty,
            };
        }

        if (m.FamilyAllowanceBrackets is { } f)
        {
            message.FamilyAllowanceBrackets = new FamilyAllowance { Source = f.Source, Basis = f.Basis, Note = f.Note ?? string.Empty };
            foreach (var b in f.Value)
            {
                var bracket = new FamilyAllowanceBracket { Tramo = b.Tramo, Amount = (double)b.Amount };
                if (b.UpToIncome is { } upTo)
                {
                    bracket.UpToIncome = (double)upTo;
                }

                message.FamilyAllowanceBrackets.Brackets.Add(bracket);
            }
        }

        if (m.IncomeTaxBrackets is { } t)
        {
            message.IncomeTaxBrackets = new IncomeTax { Source = t.Source, Basis = t.Basis, Note = t.Note ?? string.Empty };
            foreach (var b in t.Value)
            {
                var bracket = new IncomeTaxBracket { FromUtm = (double)b.FromUtm, RatePercent = (double)b.RatePercent, RebateUtm = (double)b.RebateUtm };
                if (b.ToUtm is { } to)
                {
                    bracket.ToUtm = (double)to;
                }

                message.IncomeTaxBrackets.Brackets.Add(bracket);
            }
        }

        return message;
    }
}
