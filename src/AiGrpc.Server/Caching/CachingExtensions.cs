using AiGrpc.Server.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiGrpc.Server.Caching;

/// <summary>Registers the response cache shared by capabilities, and the shared Redis connection.</summary>
public static class CachingExtensions
{
    /// <summary>
    /// Registers <see cref="IResponseCache"/>: Redis when <c>Cache:Redis</c> is set, in-process memory
    /// otherwise (decided when first resolved, from options), plus the <c>redis</c> health check.
    /// Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddResponseCache(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RedisResponseCache)))
        {
            return services;
        }

        services.AddRedisConnection();
        services.AddMemoryCache(o => o.SizeLimit = 100_000);
        services.TryAddSingleton<MemoryResponseCache>();
        services.TryAddSingleton<RedisResponseCache>();
        services.TryAddSingleton<IResponseCache>(sp => sp.GetRequiredService<IOptions<CacheOptions>>().Value.IsRedisConfigured
            ? sp.GetRequiredService<RedisResponseCache>()
            : sp.GetRequiredService<MemoryResponseCache>());
        services.AddHealthChecks().AddDependencyCheck<RedisHealthCheck>("redis");
        return services;
    }

    /// <summary>
    /// Registers <see cref="CacheOptions"/> (validated on start), the lazily created shared
    /// <see cref="RedisConnection"/>, and <see cref="IConnectionMultiplexer"/> for features that share
    /// Redis (check <see cref="RedisConnection.IsConfigured"/> first: resolving the multiplexer
    /// without <c>Cache:Redis</c> throws). Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddRedisConnection(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            return services;
        }

        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<IConnectionMultiplexer>(sp => sp.GetRequiredService<RedisConnection>().GetAsync().GetAwaiter().GetResult());
        return services;
    }
}
