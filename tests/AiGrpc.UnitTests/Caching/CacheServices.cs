using AiGrpc.Server.Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.UnitTests.Caching;

/// <summary>A service provider with just the cache registered, configured like the app would be.</summary>
internal static class CacheServices
{
    public static ServiceProvider Build(string? redis, int operationTimeoutMs = 250)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cache:Redis"] = redis,
            ["Cache:OperationTimeoutMs"] = operationTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddResponseCache();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>
    /// Waits (bounded) for the lazy first connection: until then, by design, operations are misses after
    /// OperationTimeoutMs, which on a loaded machine a cold connect can exceed.
    /// </summary>
    public static async Task WaitConnectedAsync(IServiceProvider services)
    {
        var multiplexer = await services.GetRequiredService<RedisConnection>().GetAsync().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!multiplexer.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(multiplexer.IsConnected, "Redis did not connect within 10 s");
    }

    public static async Task<HealthReportEntry> CheckAsync(IServiceProvider services, string name)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == name, TestContext.Current.CancellationToken);
        return report.Entries[name];
    }
}
