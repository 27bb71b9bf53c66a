using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiGrpc.Client;

/// <summary>Registers <see cref="AiGrpcClient"/> in a service collection.</summary>
public static class AiGrpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="AiGrpcClient"/> configured in code. Options are also bound
    /// from the <c>AiGrpc</c> configuration section when an <see cref="IConfiguration"/> is registered;
    /// <paramref name="configure"/> runs after that binding.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets address, key and call settings.</param>
    public static IServiceCollection AddAiGrpcClient(this IServiceCollection services, Action<AiGrpcClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AiGrpcClientOptions>()
            .Configure<IServiceProvider>((options, provider) =>
                provider.GetService<IConfiguration>()?.GetSection(AiGrpcClientOptions.SectionName).Bind(options))
            .PostConfigure(configure)
            .Validate(o => o.MaxAttempts >= 1 && o.DefaultDeadline > TimeSpan.Zero, "AiGrpc: MaxAttempts must be >= 1 and DefaultDeadline > 0.")
            .ValidateOnStart();
        services.AddSingleton(provider => new AiGrpcClient(provider.GetRequiredService<IOptions<AiGrpcClientOptions>>().Value));
        return services;
    }

    /// <summary>Registers a singleton <see cref="AiGrpcClient"/> bound from a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">Section holding <see cref="AiGrpcClientOptions"/> (e.g. <c>configuration.GetSection("AiGrpc")</c>).</param>
    public static IServiceCollection AddAiGrpcClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddAiGrpcClient(section.Bind);
    }
}
