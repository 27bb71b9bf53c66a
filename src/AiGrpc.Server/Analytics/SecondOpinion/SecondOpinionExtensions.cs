using AiGrpc.Server.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>Registers the second opinion: none unless an LLM is configured.</summary>
public static class SecondOpinionExtensions
{
    /// <summary>
    /// Registers <see cref="ISecondOpinion"/>: <see cref="AnthropicSecondOpinion"/> when
    /// <c>Llm:Anthropic:ApiKey</c> is set, <see cref="DisabledSecondOpinion"/> otherwise (decided when
    /// first resolved, from options), the <see cref="LlmCostLedger"/>, <see cref="LlmOptions"/>
    /// (validated on start) and the <c>anthropic</c> health check. Safe to call more than once; an
    /// <see cref="ISecondOpinion"/> registered before (a test double) is kept.
    /// </summary>
    public static IServiceCollection AddSecondOpinion(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(AnthropicSecondOpinion)))
        {
            return services;
        }

        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LlmCostLedger>();
        services.TryAddSingleton<DisabledSecondOpinion>();
        services.TryAddSingleton<AnthropicSecondOpinion>();
        services.TryAddSingleton<ISecondOpinion>(sp => sp.GetRequiredService<IOptions<LlmOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<AnthropicSecondOpinion>()
            : sp.GetRequiredService<DisabledSecondOpinion>());
        services.AddHealthChecks().AddDependencyCheck<AnthropicHealthCheck>("anthropic");
        return services;
    }
}

/// <summary>The embedded default: no LLM is configured, so the local answer stands.</summary>
public sealed class DisabledSecondOpinion : ISecondOpinion
{
    /// <inheritdoc />
    public bool IsEnabled => false;

    /// <inheritdoc />
    public double Threshold => 0;

    /// <inheritdoc />
    public Task<SecondOpinionAnswer> AskAsync(SecondOpinionRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(SecondOpinionAnswer.Unavailable("No LLM is configured."));
}
