using AiGrpc.Validation.V1;

namespace AiGrpc.Client;

/// <summary>A DTE received from a supplier, or one of that supplier's earlier DTEs: header and totals.</summary>
/// <param name="DocumentType">TipoDTE (33, 34, 46, 52, 56, 61, 110, 111, 112).</param>
/// <param name="Folio">Folio, when known.</param>
/// <param name="IssueDate">FchEmis, when known.</param>
/// <param name="IssuerRut">RUTEmisor in any usual spelling, when known.</param>
/// <param name="Total">MntTotal.</param>
/// <param name="Net">MntNeto.</param>
/// <param name="Vat">IVA.</param>
/// <param name="Exempt">MntExe.</param>
/// <param name="IssuerName">Razón social of the issuer.</param>
public sealed record ReceivedDteInput(
    int DocumentType, long? Folio = null, DateOnly? IssueDate = null, string? IssuerRut = null,
    decimal? Total = null, decimal? Net = null, decimal? Vat = null, decimal? Exempt = null, string? IssuerName = null);

/// <summary>The verdict on a received DTE.</summary>
/// <param name="Verdict">Accept, review or reject.</param>
/// <param name="Confidence">0-100: how sure the service is that the document can be accepted.</param>
/// <param name="Findings">The document's own findings and the history's (codes <c>RECEPTION_*</c>).</param>
/// <param name="HistoryCompared">Earlier amounts of the same kind that its amount was compared with.</param>
public sealed record ReceivedDteResult(DteVerdict Verdict, int Confidence, IReadOnlyList<DteFinding> Findings, int HistoryCompared);

public sealed partial class AiGrpcValidationClient
{
    /// <summary>
    /// Checks a DTE received from a supplier: its own content, and how it compares with the same supplier's earlier
    /// DTEs (a folio already received, an amount far outside the supplier's usual range, a date out of sequence).
    /// </summary>
    /// <param name="document">The DTE received.</param>
    /// <param name="history">The same supplier's earlier DTEs (at most 100).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Grpc.Core.RpcException">The call failed (e.g. <c>INVALID_ARGUMENT</c> for more than 100 earlier DTEs).</exception>
    public async Task<ReceivedDteResult> ValidateReceivedAsync(ReceivedDteInput document, IEnumerable<ReceivedDteInput> history, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(history);
        var request = new ValidateReceivedDteRequest { Document = ToProto(document) };
        request.History.AddRange(history.Select(ToProto));
        var response = await _client.ValidateReceivedDteAsync(request, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return new ReceivedDteResult(Map(response.Verdict), response.Confidence, [.. response.Findings.Select(Map)], response.HistoryCompared);
    }

    private static ReceivedDte ToProto(ReceivedDteInput d)
    {
        var dte = new ReceivedDte
        {
            DocumentType = d.DocumentType,
            Folio = d.Folio ?? 0,
            IssueDate = d.IssueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            IssuerRut = d.IssuerRut ?? string.Empty,
            IssuerName = d.IssuerName ?? string.Empty,
        };
        if (d.Total is { } total)
        {
            dte.Total = (double)total;
        }

        if (d.Net is { } net)
        {
            dte.Net = (double)net;
        }

        if (d.Vat is { } vat)
        {
            dte.Vat = (double)vat;
        }

        if (d.Exempt is { } exempt)
        {
            dte.Exempt = (double)exempt;
        }

        return dte;
    }
}
