using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Server.Caching;
using AiGrpc.TestKit;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.Caching;

public class RedisCacheAppTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_app_uses_redis_when_configured_and_health_follows_it()
    {
        await using var redis = await RedisServer.StartAsync();
        // AddResponseCache is idempotent: calling it here keeps this test valid whether or not
        // Program.cs (through the capabilities) registers it already.
        await using var configured = app.WithWebHostBuilder(b => b
            .UseSetting("Cache:Redis", redis.ConnectionString)
            .ConfigureTestServices(s => s.AddResponseCache()));
        using var client = configured.CreateClient();

        var cache = configured.Services.GetRequiredService<IResponseCache>();
        Assert.IsType<RedisResponseCache>(cache);
        // The first connection is lazy; until it is up, operations are (by design) misses.
        var multiplexer = await configured.Services.GetRequiredService<RedisConnection>().GetAsync().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        for (var i = 0; i < 500 && !multiplexer.IsConnected; i++)
        {
            await Task.Delay(20, Ct);
        }

        await cache.SetAsync("it", new byte[] { 1, 2 }, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(new byte[] { 1, 2 }, await cache.GetAsync("it", Ct));

        var (status, body) = await HealthAsync(client);
        Assert.Equal(200, status);
        Assert.Equal("healthy", body.GetProperty("dependencies").GetProperty("redis").GetProperty("status").GetString());

        await redis.StopAsync();
        (status, body) = await HealthAsync(client);
        Assert.Equal(207, status);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("degraded", body.GetProperty("dependencies").GetProperty("redis").GetProperty("status").GetString());
        Assert.Null(await cache.GetAsync("it", Ct));
    }

    [Fact]
    public async Task Without_redis_the_app_caches_in_memory_and_lists_redis_as_not_configured()
    {
        await using var plain = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddResponseCache()));
        using var client = plain.CreateClient();
        Assert.IsType<MemoryResponseCache>(plain.Services.GetRequiredService<IResponseCache>());

        var (status, body) = await HealthAsync(client);
        Assert.Equal(200, status);
        Assert.Equal("not_configured", body.GetProperty("dependencies").GetProperty("redis").GetProperty("status").GetString());
    }

    private static async Task<(int Status, JsonElement Body)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health", Ct);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }
}
