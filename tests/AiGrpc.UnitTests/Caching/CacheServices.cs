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

    public static async Task<HealthReportEntry> CheckAsync(IServiceProvider services, string name)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == name, TestContext.Current.CancellationToken);
        return report.Entries[name];
    }
}
