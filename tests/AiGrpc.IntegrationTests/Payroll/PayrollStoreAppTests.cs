using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AiGrpc.Payroll.Indicators;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Payroll;
using AiGrpc.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.Payroll;

/// <summary>Which indicator store the app uses, and two app instances sharing one real Redis as replicas do.</summary>
public class PayrollStoreAppTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly JsonObject January2019 = new()
    {
        ["utm"] = new JsonObject { ["value"] = 48353, ["source"] = "SII, UTM - UTA - IPC 2019" },
        ["uta"] = new JsonObject { ["value"] = 580236, ["source"] = "SII, UTM - UTA - IPC 2019" },
        ["uf_last_day"] = new JsonObject { ["value"] = 27565.79, ["source"] = "SII, UF 31-01-2019" },
        ["minimum_wage"] = new JsonObject { ["value"] = 288000, ["source"] = "Ley 21.112" },
    };

    private WebApplicationFactory<Program> Replica(RedisServer redis) => app.WithWebHostBuilder(b => b.UseSetting("Cache:Redis", redis.ConnectionString));

    private static HttpClient Client(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
        return client;
    }

    private static async Task WaitConnectedAsync(WebApplicationFactory<Program> host)
    {
        var multiplexer = await host.Services.GetRequiredService<RedisConnection>().GetAsync().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        for (var i = 0; i < 500 && !multiplexer.IsConnected; i++)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(multiplexer.IsConnected, "Redis did not connect within 10 s");
    }

    [Fact]
    public void Without_redis_the_store_is_in_memory_over_the_shipped_file()
    {
        var store = app.Services.GetRequiredService<IIndicatorStore>();
        Assert.IsType<InMemoryIndicatorStore>(store);
        Assert.Equal(IndicatorFile.Shipped.Count, store.Months.Count);
    }

    [Fact]
    public async Task An_indicators_file_replaces_the_built_in_one_and_a_bad_one_stops_the_start()
    {
        var file = Path.Combine(Path.GetTempPath(), $"aigrpc-indicators-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, """
                {"months": {"2026-10": {"utm": {"value": 70000, "source": "Prueba: archivo del operador"}, "uta": null}}}
                """, Ct);
            await using (var host = app.WithWebHostBuilder(b => b.UseSetting("Payroll:IndicatorsFile", file)))
            {
                using var client = Client(host);
                var october = await client.GetFromJsonAsync<JsonObject>("/api/v1/payroll/indicators/2026-10", Ct);
                Assert.Equal(70000m, october!["indicators"]!["utm"]!["value"]!.GetValue<decimal>());
                using var shipped = await client.GetAsync("/api/v1/payroll/indicators/2025-10", Ct);
                Assert.Equal(HttpStatusCode.NotFound, shipped.StatusCode); // the file replaces the built-in months
            }

            await File.WriteAllTextAsync(file, """{"months": {"2026-10": {"utm": {"value": 70000}}}}""", Ct);
            await using var bad = app.WithWebHostBuilder(b => b.UseSetting("Payroll:IndicatorsFile", file));
            var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());
            Assert.Contains("Payroll:IndicatorsFile", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task With_redis_an_upsert_on_one_replica_is_read_by_the_other_and_reads_survive_an_outage()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = Replica(redis);
        await using var b = Replica(redis);
        using var clientA = Client(a);
        using var clientB = Client(b);
        Assert.IsType<RedisIndicatorStore>(a.Services.GetRequiredService<IIndicatorStore>());
        await WaitConnectedAsync(a);
        await WaitConnectedAsync(b);

        using (var missing = await clientB.GetAsync("/api/payroll/indicators/2019-01", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var put = await clientA.PutAsJsonAsync("/api/v1/payroll/indicators/2019-01", January2019, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var seen = await clientB.GetFromJsonAsync<JsonObject>("/api/payroll/indicators/2019-01", Ct);
        Assert.True(seen!["success"]!.GetValue<bool>());
        Assert.Equal(48353m, seen["indicators"]!["utm"]!.GetValue<decimal>());

        // Redis gone: reads still answer (B saw the upsert; shipped months come from the file), upserts are 503.
        await redis.StopAsync();
        var during = await clientB.GetFromJsonAsync<JsonObject>("/api/payroll/indicators/2019-01", Ct);
        Assert.Equal(48353m, during!["indicators"]!["utm"]!.GetValue<decimal>());
        using (var shipped = await clientB.GetAsync("/api/payroll/indicators/2025-10", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        }

        using var refused = await clientA.PutAsJsonAsync("/api/v1/payroll/indicators/2019-02", January2019, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var error = await refused.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal((int)Grpc.Core.StatusCode.Unavailable, error!["code"]!.GetValue<int>());
        Assert.Contains("2019-02", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
