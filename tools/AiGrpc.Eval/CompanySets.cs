using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiGrpc.Server.Analytics.Engine;

namespace AiGrpc.Eval;

/// <summary>
/// Company files (<c>tests/data/analytics/{blind,training}/*.json</c>): bills of several companies written outside the
/// team (see each folder's README). Each company is a <see cref="DevSet"/> of its own: its projects, its history, its
/// bills. The blind companies are frozen: they measure, they never fit or choose anything; the training companies fit
/// the weights and the abstention thresholds.
/// </summary>
public static class CompanySets
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The folder <c>tests/data/analytics/<paramref name="name"/></c> in the repository, or null when absent.</summary>
    public static string? Directory(string name)
    {
        var dir = Path.Combine(Path.GetDirectoryName(DevSet.DefaultPath())!, name);
        return System.IO.Directory.Exists(dir) ? dir : null;
    }

    /// <summary>Every company file of <paramref name="directory"/>, by file name.</summary>
    public static IReadOnlyList<(string Company, DevSet Set)> Load(string directory) =>
        [.. System.IO.Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileNameWithoutExtension(f), LoadCompany(f)))];

    private static DevSet LoadCompany(string path)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<FileShape>(stream, Json) ?? throw new InvalidDataException($"Empty blind file {path}.");
        return new DevSet
        {
            Projects = [.. file.Projects.Select(p => new ProjectCandidate(p.Id, p.Code, p.Name, p.Description, p.Client, p.Location, Date(p.StartDate), Date(p.EndDate), p.Budget, p.Keywords ?? []))],
            History = [.. file.History.Select(h => new PastInvoice(h.SupplierRut, h.SupplierName, h.Description, h.ProjectId))],
            Cases = [.. file.Bills.Select((b, i) => new DevCase(
                b.Id, i, string.Join('+', b.Difficulty ?? []),
                new InvoiceToMatch(b.InvoiceDescription, b.SupplierRut, b.SupplierName, b.Amount, Date(b.IssueDate), b.PurchaseOrder,
                    [.. (b.Lines ?? []).Select(l => new InvoiceLine(l.Description ?? string.Empty, l.Quantity, l.Unit, l.UnitPrice))]),
                b.ExpectedProjectId))],
        };
    }

    private static DateOnly? Date(string? s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private sealed record FileShape(List<ProjectShape> Projects, List<HistoryShape> History, List<BillShape> Bills);

    private sealed record ProjectShape(int Id, string? Code, string? Name, string? Description, string? Client, string? Location,
        string? StartDate, string? EndDate, decimal? Budget, List<string>? Keywords);

    private sealed record HistoryShape(string? SupplierRut, string? SupplierName, string? Description, int? ProjectId);

    private sealed record LineShape(string? Description, decimal? Quantity, string? Unit, decimal? UnitPrice);

    private sealed record BillShape(string Id, string? InvoiceDescription, string? SupplierRut, string? SupplierName,
        decimal? Amount, string? IssueDate, string? PurchaseOrder, List<LineShape>? Lines,
        [property: JsonPropertyName("expected_project_id")] int? ExpectedProjectId, List<string>? Difficulty);
}
