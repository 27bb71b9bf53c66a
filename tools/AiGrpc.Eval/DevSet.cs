using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiGrpc.Analytics.Matching;

namespace AiGrpc.Eval;

/// <summary>The labelled development set (<c>tests/data/analytics/devset.json</c>), as engine records.</summary>
public sealed class DevSet
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public required IReadOnlyList<ProjectCandidate> Projects { get; init; }

    public required IReadOnlyList<AssignedInvoice> History { get; init; }

    public required IReadOnlyList<DevCase> Cases { get; init; }

    /// <summary>Cases used to fit weights (even numbers); the others are held out.</summary>
    public IEnumerable<DevCase> Training => Cases.Where(c => c.Number % 2 == 0);

    /// <summary>Held-out cases (odd numbers).</summary>
    public IEnumerable<DevCase> HeldOut => Cases.Where(c => c.Number % 2 == 1);

    /// <summary>The file in the repository, found from the working directory or the binaries upwards.</summary>
    public static string DefaultPath()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "tests", "data", "analytics", "devset.json");
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new FileNotFoundException("tests/data/analytics/devset.json not found above the working directory.");
    }

    public static DevSet Load(string? path = null)
    {
        using var stream = File.OpenRead(path ?? DefaultPath());
        var file = JsonSerializer.Deserialize<FileShape>(stream, Json) ?? throw new InvalidDataException("Empty dev set.");
        return new DevSet
        {
            Projects = [.. file.Projects.Select(ToProject)],
            History = [.. file.History.Select(ToAssignedInvoice)],
            Cases = [.. file.Cases.Select(c => new DevCase(
                c.Id, int.Parse(c.Id.AsSpan(1), CultureInfo.InvariantCulture), c.Kind,
                ToInvoice(c.InvoiceDescription, c.SupplierRut, c.SupplierName, c.Amount, c.IssueDate, c.PurchaseOrder, c.Lines),
                c.ExpectedProjectId))],
        };
    }

    // The JSON shapes and their engine records, shared with the company files (CompanySets), which use the same ones.
    internal static ProjectCandidate ToProject(ProjectShape p) =>
        new(p.Id, p.Code, p.Name, p.Description, p.Client, p.Location, Date(p.StartDate), Date(p.EndDate), p.Budget, p.Keywords ?? []);

    internal static AssignedInvoice ToAssignedInvoice(HistoryShape h) => new(h.SupplierRut, h.SupplierName, h.Description, h.ProjectId);

    internal static InvoiceToMatch ToInvoice(string? description, string? supplierRut, string? supplierName, decimal? amount, string? issueDate, string? purchaseOrder, List<LineShape>? lines) =>
        new(description, supplierRut, supplierName, amount, Date(issueDate), purchaseOrder,
            [.. (lines ?? []).Select(l => new InvoiceLineToMatch(l.Description ?? string.Empty, l.Quantity, l.Unit, l.UnitPrice))]);

    private static DateOnly? Date(string? s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private sealed record FileShape(List<ProjectShape> Projects, List<HistoryShape> History, List<CaseShape> Cases);

    internal sealed record ProjectShape(int Id, string? Code, string? Name, string? Description, string? Client, string? Location,
        string? StartDate, string? EndDate, decimal? Budget, List<string>? Keywords);

    internal sealed record HistoryShape(string? SupplierRut, string? SupplierName, string? Description, int? ProjectId);

    internal sealed record LineShape(string? Description, decimal? Quantity, string? Unit, decimal? UnitPrice);

    private sealed record CaseShape(string Id, string Kind, string? InvoiceDescription, string? SupplierRut, string? SupplierName,
        decimal? Amount, string? IssueDate, string? PurchaseOrder, List<LineShape>? Lines,
        [property: JsonPropertyName("expected_project_id")] int? ExpectedProjectId);
}

/// <summary>One labelled invoice.</summary>
/// <param name="Id">Case id (C001…).</param>
/// <param name="Number">Its number.</param>
/// <param name="Kind">Evidence it exercises (reference, supplier_history, text, look_alike, date, no_project, typos).</param>
/// <param name="Invoice">The invoice.</param>
/// <param name="Expected">The right project, or null for no project.</param>
public sealed record DevCase(string Id, int Number, string Kind, InvoiceToMatch Invoice, int? Expected);
