using AiGrpc.Common;
using AiGrpc.Server.Observability;
using AiGrpc.Validation.Dte;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using V1 = AiGrpc.Validation.V1;

namespace AiGrpc.Server.Validation;

/// <summary><c>aigrpc.validation.v1.ValidationService</c>: maps messages to <see cref="DteValidator"/> calls and back.</summary>
public sealed class ValidationGrpcService(DteValidator validator, ReceivedDteValidation received, LegacyValidation legacy) : V1.ValidationService.ValidationServiceBase
{
    /// <inheritdoc />
    public override Task<V1.ValidateDteResponse> ValidateDte(V1.ValidateDteRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = Counted(request.InputCase switch
        {
            V1.ValidateDteRequest.InputOneofCase.Xml => validator.Validate(request.Xml),
            V1.ValidateDteRequest.InputOneofCase.XmlBytes when !request.XmlBytes.IsEmpty => validator.Validate(request.XmlBytes.Memory),
            V1.ValidateDteRequest.InputOneofCase.Document => validator.Validate(ValidationMapping.FromStructured(request.Document, "document")),
            _ => throw new InvalidInputException("input", "give one of xml, xml_bytes or document"),
        });
        return Task.FromResult(ValidationMapping.ToResponse(report));
    }

    /// <inheritdoc />
    public override Task<V1.ValidateDteXmlResponse> ValidateDteXml(V1.ValidateDteXmlRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Body;
        if (body is null || body.Data.IsEmpty)
        {
            throw new InvalidInputException("body", "send the XML document as the request body");
        }

        var type = body.ContentType ?? string.Empty;
        if (type.Length > 0 && !type.Contains("xml", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidInputException("body", $"content type must be application/xml or text/xml, not {type}");
        }

        var response = ValidationMapping.ToResponse(Counted(validator.Validate(body.Data.Memory)));
        return Task.FromResult(V1.ValidateDteXmlResponse.Parser.ParseFrom(response.ToByteString()));
    }

    /// <inheritdoc />
    public override async Task ValidateDteStream(IAsyncStreamReader<V1.ValidateDteStreamRequest> requestStream, IServerStreamWriter<V1.ValidateDteStreamResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var index = 0;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            var field = $"requests[{index}]";
            var report = Counted(request.InputCase switch
            {
                V1.ValidateDteStreamRequest.InputOneofCase.Xml => validator.Validate(request.Xml),
                V1.ValidateDteStreamRequest.InputOneofCase.XmlBytes when !request.XmlBytes.IsEmpty => validator.Validate(request.XmlBytes.Memory),
                V1.ValidateDteStreamRequest.InputOneofCase.Document => validator.Validate(ValidationMapping.FromStructured(request.Document, field + ".document")),
                _ => throw new InvalidInputException(field, "give one of xml, xml_bytes or document"),
            });
            var response = V1.ValidateDteStreamResponse.Parser.ParseFrom(ValidationMapping.ToResponse(report).ToByteString());
            response.CorrelationId = request.CorrelationId;
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
            index++;
        }
    }

    /// <inheritdoc />
    public override Task<V1.ValidateReceivedDteResponse> ValidateReceivedDte(V1.ValidateReceivedDteRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Document is null)
        {
            throw new InvalidInputException("document", "send the received DTE");
        }

        var result = received.Validate(ValidationMapping.FromReceived(request.Document), [.. request.History.Select(ValidationMapping.FromReceived)]);
        var response = new V1.ValidateReceivedDteResponse
        {
            Verdict = ValidationMapping.ToProto(result.Verdict),
            Confidence = result.Confidence,
            HistoryCompared = result.HistoryCompared,
        };
        response.Findings.AddRange(result.Findings.Select(ValidationMapping.ToProto));
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public override Task<V1.ValidateLegacyResponse> ValidateLegacy(V1.ValidateLegacyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mode = LegacyValidation.ReadMode(request.Mode);
        var data = request.DteData is null ? null : ValidationMapping.ToPlain(request.DteData);
        var history = request.History.Select(h => new LegacyHistoryEntry(h.ErrorCode, h.Message, mode == LegacyMode.Reception ? ValidationMapping.FromLegacy(h) : null)).ToList();
        var result = legacy.Validate(data, request.CompanyId, history, mode);
        var response = new V1.ValidateLegacyResponse { Confidence = result.Confidence, Recommendation = result.Recommendation };
        response.Warnings.AddRange(result.Warnings);
        response.Errors.AddRange(result.Errors);
        return Task.FromResult(response);
    }

    /// <summary>
    /// Counts a validated report in the metrics: each document by verdict and type with its findings, or the report
    /// itself when it holds no document. The engine has no meter of its own, so that these series keep the service's
    /// scope (<c>otel_scope_name="AiGrpc"</c> on /metrics) and the alert rules their labels.
    /// </summary>
    private static ValidationReport Counted(ValidationReport report)
    {
        foreach (var d in report.Documents)
        {
            Telemetry.RecordValidation(d.Verdict.ToString().ToLowerInvariant(), d.Type ?? 0, d.Findings.Select(f => (f.Code, f.Severity.ToString().ToUpperInvariant())));
        }

        if (report.Documents.Count == 0)
        {
            Telemetry.RecordValidation(report.Verdict.ToString().ToLowerInvariant(), 0, report.Findings.Select(f => (f.Code, f.Severity.ToString().ToUpperInvariant())));
        }

        return report;
    }
}

/// <summary>Engine records to and from protobuf messages.</summary>
internal static class ValidationMapping
{
    private const double MaxNumber = 1e15;

    public static V1.ValidateDteResponse ToResponse(ValidationReport report)
    {
        var response = new V1.ValidateDteResponse
        {
            Verdict = ToProto(report.Verdict),
            Root = report.RootKind ?? string.Empty,
            EnvelopeSignature = ToProto(report.EnvelopeSignature),
        };
        response.Findings.AddRange(report.Findings.Select(ToProto));
        foreach (var d in report.Documents)
        {
            var result = new V1.DocumentResult
            {
                Index = d.Index,
                DocumentType = d.Type ?? 0,
                Folio = d.Folio ?? 0,
                IssuerRut = d.IssuerRut ?? string.Empty,
                Verdict = ToProto(d.Verdict),
                Signature = ToProto(d.Signature),
            };
            result.Findings.AddRange(d.Findings.Select(ToProto));
            result.ChecksRun.AddRange(d.ChecksRun);
            result.ChecksSkipped.AddRange(d.ChecksSkipped.Select(s => new V1.SkippedCheck { Check = s.Check, Reason = s.Reason }));
            response.Documents.Add(result);
        }

        return response;
    }

    private static V1.SignatureResult? ToProto(SignatureOutcome? s) => s is null ? null : new V1.SignatureResult
    {
        Verified = s.Verified,
        Variant = s.Variant ?? string.Empty,
        SignerSubject = s.SignerSubject ?? string.Empty,
        SignerRut = s.SignerRut ?? string.Empty,
    };

    public static V1.Finding ToProto(Finding f)
    {
        var finding = new V1.Finding
        {
            Code = f.Code,
            Severity = f.Severity switch
            {
                FindingSeverity.Error => V1.Severity.Error,
                FindingSeverity.Warning => V1.Severity.Warning,
                _ => V1.Severity.Info,
            },
            Path = f.Path,
            Message = f.Message,
        };
        if (f.Expected is not null)
        {
            finding.Expected = f.Expected;
        }

        if (f.Actual is not null)
        {
            finding.Actual = f.Actual;
        }

        return finding;
    }

    public static V1.Verdict ToProto(Verdict v) => v switch
    {
        Verdict.Accept => V1.Verdict.Accept,
        Verdict.Review => V1.Verdict.Review,
        _ => V1.Verdict.Reject,
    };

    public static DteDocument FromStructured(V1.StructuredDocument d, string field)
    {
        var violations = new List<FieldViolation>();
        decimal? Dec(bool has, double value, string name)
        {
            if (!has)
            {
                return null;
            }

            if (double.IsNaN(value) || Math.Abs(value) > MaxNumber)
            {
                violations.Add(new($"{field}.{name}", "must be a finite number below 1e15"));
                return null;
            }

            return (decimal)value;
        }

        var lines = d.Lines.Select((l, i) => new DetailLine
        {
            Number = i + 1,
            Name = l.Name,
            Quantity = Dec(l.HasQuantity, l.Quantity, $"lines[{i}].quantity"),
            Price = Dec(l.HasPrice, l.Price, $"lines[{i}].price"),
            Discount = l.HasDiscount ? l.Discount : null,
            Surcharge = l.HasSurcharge ? l.Surcharge : null,
            Amount = l.Amount,
            ExemptIndicator = l.HasExemptIndicator ? l.ExemptIndicator : null,
        }).ToList();
        var t = d.Totals;
        var totals = t is null ? new DteTotals() : new DteTotals
        {
            Net = t.HasNet ? t.Net : null,
            Exempt = t.HasExempt ? t.Exempt : null,
            VatRate = Dec(t.HasVatRate, t.VatRate, "totals.vat_rate"),
            Vat = t.HasVat ? t.Vat : null,
            Taxes = [.. t.Taxes.Select((x, i) => new TaxLine(x.Code, Dec(x.HasRate, x.Rate, $"totals.taxes[{i}].rate"), x.Amount))],
            VatNotWithheld = t.HasVatNotWithheld ? t.VatNotWithheld : null,
            ConstructionCredit = t.HasConstructionCredit ? t.ConstructionCredit : null,
            Deposits = t.HasDeposits ? t.Deposits : null,
            Total = t.HasTotal ? t.Total : null,
        };
        if (violations.Count > 0)
        {
            throw new InvalidInputException(violations);
        }

        static string? Empty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        return new DteDocument
        {
            TypeText = d.DocumentType == 0 ? null : d.DocumentType.ToString(System.Globalization.CultureInfo.InvariantCulture),
            FolioText = d.Folio == 0 ? null : d.Folio.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IssueDateText = Empty(d.IssueDate),
            IssuerRut = Empty(d.Issuer?.Rut ?? string.Empty),
            IssuerName = Empty(d.Issuer?.Name ?? string.Empty),
            ReceiverRut = Empty(d.Receiver?.Rut ?? string.Empty),
            ReceiverName = Empty(d.Receiver?.Name ?? string.Empty),
            GrossAmounts = d.GrossAmounts,
            TransferIndicator = Empty(d.TransferIndicator),
            HasTotals = t is not null,
            Totals = totals,
            Lines = lines,
            References = [.. d.References.Select((r, i) => new DteReference
            {
                Line = i + 1,
                DocumentType = Empty(r.DocumentType),
                Folio = Empty(r.Folio),
                Date = Empty(r.Date),
                Code = Empty(r.Code),
                Global = r.Global,
                OtherRut = Empty(r.OtherRut),
                Reason = Empty(r.Reason),
            })],
        };
    }

    /// <summary>A typed received DTE as the engine's summary (0 and empty mean absent).</summary>
    public static DteSummary FromReceived(V1.ReceivedDte d) => new()
    {
        TypeText = d.DocumentType == 0 ? null : d.DocumentType.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Folio = d.Folio == 0 ? null : d.Folio,
        IssueDateText = DteSummary.DatePart(d.IssueDate),
        IssuerRut = DteSummary.NormalizeRut(d.IssuerRut),
        IssuerName = string.IsNullOrWhiteSpace(d.IssuerName) ? null : d.IssuerName.Trim(),
        Net = Amount(d.HasNet, d.Net),
        Exempt = Amount(d.HasExempt, d.Exempt),
        Vat = Amount(d.HasVat, d.Vat),
        Total = Amount(d.HasTotal, d.Total),
    };

    /// <summary>One of the module's history items in reception mode: an earlier DTE of the same supplier.</summary>
    public static DteSummary FromLegacy(V1.LegacyHistoryItem h) => new()
    {
        TypeText = h.TipoDte == 0 ? null : h.TipoDte.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Folio = h.Folio == 0 ? null : h.Folio,
        IssueDateText = DteSummary.DatePart(h.FechaEmision),
        Net = Amount(h.HasMontoNeto, h.MontoNeto),
        Exempt = Amount(h.HasMontoExento, h.MontoExento),
        Vat = Amount(h.HasMontoIva, h.MontoIva),
        Total = Amount(h.HasMontoTotal, h.MontoTotal),
    };

    private static decimal? Amount(bool has, double value) => has ? DteSummary.AmountOf(value) : null;

    /// <summary>A protobuf Struct as plain values (null, bool, double, string, lists, dictionaries).</summary>
    public static Dictionary<string, object?> ToPlain(Struct s) =>
        s.Fields.ToDictionary(f => f.Key, f => ToPlain(f.Value), StringComparer.Ordinal);

    private static object? ToPlain(Value v) => v.KindCase switch
    {
        Value.KindOneofCase.NumberValue => v.NumberValue,
        Value.KindOneofCase.StringValue => v.StringValue,
        Value.KindOneofCase.BoolValue => v.BoolValue,
        Value.KindOneofCase.StructValue => ToPlain(v.StructValue),
        Value.KindOneofCase.ListValue => v.ListValue.Values.Select(ToPlain).ToList(),
        _ => null,
    };
}
