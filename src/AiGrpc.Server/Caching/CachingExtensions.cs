using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AiGrpc.Server.Caching;

/// <summary>Registers the response cache shared by capabilities.</summary>
public static class CachingExtensions
{
    /// <summary>Registers <see cref="IResponseCache"/> (in-process memory by default). Safe to call more than once.</summary>
    public static IServiceCollection AddResponseCache(this IServiceCollection services)
    {
        services.AddMemoryCache(o => o.SizeLimit = 100_000);
        services.TryAddSingleton<IResponseCache, MemoryResponseCache>();
        return services;
    }
}
