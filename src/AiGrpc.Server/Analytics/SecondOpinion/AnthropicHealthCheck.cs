using AiGrpc.Server.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>
/// Health of the LLM (<c>anthropic</c>): not configured without a key; Degraded while the circuit
/// breaker is open (matches answer locally), Healthy otherwise. Never calls the API: that would cost
/// money and hide behind the breaker anyway.
/// </summary>
public sealed class AnthropicHealthCheck(IOptions<LlmOptions> options, IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.IsConfigured)
        {
            return Task.FromResult(DependencyHealth.NotConfigured("No LLM is configured (Llm:Anthropic:ApiKey); matches are answered locally."));
        }

        var llm = services.GetRequiredService<AnthropicSecondOpinion>();
        var state = llm.CircuitState;
        return Task.FromResult(state is CircuitState.Open or CircuitState.Isolated
            ? HealthCheckResult.Degraded($"Circuit breaker open for {llm.Model}: second opinions are skipped until it closes.")
            : HealthCheckResult.Healthy($"Model {llm.Model}; circuit breaker {state.ToString().ToLowerInvariant()}."));
    }
}
