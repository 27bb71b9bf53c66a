using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGrpc.TestKit.Payroll;
using Grpc.Core;

namespace AiGrpc.IntegrationTests.Payroll;

/// <summary>
/// The Odoo module's two payroll calls (<c>POST /api/payroll/validate</c>, <c>GET /api/payroll/indicators/{YYYY-MM}</c>)
/// over REST, in the exact shapes the module sends and reads.
/// </summary>
public class PayrollLegacyApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> CaseIds() => [.. PayslipFixtures.All.Keys];

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string json, string path = "/api/payroll/validate")
    {
        using var client = app.CreateRestClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(string path)
    {
        using var client = app.CreateRestClient();
        using var response = await client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private static List<string> Codes(JsonObject answer) =>
        [.. answer["errors"]!.AsArray().Concat(answer["warnings"]!.AsArray()).Select(m => m!.GetValue<string>().Split(':')[0]).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Every_hand_worked_payslip_gets_its_codes_in_the_modules_shape(string id)
    {
        var fixture = PayslipFixtures.All[id];
        var (status, answer) = await PostAsync(fixture.BodyJson);

        Assert.True(status == HttpStatusCode.OK, $"{id}: {status} {answer.ToJsonString()}");
        Assert.Equal(["success", "confidence", "errors", "warnings", "recommendation"], answer.Select(p => p.Key));
        Assert.True(answer["success"]!.GetValue<bool>());
        Assert.Equal(fixture.Recommendation, answer["recommendation"]!.GetValue<string>());
        Assert.Equal(fixture.ExpectedCodes, Codes(answer));
        var confidence = answer["confidence"]!.GetValue<int>();
        Assert.InRange(confidence, fixture.Recommendation switch { "approve" => 85, "review" => 50, _ => 0 }, fixture.Recommendation switch { "approve" => 100, "review" => 84, _ => 49 });
        if (id.StartsWith("ok-", StringComparison.Ordinal))
        {
            Assert.Empty(answer["errors"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_correct_payslip_has_no_error_and_a_seeded_mistake_returns_its_code_with_the_amounts()
    {
        var (_, ok) = await PostAsync(PayslipFixtures.All["ok-full-month-habitat-fonasa"].BodyJson);
        Assert.Equal("approve", ok["recommendation"]!.GetValue<string>());
        Assert.Equal(100, ok["confidence"]!.GetValue<int>());
        Assert.Empty(ok["errors"]!.AsArray());
        Assert.Empty(ok["warnings"]!.AsArray());

        var (_, wrong) = await PostAsync(PayslipFixtures.All["err-fonasa-not-7"].BodyJson);
        Assert.Equal("reject", wrong["recommendation"]!.GetValue<string>());
        var error = Assert.Single(wrong["errors"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith("HEALTH_AMOUNT_MISMATCH: ", error, StringComparison.Ordinal);
        Assert.Contains("Fonasa", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Odoos_false_numeric_text_and_category_pairs_are_read_as_the_module_means_them()
    {
        var body = PayslipFixtures.All["ok-full-month-habitat-fonasa"].Body();
        body["employee_id"] = "1";
        body["employee_name"] = false;
        body["wage"] = "1500000.0";
        body["total_imponible"] = "1709396.0";
        body["date_to"] = "2025-10-31 23:59:59";
        var lines = body["lines"]!.AsArray();
        lines[0]!["category"] = new JsonArray(3, "Básico");
        lines[1]!["total"] = false;
        lines[2]!["name"] = false;
        lines[3]!["amount"] = "40000";
        body["extra_key_from_a_newer_module"] = new JsonObject { ["x"] = 1 };

        var (status, answer) = await PostAsync(body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, answer.ToJsonString());
        Assert.Equal("approve", answer["recommendation"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "no wage", "wage" },
        { "period 2025-13", "period" },
        { "no lines", "lines" },
        { "a word as an amount", "lines[2].amount" },
        { "false as an amount", "lines[4].amount" },
        { "an object as a code", "lines[1].code" },
        { "employee 0", "employee_id" },
        { "a date that is not one", "date_from" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_payslip_body_is_400_naming_the_field(string mistake, string field)
    {
        var body = PayslipFixtures.All["ok-full-month-habitat-fonasa"].Body();
        var lines = body["lines"]!.AsArray();
        switch (mistake)
        {
            case "no wage": body.Remove("wage"); break;
            case "period 2025-13": body["period"] = "2025-13"; break;
            case "no lines": body["lines"] = new JsonArray(); break;
            case "a word as an amount": lines[2]!["amount"] = "cincuenta mil"; break;
            case "false as an amount": lines[4]!["amount"] = false; break;
            case "an object as a code": lines[1]!["code"] = new JsonObject { ["x"] = 1 }; break;
            case "employee 0": body["employee_id"] = 0; break;
            case "a date that is not one": body["date_from"] = "1/10/2025"; break;
        }

        var (status, error) = await PostAsync(body.ToJsonString());
        Assert.True(status == HttpStatusCode.BadRequest, $"{mistake}: {status} {error.ToJsonString()}");
        Assert.Equal((int)StatusCode.InvalidArgument, error["code"]!.GetValue<int>());
        var violation = error["details"]![0]!["fieldViolations"]![0]!;
        Assert.Equal(field, violation["field"]!.GetValue<string>());
        Assert.Contains($"'{field}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task October_2025_answers_its_figures_by_the_modules_key_names_and_force_is_ignored()
    {
        var (status, answer) = await GetAsync("/api/payroll/indicators/2025-10");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["success", "indicators", "metadata"], answer.Select(p => p.Key));
        Assert.True(answer["success"]!.GetValue<bool>());
        var indicators = answer["indicators"]!.AsObject();
        Assert.Equal(39597.67m, indicators["uf"]!.GetValue<decimal>());
        Assert.Equal(69265m, indicators["utm"]!.GetValue<decimal>());
        Assert.Equal(831180m, indicators["uta"]!.GetValue<decimal>());
        Assert.Equal(529000m, indicators["sueldo_minimo"]!.GetValue<decimal>());
        Assert.Equal(87.8m, indicators["afp_tope_uf"]!.GetValue<decimal>());
        Assert.Equal(0.46m, indicators["afp_uno_comision_pct"]!.GetValue<decimal>());
        Assert.Equal(10.46m, indicators["afp_uno_tasa_pct"]!.GetValue<decimal>());
        Assert.All(indicators, i => Assert.Equal(JsonValueKind.Number, i.Value!.GetValueKind()));

        // Not sourced for October 2025: left out and listed, never 0.
        Assert.False(indicators.ContainsKey("asig_fam_tramo_1"));
        Assert.False(indicators.ContainsKey("sis_pct"));
        var metadata = answer["metadata"]!.AsObject();
        Assert.Equal("2025-10", metadata["period"]!.GetValue<string>());
        Assert.Contains("asig_fam_tramo_1", metadata["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Contains("sii.cl", metadata["sources"]!["uf"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var force in (string[])["?force=true", "?force=True", "?force=1&other=x"])
        {
            var (again, forced) = await GetAsync("/api/payroll/indicators/2025-10" + force);
            Assert.Equal(HttpStatusCode.OK, again);
            Assert.Equal(answer.ToJsonString(), forced.ToJsonString());
        }
    }

    [Fact]
    public async Task A_month_the_store_does_not_hold_is_404_with_a_clear_message_never_numbers()
    {
        foreach (var path in (string[])["/api/payroll/indicators/2019-01", "/api/payroll/indicators/2019-01?force=true", "/api/v1/payroll/indicators/2019-01"])
        {
            var (status, error) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal((int)StatusCode.NotFound, error["code"]!.GetValue<int>());
            var message = error["message"]!.GetValue<string>();
            Assert.Contains("2019-01", message, StringComparison.Ordinal);
            Assert.Contains("2024-01 a 2026-09", message, StringComparison.Ordinal);
            Assert.False(error.ContainsKey("indicators"));
        }
    }

    [Fact]
    public async Task A_month_whose_key_figures_are_not_sourced_is_success_false_with_detail()
    {
        // June 2025: the UTM (and so the UTA) has no source; the UF and the minimum wage do.
        var (status, answer) = await GetAsync("/api/payroll/indicators/2025-06");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(answer["success"]!.GetValue<bool>());
        var indicators = answer["indicators"]!.AsObject();
        Assert.False(indicators.ContainsKey("utm"));
        Assert.False(indicators.ContainsKey("uta"));
        Assert.Equal(529000m, indicators["sueldo_minimo"]!.GetValue<decimal>());
        Assert.Contains("utm", answer["metadata"]!["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
        var detail = answer["detail"]!.GetValue<string>();
        Assert.Contains("utm", detail, StringComparison.Ordinal);
        Assert.Contains("2025-06", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/payroll/indicators/2025-13")]
    [InlineData("/api/payroll/indicators/octubre")]
    [InlineData("/api/v1/payroll/indicators/2025-1")]
    public async Task A_period_that_is_not_a_month_is_400(string path)
    {
        var (status, error) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("period", error["details"]![0]!["fieldViolations"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_payroll_routes_need_a_key()
    {
        using var client = app.CreateRestClient(apiKey: null);
        using var content = new StringContent(PayslipFixtures.All["ok-full-month-habitat-fonasa"].BodyJson, Encoding.UTF8, "application/json");
        using var validate = await client.PostAsync("/api/payroll/validate", content, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, validate.StatusCode);
        using var indicators = await client.GetAsync("/api/payroll/indicators/2025-10", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, indicators.StatusCode);
    }
}
