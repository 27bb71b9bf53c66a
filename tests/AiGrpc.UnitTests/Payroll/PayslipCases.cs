using System.Text.Json;
using AiGrpc.Payroll.Indicators;
using AiGrpc.TestKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>One hand-worked payslip of <c>tests/data/payroll/payslips.json</c>.</summary>
/// <param name="Id">Unique id; its prefix says the expectation (<c>ok-</c>, <c>warn-</c>, <c>err-</c>).</param>
/// <param name="Month">The indicator month the engine is given, or null for a month the store does not have.</param>
/// <param name="Body">The module's request body.</param>
/// <param name="ExpectedCodes">Every finding code expected, with repeats, sorted.</param>
/// <param name="Recommendation"><c>approve</c>, <c>review</c> or <c>reject</c>.</param>
/// <param name="ExpectedAmounts">For some codes, the amount the finding must give as expected.</param>
/// <param name="Why">The arithmetic, from the law.</param>
public sealed record PayslipCase(
    string Id,
    PayrollPeriod? Month,
    JsonElement Body,
    IReadOnlyList<string> ExpectedCodes,
    string Recommendation,
    IReadOnlyDictionary<string, decimal> ExpectedAmounts,
    string Why);

/// <summary>Loads the hand-worked payslips once.</summary>
public static class PayslipCases
{
    public static string File { get; } = Path.Combine(SharedData.RepositoryRoot, "tests", "data", "payroll", "payslips.json");

    private static readonly Lazy<Dictionary<string, PayslipCase>> Cases = new(Load);

    public static IReadOnlyDictionary<string, PayslipCase> All => Cases.Value;

    private static Dictionary<string, PayslipCase> Load()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(File));
        var cases = new Dictionary<string, PayslipCase>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var month = item.GetProperty("month");
            var amounts = item.TryGetProperty("finding_expected", out var expected)
                ? expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal())
                : [];
            var id = item.GetProperty("id").GetString()!;
            cases.Add(id, new PayslipCase(
                id,
                month.ValueKind == JsonValueKind.Null ? null : PayrollPeriod.Parse(month.GetString()!),
                item.GetProperty("body").Clone(),
                [.. item.GetProperty("expected_codes").EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal)],
                item.GetProperty("recommendation").GetString()!,
                amounts,
                item.GetProperty("why").GetString()!));
        }

        return cases;
    }
}
