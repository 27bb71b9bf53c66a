using System.Text.Json;
using System.Text.Json.Serialization;

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

    /// <summary>Every company file of <c>tests/data/analytics/<paramref name="name"/></c>, or none when the folder is absent.</summary>
    public static IReadOnlyList<(string Company, DevSet Set)> LoadIfPresent(string name) =>
        Directory(name) is { } dir ? Load(dir) : [];

    /// <summary>Every company file of <paramref name="directory"/>, by file name.</summary>
    public static IReadOnlyList<(string Company, DevSet Set)> Load(string directory) =>
        [.. System.IO.Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileNameWithoutExtension(f), LoadCompany(f)))];

    private static DevSet LoadCompany(string path)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<FileShape>(stream, Json) ?? throw new InvalidDataException($"Empty company file {path}.");
        return new DevSet
        {
            Projects = [.. file.Projects.Select(DevSet.ToProject)],
            History = [.. file.History.Select(DevSet.ToAssignedInvoice)],
            Cases = [.. file.Bills.Select((b, i) => new DevCase(
                b.Id, i, string.Join('+', b.Difficulty ?? []),
                DevSet.ToInvoice(b.InvoiceDescription, b.SupplierRut, b.SupplierName, b.Amount, b.IssueDate, b.PurchaseOrder, b.Lines),
                b.ExpectedProjectId))],
        };
    }

    private sealed record FileShape(List<DevSet.ProjectShape> Projects, List<DevSet.HistoryShape> History, List<BillShape> Bills);

    private sealed record BillShape(string Id, string? InvoiceDescription, string? SupplierRut, string? SupplierName,
        decimal? Amount, string? IssueDate, string? PurchaseOrder, List<DevSet.LineShape>? Lines,
        [property: JsonPropertyName("expected_project_id")] int? ExpectedProjectId, List<string>? Difficulty);
}
