using AiGrpc.Common;
using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using Grpc.Core;
using V1 = AiGrpc.Payroll.V1;

namespace AiGrpc.Server.Payroll;

/// <summary><c>aigrpc.payroll.v1.PayrollService</c>: maps messages to the payroll engine and its indicator store, and back.</summary>
public sealed class PayrollGrpcService(IIndicatorStore store) : V1.PayrollService.PayrollServiceBase
{
    /// <inheritdoc />
    public override Task<V1.ValidatePayslipResponse> ValidatePayslip(V1.ValidatePayslipRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = PayslipValidator.Validate(PayrollMapping.FromProto(request.Payslip), store);
        return Task.FromResult(PayrollMapping.ToResponse(result));
    }

    /// <inheritdoc />
    public override Task<V1.ValidatePayslipLegacyResponse> ValidatePayslipLegacy(V1.ValidatePayslipLegacyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = PayslipValidator.Validate(PayrollMapping.FromProto(request.Payslip), store).ToLegacyAnswer();
        var response = new V1.ValidatePayslipLegacyResponse { Success = answer.Success, Confidence = answer.Confidence, Recommendation = answer.Recommendation };
        response.Errors.AddRange(answer.Errors);
        response.Warnings.AddRange(answer.Warnings);
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<V1.GetIndicatorsResponse> GetIndicators(V1.GetIndicatorsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var month = Find(request.Period);
        var response = new V1.GetIndicatorsResponse { Indicators = PayrollMapping.ToProto(month) };
        response.Missing.AddRange(month.Missing());
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<V1.GetIndicatorsLegacyResponse> GetIndicatorsLegacy(V1.GetIndicatorsLegacyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var month = Find(request.Period); // request.Force is accepted and ignored: nothing is scraped
        var answer = LegacyIndicators.From(new IndicatorLookup(month.Period, month, null));
        var metadata = new V1.LegacyIndicatorsMetadata { Period = answer.Metadata.Period };
        metadata.Sources.Add(answer.Metadata.Sources.ToDictionary(StringComparer.Ordinal));
        metadata.Missing.AddRange(answer.Metadata.Missing);
        var response = new V1.GetIndicatorsLegacyResponse { Success = answer.Success, Metadata = metadata };
        response.Indicators.Add(answer.Indicators.ToDictionary(i => i.Key, i => (double)i.Value, StringComparer.Ordinal));
        if (answer.Detail is not null)
        {
            response.Detail = answer.Detail;
        }

        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<V1.UpsertIndicatorsResponse> UpsertIndicators(V1.UpsertIndicatorsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var month = PayrollMapping.FromProto(PayrollMapping.Period(request.Period), request.Indicators);
        try
        {
            store.Upsert(month);
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException("indicators", e.Message);
        }
        catch (IndicatorStoreUnavailableException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }

        var response = new V1.UpsertIndicatorsResponse { Indicators = PayrollMapping.ToProto(month) };
        response.Missing.AddRange(month.Missing());
        return Task.FromResult(response);
    }

    /// <summary>The month's indicators; NOT_FOUND (404) when the store does not hold the month.</summary>
    private MonthlyIndicators Find(string period)
    {
        var lookup = store.Get(PayrollMapping.Period(period));
        return lookup.Month ?? throw new RpcException(new Status(StatusCode.NotFound, lookup.Reason ?? $"No indicators for {period}."));
    }
}

/// <summary>Protobuf messages to and from the payroll engine's records.</summary>
internal static class PayrollMapping
{
    private static readonly Google.Protobuf.JsonFormatter PayslipFormatter =
        new(Google.Protobuf.JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    private static readonly HashSet<string> Bases = new(["observed", "in_force", "statutory", "derived"], StringComparer.Ordinal);

    /// <summary>A <c>YYYY-MM</c> path parameter.</summary>
    public static PayrollPeriod Period(string text) =>
        PayrollPeriod.TryParse(text, out var period) ? period : throw new InvalidInputException("period", $"'{text}' is not a month written YYYY-MM (2000-2099)");

    /// <summary>
    /// The payslip message as the engine's record. The message is written as the module's JSON (proto field names)
    /// and read by <see cref="PayslipJson"/>, so that both routes and the engine hold one definition of a valid
    /// payslip; violations name the field relative to the payslip (the REST body), e.g. <c>lines[3].amount</c>.
    /// </summary>
    public static Payslip FromProto(V1.Payslip? payslip)
    {
        if (payslip is null)
        {
            throw new InvalidInputException("payslip", "required");
        }

        try
        {
            return PayslipJson.Read(PayslipFormatter.Format(payslip));
        }
        catch (PayslipFormatException e)
        {
            throw new InvalidInputException(e.Field ?? "payslip", e.Reason ?? e.Message);
        }
    }

    public static V1.ValidatePayslipResponse ToResponse(PayrollValidationResult result)
    {
        var response = new V1.ValidatePayslipResponse
        {
            Recommendation = result.Recommendation switch
            {
                Recommendation.Approve => V1.Recommendation.Approve,
                Recommendation.Review => V1.Recommendation.Review,
                _ => V1.Recommendation.Reject,
            },
            Confidence = result.Confidence,
        };
        response.Findings.AddRange(result.Findings.Select(ToProto));
        response.RulesRun.AddRange(result.RulesRun);
        response.SkippedRules.AddRange(result.Skipped.Select(s => new V1.SkippedRule { Rule = s.Rule, Reason = s.Reason }));
        response.Notes.AddRange(result.Notes);
        return response;
    }

    private static V1.PayslipFinding ToProto(PayrollFinding f)
    {
        var finding = new V1.PayslipFinding
        {
            Code = f.Code,
            Severity = f.Severity == FindingSeverity.Error ? V1.FindingSeverity.Error : V1.FindingSeverity.Warning,
            Message = f.Message,
            LegalSource = f.LegalSource,
            Line = f.Line ?? string.Empty,
        };
        if (f.Expected is { } expected)
        {
            finding.Expected = (double)expected;
        }

        if (f.Actual is { } actual)
        {
            finding.Actual = (double)actual;
        }

        return finding;
    }

    public static V1.MonthlyIndicators ToProto(MonthlyIndicators m)
    {
        var message = new V1.MonthlyIndicators
        {
            Period = m.Period.ToString(),
            UfLastDay = Value(m.UfLastDay),
            UfFirstDay = Value(m.UfFirstDay),
            Utm = Value(m.Utm),
            Uta = Value(m.Uta),
            MinimumWage = Value(m.MinimumWage),
            MinimumWageLaw = m.MinimumWageLaw ?? string.Empty,
            TaxableCapPensionUf = Value(m.TaxableCapPensionUf),
            TaxableCapUnemploymentUf = Value(m.TaxableCapUnemploymentUf),
            SisPercent = Value(m.SisPercent),
        };
        if (m.AfpCommissionsPercent is { } afp)
        {
            message.AfpCommissionsPercent = new V1.AfpCommissions { Source = afp.Source, Basis = afp.Basis, Note = afp.Note ?? string.Empty };
            message.AfpCommissionsPercent.Percent.Add(afp.Value.ToDictionary(p => p.Key, p => (double)p.Value, StringComparer.Ordinal));
        }

        if (m.UnemploymentInsurance is { } afc)
        {
            message.UnemploymentInsurance = new V1.UnemploymentInsurance
            {
                IndefiniteWorker = (double)afc.Value.IndefiniteWorker,
                IndefiniteEmployer = (double)afc.Value.IndefiniteEmployer,
                FixedTermWorker = (double)afc.Value.FixedTermWorker,
                FixedTermEmployer = (double)afc.Value.FixedTermEmployer,
                Source = afc.Source,
                Basis = afc.Basis,
                Note = afc.Note ?? string.Empty,
            };
        }

        if (m.FamilyAllowanceBrackets is { } family)
        {
            message.FamilyAllowanceBrackets = new V1.FamilyAllowance { Source = family.Source, Basis = family.Basis, Note = family.Note ?? string.Empty };
            foreach (var b in family.Value)
            {
                var bracket = new V1.FamilyAllowanceBracket { Tramo = b.Tramo, Amount = (double)b.Amount };
                if (b.UpToIncome is { } upTo)
                {
                    bracket.UpToIncome = (double)upTo;
                }

                message.FamilyAllowanceBrackets.Brackets.Add(bracket);
            }
        }

        if (m.IncomeTaxBrackets is { } tax)
        {
            message.IncomeTaxBrackets = new V1.IncomeTax { Source = tax.Source, Basis = tax.Basis, Note = tax.Note ?? string.Empty };
            foreach (var b in tax.Value)
            {
                var bracket = new V1.IncomeTaxBracket { FromUtm = (double)b.FromUtm, RatePercent = (double)b.RatePercent, RebateUtm = (double)b.RebateUtm };
                if (b.ToUtm is { } to)
                {
                    bracket.ToUtm = (double)to;
                }

                message.IncomeTaxBrackets.Brackets.Add(bracket);
            }
        }

        return message;
    }

    private static V1.SourcedValue? Value(Sourced<decimal>? figure) => figure is null ? null : new V1.SourcedValue
    {
        Value = (double)figure.Value,
        Source = figure.Source,
        Basis = figure.Basis,
        Note = figure.Note ?? string.Empty,
    };

    /// <summary>
    /// An administrator's month as the engine's record. Every figure sent needs a source and a finite number
    /// (0 to 1e15); the month is replaced as a whole, so figures left out are not sourced.
    /// </summary>
    public static MonthlyIndicators FromProto(PayrollPeriod period, V1.MonthlyIndicators? m)
    {
        if (m is null)
        {
            throw new InvalidInputException("indicators", "required: the month's figures, each with its source");
        }

        var violations = new List<FieldViolation>();
        if (m.Period.Length > 0 && m.Period != period.ToString())
        {
            violations.Add(new("indicators.period", $"must be {period} (the month in the path) or empty"));
        }

        decimal Number(double value, string path)
        {
            if (!double.IsFinite(value) || value < 0 || value > 1e15)
            {
                violations.Add(new(path, "must be a finite number from 0 to 1e15"));
                return 0;
            }

            return (decimal)value;
        }

        Sourced<T>? Figure<T>(string field, string source, string basis, string note, Func<string, T> value)
        {
            var path = "indicators." + field;
            var before = violations.Count;
            if (string.IsNullOrWhiteSpace(source))
            {
                violations.Add(new(path + ".source", "required: every figure carries its source"));
            }

            if (basis.Length > 0 && !Bases.Contains(basis))
            {
                violations.Add(new(path + ".basis", "must be observed, in_force, statutory or derived (empty: observed)"));
            }

            var figure = value(path);
            return violations.Count > before ? null : new Sourced<T>(figure, source.Trim(), basis.Length == 0 ? "observed" : basis, note.Length == 0 ? null : note);
        }

        Sourced<decimal>? Single(string field, V1.SourcedValue? v) =>
            v is null ? null : Figure(field, v.Source, v.Basis, v.Note, path => Number(v.Value, path + ".value"));

        var afp = m.AfpCommissionsPercent is not { } a ? null : Figure<IReadOnlyDictionary<string, decimal>>(IndicatorFields.AfpCommissionsPercent, a.Source, a.Basis, a.Note, path =>
        {
            if (a.Percent.Count == 0)
            {
                violations.Add(new(path + ".percent", "required: the commission of each AFP"));
            }

            return a.Percent.ToDictionary(p => p.Key, p => Number(p.Value, $"{path}.percent[{p.Key}]"), StringComparer.Ordinal);
        });
        var afc = m.UnemploymentInsurance is not { } u ? null : Figure(IndicatorFields.UnemploymentInsurance, u.Source, u.Basis, u.Note, path => new UnemploymentInsuranceRates(
            Number(u.IndefiniteWorker, path + ".indefinite_worker"),
            Number(u.IndefiniteEmployer, path + ".indefinite_employer"),
            Number(u.FixedTermWorker, path + ".fixed_term_worker"),
            Number(u.FixedTermEmployer, path + ".fixed_term_employer")));
        var family = m.FamilyAllowanceBrackets is not { } f ? null : Figure<IReadOnlyList<FamilyAllowanceBracket>>(IndicatorFields.FamilyAllowanceBrackets, f.Source, f.Basis, f.Note, path =>
        {
            if (f.Brackets.Count == 0)
            {
                violations.Add(new(path + ".brackets", "required: the tramos, A first"));
            }

            return [.. f.Brackets.Select((b, i) => new FamilyAllowanceBracket(
                b.Tramo, b.HasUpToIncome ? Number(b.UpToIncome, $"{path}.brackets[{i}].up_to_income") : null, Number(b.Amount, $"{path}.brackets[{i}].amount")))];
        });
        var tax = m.IncomeTaxBrackets is not { } t ? null : Figure<IReadOnlyList<IncomeTaxBracket>>(IndicatorFields.IncomeTaxBrackets, t.Source, t.Basis, t.Note, path =>
        {
            if (t.Brackets.Count == 0)
            {
                violations.Add(new(path + ".brackets", "required: the brackets, lowest first"));
            }

            return [.. t.Brackets.Select((b, i) => new IncomeTaxBracket(
                Number(b.FromUtm, $"{path}.brackets[{i}].from_utm"), b.HasToUtm ? Number(b.ToUtm, $"{path}.brackets[{i}].to_utm") : null,
                Number(b.RatePercent, $"{path}.brackets[{i}].rate_percent"), Number(b.RebateUtm, $"{path}.brackets[{i}].rebate_utm")))];
        });
        var month = new MonthlyIndicators(
            period,
            Single(IndicatorFields.UfLastDay, m.UfLastDay),
            Single(IndicatorFields.UfFirstDay, m.UfFirstDay),
            Single(IndicatorFields.Utm, m.Utm),
            Single(IndicatorFields.Uta, m.Uta),
            Single(IndicatorFields.MinimumWage, m.MinimumWage),
            m.MinimumWage is null || m.MinimumWageLaw.Length == 0 ? null : m.MinimumWageLaw,
            Single(IndicatorFields.TaxableCapPensionUf, m.TaxableCapPensionUf),
            Single(IndicatorFields.TaxableCapUnemploymentUf, m.TaxableCapUnemploymentUf),
            afp,
            Single(IndicatorFields.SisPercent, m.SisPercent),
            afc,
            family,
            tax);
        return violations.Count > 0 ? throw new InvalidInputException(violations) : month;
    }
}
