using System.Text.Json.Nodes;

namespace AiGrpc.TestKit.Payroll;

/// <summary>One hand-worked payslip of <c>tests/data/payroll/payslips.json</c>, as the transport layers need it.</summary>
/// <param name="Id">Unique id; its prefix says the expectation (<c>ok-</c>, <c>warn-</c>, <c>err-</c>).</param>
/// <param name="Month">The indicator month the engine is given (<c>YYYY-MM</c>), or null for a month the store does not have.</param>
/// <param name="BodyJson">The module's request body, exactly as in the file.</param>
/// <param name="ExpectedCodes">Every finding code expected, with repeats, sorted.</param>
/// <param name="Recommendation"><c>approve</c>, <c>review</c> or <c>reject</c>.</param>
public sealed record PayslipFixture(string Id, string? Month, string BodyJson, IReadOnlyList<string> ExpectedCodes, string Recommendation)
{
    /// <summary>A fresh, editable copy of the body.</summary>
    public JsonObject Body() => JsonNode.Parse(BodyJson)!.AsObject();
}

/// <summary>The hand-worked payslips (read once), for tests that send them over REST, gRPC or the client library.</summary>
public static class PayslipFixtures
{
    private static readonly Lazy<IReadOnlyDictionary<string, PayslipFixture>> Cases = new(Load);

    /// <summary>Every case by id.</summary>
    public static IReadOnlyDictionary<string, PayslipFixture> All => Cases.Value;

    private static Dictionary<string, PayslipFixture> Load()
    {
        var file = Path.Combine(SharedData.RepositoryRoot, "tests", "data", "payroll", "payslips.json");
        var cases = new Dictionary<string, PayslipFixture>(StringComparer.Ordinal);
        foreach (var item in JsonNode.Parse(File.ReadAllText(file))!["cases"]!.AsArray())
        {
            var id = item!["id"]!.GetValue<string>();
            cases.Add(id, new PayslipFixture(
                id,
                item["month"]?.GetValue<string>(),
                item["body"]!.ToJsonString(),
                [.. item["expected_codes"]!.AsArray().Select(c => c!.GetValue<string>()).Order(StringComparer.Ordinal)],
                item["recommendation"]!.GetValue<string>()));
        }

        return cases;
    }
}
