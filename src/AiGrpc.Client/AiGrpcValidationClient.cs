using AiGrpc.Validation.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AiGrpc.Client;

public sealed partial class AiGrpcClient
{
    /// <summary>DTE validation: SII rules, TED/CAF, XML signatures.</summary>
    public AiGrpcValidationClient Validation => field ??= new(Invoker, this);
}

/// <summary>What to do with a document.</summary>
public enum DteVerdict
{
    /// <summary>Not reported.</summary>
    Unknown,
    /// <summary>No finding above info: send it / accept it.</summary>
    Accept,
    /// <summary>Warnings only: a person should look.</summary>
    Review,
    /// <summary>At least one error: do not send / do not accept.</summary>
    Reject,
}

/// <summary>How serious a finding is.</summary>
public enum DteFindingSeverity
{
    /// <summary>Not reported.</summary>
    Unknown,
    /// <summary>Information only.</summary>
    Info,
    /// <summary>Something to look at.</summary>
    Warning,
    /// <summary>Blocks the document.</summary>
    Error,
}

/// <summary>One finding.</summary>
/// <param name="Code">Stable UPPER_SNAKE code (e.g. <c>TOTALS_VAT_MISMATCH</c>).</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Path">Where in the document.</param>
/// <param name="Message">Spanish explanation.</param>
/// <param name="Expected">Expected value, when there is one.</param>
/// <param name="Actual">Value found, when there is one.</param>
public sealed record DteFinding(string Code, DteFindingSeverity Severity, string Path, string Message, string? Expected, string? Actual);

/// <summary>A check group that could not run.</summary>
/// <param name="Check">Check group name.</param>
/// <param name="Reason">Why (Spanish).</param>
public sealed record DteSkippedCheck(string Check, string Reason);

/// <summary>XML signature outcome.</summary>
/// <param name="Verified">True when it verified.</param>
/// <param name="Variant">Which variant verified (as-received, re-rooted, ...).</param>
/// <param name="SignerSubject">Signer certificate subject.</param>
/// <param name="SignerRut">Signer RUT from the certificate, when present.</param>
public sealed record DteSignature(bool Verified, string Variant, string SignerSubject, string SignerRut);

/// <summary>Result for one DTE.</summary>
/// <param name="Index">Position in the input.</param>
/// <param name="DocumentType">TipoDTE (0 when unreadable).</param>
/// <param name="Folio">Folio (0 when unreadable).</param>
/// <param name="IssuerRut">RUTEmisor.</param>
/// <param name="Verdict">This document's verdict.</param>
/// <param name="Findings">Its findings.</param>
/// <param name="ChecksRun">Check groups that ran.</param>
/// <param name="ChecksSkipped">Check groups that could not run.</param>
/// <param name="Signature">Its XML signature outcome, when checked.</param>
public sealed record DteDocumentResult(
    int Index, int DocumentType, long Folio, string IssuerRut, DteVerdict Verdict,
    IReadOnlyList<DteFinding> Findings, IReadOnlyList<string> ChecksRun, IReadOnlyList<DteSkippedCheck> ChecksSkipped, DteSignature? Signature);

/// <summary>Result for one input (a DTE, an envelope, ...).</summary>
/// <param name="Verdict">Overall verdict.</param>
/// <param name="Root">Root element validated (DTE, EnvioDTE, ...), empty when unreadable.</param>
/// <param name="Findings">Findings about the input as a whole.</param>
/// <param name="Documents">Per-document results.</param>
/// <param name="EnvelopeSignature">Envelope signature outcome, when there is one.</param>
/// <param name="CorrelationId">The caller's id (bulk validation only).</param>
public sealed record DteValidationResult(
    DteVerdict Verdict, string Root, IReadOnlyList<DteFinding> Findings, IReadOnlyList<DteDocumentResult> Documents,
    DteSignature? EnvelopeSignature, string? CorrelationId = null);

/// <summary>One XML document of a bulk validation.</summary>
/// <param name="CorrelationId">Caller's id, echoed in the result.</param>
/// <param name="Xml">The bytes as received (any declared encoding).</param>
public sealed record DteXmlInput(string CorrelationId, ReadOnlyMemory<byte> Xml);

/// <summary>A detail line of a structured document.</summary>
/// <param name="Name">NmbItem.</param>
/// <param name="Amount">MontoItem.</param>
/// <param name="Quantity">QtyItem.</param>
/// <param name="Price">PrcItem.</param>
/// <param name="Discount">DescuentoMonto.</param>
/// <param name="Surcharge">RecargoMonto.</param>
/// <param name="Exempt">IndExe = 1.</param>
public sealed record DteLineInput(string Name, long Amount, decimal? Quantity = null, decimal? Price = null, long? Discount = null, long? Surcharge = null, bool Exempt = false);

/// <summary>A reference of a structured document.</summary>
/// <param name="DocumentType">TpoDocRef.</param>
/// <param name="Folio">FolioRef.</param>
/// <param name="Date">FchRef.</param>
/// <param name="Code">CodRef (1 cancels, 2 corrects text, 3 corrects amounts).</param>
/// <param name="Global">IndGlobal = 1.</param>
/// <param name="OtherRut">RUTOtr.</param>
/// <param name="Reason">RazonRef.</param>
public sealed record DteReferenceInput(string DocumentType, string Folio, DateOnly Date, string? Code = null, bool Global = false, string? OtherRut = null, string? Reason = null);

/// <summary>Totals of a structured document.</summary>
/// <param name="Total">MntTotal.</param>
/// <param name="Net">MntNeto.</param>
/// <param name="Exempt">MntExe.</param>
/// <param name="VatRate">TasaIVA in percent.</param>
/// <param name="Vat">IVA.</param>
public sealed record DteTotalsInput(long Total, long? Net = null, long? Exempt = null, decimal? VatRate = null, long? Vat = null);

/// <summary>A DTE given as fields (checked for structure, RUTs, dates, totals and references; no TED or signature).</summary>
/// <param name="DocumentType">TipoDTE.</param>
/// <param name="Folio">Folio.</param>
/// <param name="IssueDate">FchEmis.</param>
/// <param name="IssuerRut">RUTEmisor.</param>
/// <param name="IssuerName">RznSoc.</param>
/// <param name="ReceiverRut">RUTRecep.</param>
/// <param name="ReceiverName">RznSocRecep.</param>
/// <param name="Lines">Detail lines.</param>
/// <param name="Totals">Totals.</param>
/// <param name="References">References, if any.</param>
/// <param name="GrossAmounts">Line amounts include IVA (MntBruto = 1).</param>
public sealed record DteDocumentInput(
    int DocumentType, long Folio, DateOnly IssueDate, string IssuerRut, string IssuerName, string ReceiverRut, string ReceiverName,
    IReadOnlyList<DteLineInput> Lines, DteTotalsInput Totals, IReadOnlyList<DteReferenceInput>? References = null, bool GrossAmounts = false);

/// <summary>Validation calls of <see cref="AiGrpcClient"/>.</summary>
public sealed partial class AiGrpcValidationClient
{
    private readonly ValidationService.ValidationServiceClient _client;
    private readonly AiGrpcClient _owner;

    internal AiGrpcValidationClient(CallInvoker invoker, AiGrpcClient owner)
    {
        _client = new ValidationService.ValidationServiceClient(invoker);
        _owner = owner;
    }

    /// <summary>Validates a DTE, EnvioDTE or EnvioBOLETA given as the bytes received (keep them as is: signatures cover them).</summary>
    /// <param name="xml">The XML bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="RpcException">The call failed (e.g. <c>INVALID_ARGUMENT</c> for an empty document).</exception>
    public async Task<DteValidationResult> ValidateXmlAsync(ReadOnlyMemory<byte> xml, CancellationToken cancellationToken = default)
    {
        var response = await _client.ValidateDteAsync(new ValidateDteRequest { XmlBytes = ByteString.CopyFrom(xml.Span) }, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return Map(response.Verdict, response.Root, response.Findings, response.Documents, response.EnvelopeSignature, null);
    }

    /// <summary>Validates XML text (already decoded).</summary>
    /// <param name="xml">The XML text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="RpcException">The call failed.</exception>
    public async Task<DteValidationResult> ValidateXmlAsync(string xml, CancellationToken cancellationToken = default)
    {
        var response = await _client.ValidateDteAsync(new ValidateDteRequest { Xml = xml }, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return Map(response.Verdict, response.Root, response.Findings, response.Documents, response.EnvelopeSignature, null);
    }

    /// <summary>Validates a document given as fields (e.g. before an ERP generates its XML).</summary>
    /// <param name="document">The document.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="RpcException">The call failed (e.g. <c>INVALID_ARGUMENT</c>).</exception>
    public async Task<DteValidationResult> ValidateDocumentAsync(DteDocumentInput document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var structured = new StructuredDocument
        {
            DocumentType = document.DocumentType,
            Folio = document.Folio,
            IssueDate = document.IssueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Issuer = new Party { Rut = document.IssuerRut, Name = document.IssuerName },
            Receiver = new Party { Rut = document.ReceiverRut, Name = document.ReceiverName },
            GrossAmounts = document.GrossAmounts,
            Totals = new Totals { Total = document.Totals.Total },
        };
        var t = document.Totals;
        if (t.Net is { } net)
        {
            structured.Totals.Net = net;
        }

        if (t.Exempt is { } exempt)
        {
            structured.Totals.Exempt = exempt;
        }

        if (t.VatRate is { } rate)
        {
            structured.Totals.VatRate = (double)rate;
        }

        if (t.Vat is { } vat)
        {
            structured.Totals.Vat = vat;
        }

        foreach (var l in document.Lines)
        {
            var line = new Line { Name = l.Name, Amount = l.Amount };
            if (l.Quantity is { } q)
            {
                line.Quantity = (double)q;
            }

            if (l.Price is { } p)
            {
                line.Price = (double)p;
            }

            if (l.Discount is { } d)
            {
                line.Discount = d;
            }

            if (l.Surcharge is { } r)
            {
                line.Surcharge = r;
            }

            if (l.Exempt)
            {
                line.ExemptIndicator = 1;
            }

            structured.Lines.Add(line);
        }

        foreach (var r in document.References ?? [])
        {
            structured.References.Add(new Reference
            {
                DocumentType = r.DocumentType,
                Folio = r.Folio,
                Date = r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Code = r.Code ?? string.Empty,
                Global = r.Global,
                OtherRut = r.OtherRut ?? string.Empty,
                Reason = r.Reason ?? string.Empty,
            });
        }

        var response = await _client.ValidateDteAsync(new ValidateDteRequest { Document = structured }, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return Map(response.Verdict, response.Root, response.Findings, response.Documents, response.EnvelopeSignature, null);
    }

    /// <summary>
    /// Validates many documents over one stream (e.g. a month of received DTEs); results arrive in order.
    /// The default deadline applies to the whole stream: pass <paramref name="timeout"/> for long batches.
    /// </summary>
    /// <param name="documents">The documents.</param>
    /// <param name="timeout">Deadline of the whole stream (default: the client's default deadline).</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    public IAsyncEnumerable<DteValidationResult> ValidateManyAsync(IEnumerable<DteXmlInput> documents, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return DuplexExchange.RunAsync(
            ct => _client.ValidateDteStream(_owner.CallOptions(ct, timeout)),
            documents.Select(d => new ValidateDteStreamRequest { CorrelationId = d.CorrelationId, XmlBytes = ByteString.CopyFrom(d.Xml.Span) }),
            r => Map(r.Verdict, r.Root, r.Findings, r.Documents, r.EnvelopeSignature, r.CorrelationId),
            cancellationToken);
    }

    private static DteValidationResult Map(Verdict verdict, string root, IEnumerable<Finding> findings, IEnumerable<DocumentResult> documents, SignatureResult? envelope, string? correlationId) =>
        new(Map(verdict), root, [.. findings.Select(Map)], [.. documents.Select(d => new DteDocumentResult(
            d.Index, d.DocumentType, d.Folio, d.IssuerRut, Map(d.Verdict), [.. d.Findings.Select(Map)], [.. d.ChecksRun],
            [.. d.ChecksSkipped.Select(s => new DteSkippedCheck(s.Check, s.Reason))], Map(d.Signature)))], Map(envelope), correlationId);

    private static DteSignature? Map(SignatureResult? s) => s is null ? null : new(s.Verified, s.Variant, s.SignerSubject, s.SignerRut);

    private static DteFinding Map(Finding f) => new(f.Code, f.Severity switch
    {
        Severity.Info => DteFindingSeverity.Info,
        Severity.Warning => DteFindingSeverity.Warning,
        Severity.Error => DteFindingSeverity.Error,
        _ => DteFindingSeverity.Unknown,
    }, f.Path, f.Message, f.HasExpected ? f.Expected : null, f.HasActual ? f.Actual : null);

    private static DteVerdict Map(Verdict v) => v switch
    {
        Verdict.Accept => DteVerdict.Accept,
        Verdict.Review => DteVerdict.Review,
        Verdict.Reject => DteVerdict.Reject,
        _ => DteVerdict.Unknown,
    };
}
