using AiGrpc.Server.Analytics.SecondOpinion;
using AiGrpc.Server.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AiGrpc.UnitTests.SecondOpinion;

public class SecondOpinionRegistrationTests
{
    [Fact]
    public async Task Without_a_key_the_second_opinion_is_disabled_and_not_configured()
    {
        await using var services = LlmServices.Build(new Dictionary<string, string?>());
        var llm = services.GetRequiredService<ISecondOpinion>();
        Assert.IsType<DisabledSecondOpinion>(llm);
        Assert.False(llm.IsEnabled);
        Assert.True(DependencyHealth.IsNotConfigured(await LlmServices.HealthAsync(services)));
    }

    [Fact]
    public async Task With_a_key_it_is_anthropic_with_the_configured_threshold_and_healthy()
    {
        await using var services = LlmServices.Build(new Dictionary<string, string?>
        {
            ["Llm:Anthropic:ApiKey"] = LlmServices.ApiKey,
            ["Llm:Threshold"] = "0.55",
        });
        var llm = services.GetRequiredService<ISecondOpinion>();
        Assert.IsType<AnthropicSecondOpinion>(llm);
        Assert.Equal(0.55, llm.Threshold);
        Assert.Equal("claude-sonnet-4-5", ((AnthropicSecondOpinion)llm).Model);
        var health = await LlmServices.HealthAsync(services);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.False(DependencyHealth.IsNotConfigured(health));
        Assert.DoesNotContain(LlmServices.ApiKey, health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_twice_keeps_one_health_check_and_a_test_double_wins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ISecondOpinion, DisabledSecondOpinion>();
        services.AddSecondOpinion();
        services.AddSecondOpinion();
        Assert.Single(services, d => d.ServiceType == typeof(ISecondOpinion));
        Assert.Single(services, d => d.ServiceType == typeof(AnthropicSecondOpinion));
    }

    [Theory]
    [InlineData("Llm:Threshold", "1.5")]
    [InlineData("Llm:TimeoutMs", "0")]
    [InlineData("Llm:CircuitMinimumThroughput", "1")]
    [InlineData("Llm:CircuitBreakDurationMs", "100")]
    [InlineData("Llm:MaxConcurrency", "0")]
    [InlineData("Llm:InputUsdPerMillionTokens", "-1")]
    [InlineData("Llm:Anthropic:BaseUrl", "not a url")]
    [InlineData("Llm:Anthropic:Model", "")]
    [InlineData("Llm:TotalTimeoutMs", "100")]
    public void Invalid_options_fail_validation(string key, string value)
    {
        using var services = LlmServices.Build(new Dictionary<string, string?> { [key] = value });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LlmOptions>>().Value);
    }

    [Fact]
    public void Defaults_match_the_documentation()
    {
        var o = new LlmOptions();
        Assert.Equal((0.7, 3000, 2, 8), (o.Threshold, o.TimeoutMs, o.MaxRetries, o.MaxConcurrency));
        Assert.Equal((3.0, 15.0), (o.InputUsdPerMillionTokens, o.OutputUsdPerMillionTokens));
        Assert.Equal((0.5, 5, 60_000, 60_000), (o.CircuitFailureRatio, o.CircuitMinimumThroughput, o.CircuitSamplingDurationMs, o.CircuitBreakDurationMs));
        Assert.False(o.IsConfigured);
        Assert.DoesNotContain("secret", new AnthropicOptions { ApiKey = "secret" }.ToString(), StringComparison.Ordinal);
    }
}
