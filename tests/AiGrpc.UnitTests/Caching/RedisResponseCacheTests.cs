using System.Diagnostics;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Health;
using AiGrpc.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AiGrpc.UnitTests.Caching;

public class RedisResponseCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_redis_the_cache_is_in_memory_and_redis_health_is_not_configured()
    {
        await using var services = CacheServices.Build(redis: null);
        var cache = services.GetRequiredService<IResponseCache>();
        Assert.IsType<MemoryResponseCache>(cache);
        Assert.Equal("memory", cache.Backend);
        Assert.False(services.GetRequiredService<RedisConnection>().IsConfigured);
        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IConnectionMultiplexer>());

        var entry = await CacheServices.CheckAsync(services, "redis");
        Assert.True(DependencyHealth.IsNotConfigured(entry));
    }

    [Fact]
    public async Task Round_trip_under_the_key_prefix()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = CacheServices.Build(redis.ConnectionString);
        var cache = services.GetRequiredService<IResponseCache>();
        await CacheServices.WaitConnectedAsync(services);
        Assert.IsType<RedisResponseCache>(cache);

        byte[] value = [1, 2, 3, 0, 255];
        Assert.Null(await cache.GetAsync("k1", Ct));
        await cache.SetAsync("k1", value, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(value, await cache.GetAsync("k1", Ct));
        Assert.Null(await cache.GetAsync("k2", Ct));

        // The shared multiplexer sees the entry under the prefix, with its TTL.
        var database = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        Assert.True(await database.KeyExistsAsync("aigrpc:k1"));
        var ttl = await database.KeyTimeToLiveAsync("aigrpc:k1");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Entries_expire_after_their_ttl()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = CacheServices.Build(redis.ConnectionString);
        var cache = services.GetRequiredService<IResponseCache>();
        await CacheServices.WaitConnectedAsync(services);

        var stored = Stopwatch.StartNew();
        await cache.SetAsync("short", new byte[] { 42 }, TimeSpan.FromMilliseconds(300), Ct);
        Assert.NotNull(await cache.GetAsync("short", Ct));
        while (await cache.GetAsync("short", Ct) is not null)
        {
            Assert.True(stored.Elapsed < TimeSpan.FromSeconds(5), "entry did not expire");
            await Task.Delay(50, Ct);
        }

        Assert.True(stored.Elapsed >= TimeSpan.FromMilliseconds(250), $"expired too early: {stored.Elapsed}");
    }

    [Fact]
    public async Task Redis_outage_gives_fast_misses_and_silent_writes_then_the_cache_comes_back()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = CacheServices.Build(redis.ConnectionString);
        var cache = services.GetRequiredService<IResponseCache>();
        await CacheServices.WaitConnectedAsync(services);
        await cache.SetAsync("before", new byte[] { 7 }, TimeSpan.FromMinutes(1), Ct);
        Assert.NotNull(await cache.GetAsync("before", Ct));
        Assert.Equal(HealthStatus.Healthy, (await CacheServices.CheckAsync(services, "redis")).Status);

        await redis.StopAsync();
        for (var i = 0; i < 5; i++)
        {
            var timer = Stopwatch.StartNew();
            Assert.Null(await cache.GetAsync("before", Ct));
            await cache.SetAsync("during", new byte[] { 8 }, TimeSpan.FromMinutes(1), Ct);
            // Bounded by OperationTimeoutMs (250) per operation, whatever the connection state.
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(1), $"get+set took {timer.Elapsed} during the outage");
        }

        var degraded = await CacheServices.CheckAsync(services, "redis");
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.False(DependencyHealth.IsNotConfigured(degraded));

        await redis.RestartAsync();
        var restarted = Stopwatch.StartNew();
        byte[] value = [9, 9];
        while (true)
        {
            await cache.SetAsync("after", value, TimeSpan.FromMinutes(1), Ct);
            if (await cache.GetAsync("after", Ct) is { } hit)
            {
                Assert.Equal(value, hit);
                break;
            }

            Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(30), "the cache did not reconnect within 30 s");
            await Task.Delay(50, Ct);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"cache usable again {restarted.Elapsed.TotalMilliseconds:0} ms after redis-server restarted");
        Assert.Equal(HealthStatus.Healthy, (await CacheServices.CheckAsync(services, "redis")).Status);
    }

    [Fact]
    public async Task Redis_down_at_startup_never_fails_and_is_picked_up_when_it_appears()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        await using var services = CacheServices.Build(redis.ConnectionString);
        var cache = services.GetRequiredService<IResponseCache>();

        var timer = Stopwatch.StartNew();
        Assert.Null(await cache.GetAsync("x", Ct));
        var get = timer.Elapsed;
        await cache.SetAsync("x", new byte[] { 1 }, TimeSpan.FromMinutes(1), Ct);
        var set = timer.Elapsed - get;
        // Each operation waits at most OperationTimeoutMs (250) for the first connection attempt.
        Assert.True(get < TimeSpan.FromMilliseconds(700) && set < TimeSpan.FromMilliseconds(700), $"get {get}, set {set} with Redis down");
        Assert.Equal(HealthStatus.Degraded, (await CacheServices.CheckAsync(services, "redis")).Status);

        await redis.RestartAsync();
        var restarted = Stopwatch.StartNew();
        while ((await CacheServices.CheckAsync(services, "redis")).Status != HealthStatus.Healthy)
        {
            Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(30), "Redis not healthy within 30 s of appearing");
            await Task.Delay(100, Ct);
        }

        await cache.SetAsync("x", new byte[] { 1 }, TimeSpan.FromMinutes(1), Ct);
        Assert.NotNull(await cache.GetAsync("x", Ct));
    }

    [Fact]
    public async Task The_callers_cancellation_propagates()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = CacheServices.Build(redis.ConnectionString);
        var cache = services.GetRequiredService<IResponseCache>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cache.GetAsync("k", cancelled.Token));
    }
}
