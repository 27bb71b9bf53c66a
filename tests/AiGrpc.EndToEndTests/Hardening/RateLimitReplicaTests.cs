using System.Net;
using System.Net.Http.Json;
using AiGrpc.TestKit;

namespace AiGrpc.EndToEndTests.Hardening;

/// <summary>Two real server processes sharing one real redis-server: limits hold across replicas.</summary>
public class RateLimitReplicaTests
{
    private const string Key = "e2e-ratelimit-key-4f2a";
    private const int Limit = 10;

    private static readonly object LegacyBody = new
    {
        dte_data = new { tipo_dte = 33, rut_emisor = "76354771-K", rut_receptor = "96790240-3", monto_total = 119000, fecha_emision = "2024-03-01" },
        company_id = 1,
    };

    private static Dictionary<string, string?> Settings(RedisServer redis) => new()
    {
        ["Auth__ApiKeys__replicas"] = Key,
        ["Cache__Redis"] = redis.ConnectionString,
        ["RateLimits__PerCaller__PerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits__PerCaller__PerHour"] = "0",
    };

    [Fact]
    public async Task Admitted_requests_across_two_replicas_sum_to_the_limit_and_redis_loss_degrades_to_per_process()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ServerProcess.StartAsync(Settings(redis), ct);
        await using var b = await ServerProcess.StartAsync(Settings(redis), ct);
        using var clientA = Client(a);
        using var clientB = Client(b);

        // Warm up the lazy Redis connections with exempt calls, then wait until both use Redis.
        await WaitForRedisAsync(clientA, clientB, ct);

        var admitted = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        var refused = 0;
        for (var i = 0; i < 30; i++)
        {
            var (name, client) = i % 2 == 0 ? ("a", clientA) : ("b", clientB);
            using var response = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                admitted[name]++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                refused++;
            }
        }

        // Per process, each replica alone would have admitted 10 (20 in all); shared, the sum is the limit.
        Assert.Equal(Limit, admitted["a"] + admitted["b"]);
        Assert.True(admitted["a"] > 0 && admitted["b"] > 0, $"both replicas admitted some ({admitted["a"]}/{admitted["b"]})");
        Assert.Equal(30 - Limit, refused);

        // Redis gone: requests are still answered (per-process counters, fresh), never a 5xx.
        await redis.StopAsync();
        using var degraded = await clientA.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct);
        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        Assert.False(a.HasExited);
    }

    private static HttpClient Client(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.RestAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        return client;
    }

    private static async Task WaitForRedisAsync(HttpClient a, HttpClient b, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var client in new[] { a, b })
        {
            while (DateTime.UtcNow < deadline)
            {
                using var response = await client.GetAsync("/health", ct);
                var ready = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
                if (ready.GetProperty("dependencies").TryGetProperty("redis", out var r) && r.GetProperty("status").GetString() == "healthy")
                {
                    break;
                }

                await Task.Delay(100, ct);
            }
        }
    }
}
