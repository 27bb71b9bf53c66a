using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AiGrpc.Client;
using AiGrpc.Payroll.V1;
using AiGrpc.TestKit.Payroll;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiGrpc.IntegrationTests.Payroll;

/// <summary>The typed payroll routes over REST and gRPC, the upsert, and who may call what.</summary>
public class PayrollApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string PayrollKey = "payroll-only-key-0123456789";
    private const string AdminKey = "admin-only-key-0123456789";
    private const string ValidationKey = "validation-only-key-0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata Auth(string key = AppFactory.ApiKey) => new() { { "authorization", "Bearer " + key } };

    /// <summary>A fresh host (its own indicator store) with keys of one scope each.</summary>
    private WebApplicationFactory<Program> Scoped() => app.WithWebHostBuilder(b =>
    {
        foreach (var (caller, key, scope) in new[] { ("clerk", PayrollKey, "payroll"), ("operator", AdminKey, "admin"), ("erp", ValidationKey, "validation") })
        {
            b.UseSetting($"Auth:Callers:{caller}:Keys:0", key);
            b.UseSetting($"Auth:Callers:{caller}:Scopes:0", scope);
        }
    });

    private static HttpClient Rest(WebApplicationFactory<Program> host, string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>January 2019 as an administrator would load it (the store has no 2019).</summary>
    private static JsonObject January2019() => new()
    {
        ["uf_last_day"] = new JsonObject { ["value"] = 27565.79, ["source"] = "SII, Valores y fechas - UF, 31-01-2019" },
        ["utm"] = new JsonObject { ["value"] = 48353, ["source"] = "SII, UTM - UTA - IPC 2019" },
        ["uta"] = new JsonObject { ["value"] = 580236, ["source"] = "SII, UTM - UTA - IPC 2019", ["basis"] = "derived" },
        ["minimum_wage"] = new JsonObject { ["value"] = 288000, ["source"] = "Ley 21.112", ["basis"] = "in_force" },
        ["minimum_wage_law"] = "Ley N° 21.112",
        ["afp_commissions_percent"] = new JsonObject
        {
            ["percent"] = new JsonObject { ["Habitat"] = 1.27, ["Modelo"] = 0.77 },
            ["source"] = "Superintendencia de Pensiones, comisiones 2019",
        },
    };

    [Fact]
    public async Task Typed_rest_validate_returns_each_finding_with_its_legal_source_and_amounts()
    {
        using var client = app.CreateRestClient();
        using var content = new StringContent(PayslipFixtures.All["err-fonasa-not-7"].BodyJson, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/payroll/payslips:validate", content, Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("RECOMMENDATION_REJECT", body["recommendation"]!.GetValue<string>());
        Assert.InRange(body["confidence"]!.GetValue<int>(), 0, 49);
        var finding = Assert.Single(body["findings"]!.AsArray())!;
        Assert.Equal("HEALTH_AMOUNT_MISMATCH", finding["code"]!.GetValue<string>());
        Assert.Equal("FINDING_SEVERITY_ERROR", finding["severity"]!.GetValue<string>());
        Assert.Equal("SALUD", finding["line"]!.GetValue<string>());
        Assert.Contains("18.469", finding["legal_source"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(84658m, finding["expected"]!.GetValue<decimal>());
        Assert.Equal(72564m, finding["actual"]!.GetValue<decimal>());
        Assert.Contains("cotizacion_salud", body["rules_run"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Typed_rest_indicators_carry_each_figures_source_and_the_missing_ones()
    {
        using var client = app.CreateRestClient();
        var body = await client.GetFromJsonAsync<JsonObject>("/api/v1/payroll/indicators/2025-10", Ct);
        var indicators = body!["indicators"]!;
        Assert.Equal("2025-10", indicators["period"]!.GetValue<string>());
        Assert.Equal(39597.67m, indicators["uf_last_day"]!["value"]!.GetValue<decimal>());
        Assert.Contains("sii.cl", indicators["uf_last_day"]!["source"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("derived", indicators["utm"]!["basis"]!.GetValue<string>());
        Assert.Equal(0.46m, indicators["afp_commissions_percent"]!["percent"]!["Uno"]!.GetValue<decimal>());
        Assert.Equal(8, indicators["income_tax_brackets"]!["brackets"]!.AsArray().Count);
        Assert.Null(indicators["family_allowance_brackets"]);
        Assert.Equal(["family_allowance_brackets", "sis_percent", "uf_first_day"], body["missing"]!.AsArray().Select(m => m!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_upserted_month_is_read_back_on_every_route_and_used_to_validate()
    {
        await using var host = Scoped();
        using var admin = Rest(host, AdminKey);
        using var clerk = Rest(host, PayrollKey);

        using (var before = await clerk.GetAsync("/api/payroll/indicators/2019-01", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using var put = await admin.PutAsJsonAsync("/api/v1/payroll/indicators/2019-01", January2019(), Ct);
        var stored = JsonNode.Parse(await put.Content.ReadAsStringAsync(Ct))!;
        Assert.True(put.StatusCode == HttpStatusCode.OK, stored.ToJsonString());
        Assert.Equal("2019-01", stored["indicators"]!["period"]!.GetValue<string>());
        Assert.Equal("observed", stored["indicators"]!["utm"]!["basis"]!.GetValue<string>());
        Assert.Contains("income_tax_brackets", stored["missing"]!.AsArray().Select(m => m!.GetValue<string>()));

        var typed = await clerk.GetFromJsonAsync<JsonObject>("/api/v1/payroll/indicators/2019-01", Ct);
        Assert.Equal(48353m, typed!["indicators"]!["utm"]!["value"]!.GetValue<decimal>());
        Assert.Equal("Ley N° 21.112", typed["indicators"]!["minimum_wage_law"]!.GetValue<string>());

        var legacy = await clerk.GetFromJsonAsync<JsonObject>("/api/payroll/indicators/2019-01", Ct);
        Assert.True(legacy!["success"]!.GetValue<bool>());
        Assert.Equal(27565.79m, legacy["indicators"]!["uf"]!.GetValue<decimal>());
        Assert.Equal(288000m, legacy["indicators"]!["sueldo_minimo"]!.GetValue<decimal>());
        Assert.Equal(11.27m, legacy["indicators"]!["afp_habitat_tasa_pct"]!.GetValue<decimal>());

        // A 2019 payslip below the 2019 minimum: the upserted month is the one the rules use.
        var payslip = PayslipFixtures.All["ok-minimum-wage-modelo"].Body();
        payslip["period"] = "2019-01";
        payslip["date_from"] = "2019-01-01";
        payslip["date_to"] = "2019-01-31";
        payslip["wage"] = 250000;
        using var content = new StringContent(payslip.ToJsonString(), Encoding.UTF8, "application/json");
        using var validate = await clerk.PostAsync("/api/payroll/validate", content, Ct);
        var answer = JsonNode.Parse(await validate.Content.ReadAsStringAsync(Ct))!;
        Assert.Contains(answer["errors"]!.AsArray(), e => e!.GetValue<string>().StartsWith("MINIMUM_WAGE_BELOW: ", StringComparison.Ordinal));
        Assert.DoesNotContain(answer["warnings"]!.AsArray(), w => w!.GetValue<string>().StartsWith("INDICATORS_NOT_AVAILABLE", StringComparison.Ordinal));

        // Upserting the same month again replaces it (idempotent).
        using var again = await admin.PutAsJsonAsync("/api/v1/payroll/indicators/2019-01", January2019(), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory]
    [InlineData("utm", "indicators.utm.source")]
    [InlineData("basis", "indicators.uta.basis")]
    [InlineData("negative", "indicators.minimum_wage.value")]
    [InlineData("period", "indicators.period")]
    [InlineData("afp", "indicators.afp_commissions_percent.percent")]
    public async Task An_upsert_with_a_figure_that_is_not_sourced_or_not_a_figure_is_400_naming_it(string mistake, string field)
    {
        await using var host = Scoped();
        using var admin = Rest(host, AdminKey);
        var month = January2019();
        switch (mistake)
        {
            case "utm": month["utm"]!.AsObject().Remove("source"); break;
            case "basis": month["uta"]!["basis"] = "guessed"; break;
            case "negative": month["minimum_wage"]!["value"] = -1; break;
            case "period": month["period"] = "2019-02"; break;
            case "afp": month["afp_commissions_percent"]!["percent"] = new JsonObject(); break;
        }

        using var put = await admin.PutAsJsonAsync("/api/v1/payroll/indicators/2019-01", month, Ct);
        var error = JsonNode.Parse(await put.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains(error["details"]![0]!["fieldViolations"]!.AsArray(), v => v!["field"]!.GetValue<string>() == field);

        // Nothing was stored.
        using var clerk = Rest(host, AppFactory.ApiKey);
        using var read = await clerk.GetAsync("/api/payroll/indicators/2019-01", Ct);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task A_payroll_key_validates_and_reads_but_its_upsert_is_refused_on_both_protocols()
    {
        await using var host = Scoped();
        using var clerk = Rest(host, PayrollKey);
        using var content = new StringContent(PayslipFixtures.All["ok-full-month-habitat-fonasa"].BodyJson, Encoding.UTF8, "application/json");
        using (var validate = await clerk.PostAsync("/api/payroll/validate", content, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        }

        using (var read = await clerk.GetAsync("/api/payroll/indicators/2025-10", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var put = await clerk.PutAsJsonAsync("/api/v1/payroll/indicators/2019-01", January2019(), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        var body = JsonNode.Parse(await put.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal((int)StatusCode.PermissionDenied, body["code"]!.GetValue<int>());
        Assert.Contains("'admin'", body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(host.Server.BaseAddress, new() { HttpHandler = host.Server.CreateHandler() });
        var grpc = new PayrollService.PayrollServiceClient(channel);
        var refused = await Assert.ThrowsAsync<RpcException>(() => grpc.UpsertIndicatorsAsync(
            new UpsertIndicatorsRequest { Period = "2019-01", Indicators = new MonthlyIndicators { Utm = new SourcedValue { Value = 48353, Source = "SII" } } },
            Auth(PayrollKey), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var allowed = await grpc.GetIndicatorsAsync(new GetIndicatorsRequest { Period = "2025-10" }, Auth(PayrollKey), cancellationToken: Ct);
        Assert.Equal(69265d, allowed.Indicators.Utm.Value);

        using var stillMissing = await clerk.GetAsync("/api/payroll/indicators/2019-01", Ct);
        Assert.Equal(HttpStatusCode.NotFound, stillMissing.StatusCode);
    }

    [Fact]
    public async Task An_admin_key_upserts_but_does_not_validate_and_other_scopes_get_no_payroll()
    {
        await using var host = Scoped();
        using var admin = Rest(host, AdminKey);
        using (var put = await admin.PutAsJsonAsync("/api/v1/payroll/indicators/2019-01", January2019(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var body = new StringContent(PayslipFixtures.All["ok-full-month-habitat-fonasa"].BodyJson, Encoding.UTF8, "application/json");
        using (var validate = await admin.PostAsync("/api/payroll/validate", body, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, validate.StatusCode);
        }

        using var erp = Rest(host, ValidationKey);
        using (var read = await erp.GetAsync("/api/payroll/indicators/2025-10", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        }

        using var put2 = await erp.PutAsJsonAsync("/api/v1/payroll/indicators/2019-01", January2019(), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, put2.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_payroll_routes_from_the_proto_comments()
    {
        using var client = app.CreateRestClient(apiKey: null);
        using var response = await client.GetAsync("/swagger/v1/swagger.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["paths"]!.AsObject();
        Assert.Contains("Odoo module's `POST /api/payroll/validate`", paths["/api/payroll/validate"]!["post"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(paths["/api/payroll/indicators/{period}"]!["get"]);
        Assert.NotNull(paths["/api/v1/payroll/payslips:validate"]!["post"]);
        Assert.NotNull(paths["/api/v1/payroll/indicators/{period}"]!["get"]);
        Assert.Contains("`admin` scope", paths["/api/v1/payroll/indicators/{period}"]!["put"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_validates_reads_and_refuses_bad_input_with_the_field()
    {
        using var channel = app.CreateChannel();
        var client = new PayrollService.PayrollServiceClient(channel);
        var payslip = JsonParser.Default.Parse<Payslip>(PayslipFixtures.All["err-afp-wrong-commission"].BodyJson);

        var result = await client.ValidatePayslipAsync(new ValidatePayslipRequest { Payslip = payslip }, Auth(), cancellationToken: Ct);
        Assert.Equal(Recommendation.Reject, result.Recommendation);
        Assert.Equal(["AFP_AMOUNT_MISMATCH", "INCOME_TAX_MISMATCH"], result.Findings.Select(f => f.Code).Order(StringComparer.Ordinal));

        var legacy = await client.ValidatePayslipLegacyAsync(new ValidatePayslipLegacyRequest { Payslip = payslip }, Auth(), cancellationToken: Ct);
        Assert.Equal("reject", legacy.Recommendation);
        Assert.True(legacy.Success);

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetIndicatorsAsync(new GetIndicatorsRequest { Period = "2019-01" }, Auth(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("2019-01", missing.Status.Detail, StringComparison.Ordinal);

        payslip.Lines[3].ClearAmount();
        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.ValidatePayslipAsync(new ValidatePayslipRequest { Payslip = payslip }, Auth(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var violation = Assert.Single(invalid.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations);
        Assert.Equal("lines[3].amount", violation.Field);

        var none = await Assert.ThrowsAsync<RpcException>(() => client.ValidatePayslipAsync(new ValidatePayslipRequest(), Auth(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, none.StatusCode);
    }

    [Fact]
    public async Task The_client_library_validates_reads_and_upserts()
    {
        await using var host = Scoped();
        using var clerk = AiGrpcClientFactory.Create(new AiGrpcClientOptions { Address = host.Server.BaseAddress, ApiKey = PayrollKey }, host.Server.CreateHandler());
        using var admin = AiGrpcClientFactory.Create(new AiGrpcClientOptions { Address = host.Server.BaseAddress, ApiKey = AdminKey }, host.Server.CreateHandler());

        PayslipLineInput[] lines =
        [
            new("BASIC", 1_500_000m, "Sueldo Base"), new("GRAT_SOPA", 209_396m, "Gratificación Legal"),
            new("AFP", -192_649m, "AFP Habitat"), new("SALUD", -119_658m, "Fonasa 7%"), new("AFC", -10_256m, "Seguro de Cesantía (plazo indefinido)"),
            new("IMPUESTO_UNICO", -18_070m, "Impuesto Único"),
        ];
        var payslip = new PayslipInput(7, "2025-10", 1_500_000m, lines, TotalImponible: 1_709_396m, TotalHaberes: 1_709_396m, TotalDescuentos: 340_633m, TotalLiquido: 1_368_763m);
        var ok = await clerk.Payroll.ValidatePayslipAsync(payslip, Ct);
        Assert.True(ok.Recommendation == PayslipRecommendation.Approve, string.Join("; ", ok.Findings.Select(f => f.Message)));
        Assert.Equal(100, ok.Confidence);

        var wrong = await clerk.Payroll.ValidatePayslipAsync(payslip with { Lines = [.. lines.Select(l => l.Code == "SALUD" ? l with { Amount = -100_000m } : l)] }, Ct);
        Assert.Equal(PayslipRecommendation.Reject, wrong.Recommendation);
        var health = Assert.Single(wrong.Findings, f => f.Code == "HEALTH_AMOUNT_MISMATCH");
        Assert.Equal((PayslipFindingSeverity.Error, 119_658m, 100_000m, "SALUD"), (health.Severity, health.Expected, health.Actual, health.Line));

        var october = await clerk.Payroll.GetIndicatorsAsync("2025-10", Ct);
        Assert.Equal(529_000m, october!.MinimumWage!.Value);
        Assert.Equal(0.46m, october.AfpCommissionsPercent!.Value["Uno"]);
        Assert.Null(october.FamilyAllowanceBrackets);
        Assert.Contains("family_allowance_brackets", october.Missing);
        Assert.Null(await clerk.Payroll.GetIndicatorsAsync("2019-01", Ct));

        var january = new PayrollIndicators("2019-01")
        {
            Utm = new(48_353m, "SII, UTM - UTA - IPC 2019"),
            Uta = new(580_236m, "SII, UTM - UTA - IPC 2019", "derived"),
            UfLastDay = new(27_565.79m, "SII, UF 31-01-2019"),
            MinimumWage = new(288_000m, "Ley 21.112", "in_force"),
            IncomeTaxBrackets = new([new(0, 13.5m, 0, 0), new(13.5m, null, 4, 0.54m)], "SII, tabla impuesto único 2019", Note: "two brackets only, for the test"),
        };
        var refused = await Assert.ThrowsAsync<RpcException>(() => clerk.Payroll.UpsertIndicatorsAsync(january, Ct));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var stored = await admin.Payroll.UpsertIndicatorsAsync(january, Ct);
        Assert.Equal(48_353m, stored.Utm!.Value);
        Assert.Contains("afp_commissions_percent", stored.Missing);
        var read = await clerk.Payroll.GetIndicatorsAsync("2019-01", Ct);
        Assert.Equal("two brackets only, for the test", read!.IncomeTaxBrackets!.Note);
        Assert.Null(read.IncomeTaxBrackets.Value[1].ToUtm);
        Assert.Equal("derived", read.Uta!.Basis);

        var unsourced = await Assert.ThrowsAsync<RpcException>(() => admin.Payroll.UpsertIndicatorsAsync(january with { SisPercent = new(1.49m, " ") }, Ct));
        Assert.Equal(StatusCode.InvalidArgument, unsourced.StatusCode);
    }
}
