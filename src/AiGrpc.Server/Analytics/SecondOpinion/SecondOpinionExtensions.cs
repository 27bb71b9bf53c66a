using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>Registers the second opinion: none unless an LLM is configured.</summary>
public static class SecondOpinionExtensions
{
    /// <summary>Registers <see cref="ISecondOpinion"/>.</summary>
    public static IServiceCollection AddSecondOpinion(this IServiceCollection services)
    {
        services.TryAddSingleton<ISecondOpinion, DisabledSecondOpinion>();
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
