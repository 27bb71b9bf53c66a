using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AiGrpc.Client;
using AiGrpc.TestKit;
using AiGrpc.TestKit.Payroll;
using Grpc.Core;

namespace AiGrpc.EndToEndTests.Payroll;

/// <summary>
/// The Odoo module's payroll calls against the real server process over HTTP/1.1 (bodies exactly as in
/// tests/data/payroll/payslips.json; the replay file tests/data/legacy/odoo-calls.json holds POST calls with DTE
/// answers only), the client library over h2c, and two replicas sharing one real redis-server.
/// </summary>
public class PayrollProcessTests
{
    private const string Key = "e2e-payroll-module-key-5be0";
    private const string AdminKey = "e2e-payroll-admin-key-91c4";

    private static Dictionary<string, string?> Settings(RedisServer? redis = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth__Callers__odoo__Keys__0"] = Key,
            ["Auth__Callers__odoo__Scopes__0"] = "payroll",
            ["Auth__Callers__operator__Keys__0"] = AdminKey,
            ["Auth__Callers__operator__Scopes__0"] = "admin",
        };
        if (redis is not null)
        {
            settings["Cache__Redis"] = redis.ConnectionString;
        }

        return settings;
    }

    private static HttpClient Rest(ServerProcess server, string key = Key)
    {
        var http = new HttpClient { BaseAddress = server.RestAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    [Fact]
    public async Task The_modules_two_payroll_calls_get_their_old_shapes_from_the_real_server()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(Settings(), ct);
        using var http = Rest(server);

        foreach (var id in (string[])["ok-full-month-habitat-fonasa", "err-pension-cap-not-applied", "warn-month-not-published", "warn-june-2025-utm-unsourced"])
        {
            var fixture = PayslipFixtures.All[id];
            using var content = new StringContent(fixture.BodyJson, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/api/payroll/validate", content, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: {text}");
            var answer = JsonNode.Parse(text)!.AsObject();
            Assert.Equal(["success", "confidence", "errors", "warnings", "recommendation"], answer.Select(p => p.Key));
            Assert.Equal(fixture.Recommendation, answer["recommendation"]!.GetValue<string>());
            var codes = answer["errors"]!.AsArray().Concat(answer["warnings"]!.AsArray()).Select(m => m!.GetValue<string>().Split(':')[0]).Order(StringComparer.Ordinal);
            Assert.Equal(fixture.ExpectedCodes, codes);
        }

        var october = await http.GetFromJsonAsync<JsonObject>("/api/payroll/indicators/2025-10?force=true", ct);
        Assert.True(october!["success"]!.GetValue<bool>());
        Assert.Equal(39597.67m, october["indicators"]!["uf"]!.GetValue<decimal>());
        Assert.Equal(529000m, october["indicators"]!["sueldo_minimo"]!.GetValue<decimal>());
        Assert.Equal("2025-10", october["metadata"]!["period"]!.GetValue<string>());

        using var unpublished = await http.GetAsync("/api/payroll/indicators/2019-01", ct);
        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);
        Assert.Contains("2019-01", await unpublished.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        var body = PayslipFixtures.All["ok-full-month-habitat-fonasa"].Body();
        body["lines"]![0]!["amount"] = "mil quinientos";
        using var bad = await http.PostAsync("/api/payroll/validate", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("lines[0].amount", await bad.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        // The same payslip through the client library over gRPC.
        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);
        var typed = await client.Payroll.ValidatePayslipAsync(new PayslipInput(1, "2025-10", 1_500_000m,
        [
            new("BASIC", 1_500_000m, "Sueldo Base"), new("GRAT_SOPA", 209_396m, "Gratificación Legal"), new("AFP", -192_649m, "AFP Habitat"),
            new("SALUD", -119_658m, "Fonasa 7%"), new("AFC", -10_256m, "Seguro de Cesantía (plazo indefinido)"), new("IMPUESTO_UNICO", -18_070m, "Impuesto Único"),
        ], TotalImponible: 1_709_396m, TotalHaberes: 1_709_396m, TotalDescuentos: 340_633m, TotalLiquido: 1_368_763m), ct);
        Assert.Equal(PayslipRecommendation.Approve, typed.Recommendation);
        Assert.Null(await client.Payroll.GetIndicatorsAsync("2019-01", ct));
        var denied = await Assert.ThrowsAsync<RpcException>(() => client.Payroll.UpsertIndicatorsAsync(new PayrollIndicators("2019-01") { Utm = new(48_353m, "SII") }, ct));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task An_admin_upsert_on_one_replica_is_served_by_the_other_through_redis_and_survives_its_outage()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ServerProcess.StartAsync(Settings(redis), ct);
        await using var b = await ServerProcess.StartAsync(Settings(redis), ct);
        using var httpB = Rest(b);
        await WaitForRedisAsync([a, b], ct);

        using (var before = await httpB.GetAsync("/api/payroll/indicators/2019-01", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using var admin = AiGrpcClientFactory.Create(a.GrpcAddress, AdminKey);
        var stored = await admin.Payroll.UpsertIndicatorsAsync(new PayrollIndicators("2019-01")
        {
            UfLastDay = new(27_565.79m, "SII, UF 31-01-2019"),
            Utm = new(48_353m, "SII, UTM 2019"),
            Uta = new(580_236m, "SII, UTA 2019", "derived"),
            MinimumWage = new(288_000m, "Ley 21.112", "in_force"),
        }, ct);
        Assert.Contains("income_tax_brackets", stored.Missing);

        var seen = await httpB.GetFromJsonAsync<JsonObject>("/api/payroll/indicators/2019-01", ct);
        Assert.True(seen!["success"]!.GetValue<bool>(), seen.ToJsonString());
        Assert.Equal(288000m, seen["indicators"]!["sueldo_minimo"]!.GetValue<decimal>());

        await redis.StopAsync();
        var during = await httpB.GetFromJsonAsync<JsonObject>("/api/payroll/indicators/2019-01", ct);
        Assert.Equal(48353m, during!["indicators"]!["utm"]!.GetValue<decimal>());
        using (var shipped = await httpB.GetAsync("/api/payroll/indicators/2025-10", ct))
        {
            Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        }

        var unavailable = await Assert.ThrowsAsync<RpcException>(() => admin.Payroll.UpsertIndicatorsAsync(new PayrollIndicators("2019-02") { Utm = new(48_500m, "SII") }, ct));
        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        Assert.False(a.HasExited || b.HasExited);
    }

    private static async Task WaitForRedisAsync(ServerProcess[] servers, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var server in servers)
        {
            using var http = new HttpClient { BaseAddress = server.RestAddress };
            while (DateTime.UtcNow < deadline)
            {
                var health = await http.GetFromJsonAsync<JsonObject>("/health", ct);
                if (health!["dependencies"]?["redis"]?["status"]?.GetValue<string>() == "healthy")
                {
                    break;
                }

                await Task.Delay(100, ct);
            }
        }
    }
}
