using System.ComponentModel.DataAnnotations;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>
/// LLM second-opinion settings (section <c>Llm</c>; environment variables such as
/// <c>Llm__Anthropic__ApiKey</c> override). Off unless <see cref="AnthropicOptions.ApiKey"/> is set.
/// All durations are in milliseconds. See <c>docs/llm-and-cache.md</c>.
/// </summary>
public sealed class LlmOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Llm";

    /// <summary>The Anthropic provider (key, endpoint, model).</summary>
    public AnthropicOptions Anthropic { get; set; } = new();

    /// <summary>Ask only when the local confidence is below this (0-1, default 0.7).</summary>
    [Range(0.0, 1.0)]
    public double Threshold { get; set; } = 0.7;

    /// <summary>Most tokens the model may answer with (default 400; the JSON answer needs ~100).</summary>
    [Range(16, 8192)]
    public int MaxTokens { get; set; } = 400;

    /// <summary>Timeout of one attempt (default 3000).</summary>
    [Range(50, 120_000)]
    public int TimeoutMs { get; set; } = 3000;

    /// <summary>Timeout of the whole call, all attempts and backoff included (default 8000); the caller's deadline also applies.</summary>
    [Range(50, 300_000)]
    public int TotalTimeoutMs { get; set; } = 8000;

    /// <summary>Retries after a transient failure (429, 5xx, connection error, attempt timeout); 0 disables (default 2).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; doubles each retry, with jitter (default 250).</summary>
    [Range(1, 60_000)]
    public int RetryBaseDelayMs { get; set; } = 250;

    /// <summary>Longest retry delay, also the cap of a server's <c>Retry-After</c> (default 2000).</summary>
    [Range(1, 60_000)]
    public int RetryMaxDelayMs { get; set; } = 2000;

    /// <summary>Circuit breaker: failure ratio within the sampling window that opens it (default 0.5).</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: calls needed in the window before it may open (default 5, Polly's minimum is 2).</summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 5;

    /// <summary>Circuit breaker: sampling window (default 60000, minimum 500).</summary>
    [Range(500, 86_400_000)]
    public int CircuitSamplingDurationMs { get; set; } = 60_000;

    /// <summary>Circuit breaker: how long it stays open before one trial call (default 60000, minimum 500).</summary>
    [Range(500, 86_400_000)]
    public int CircuitBreakDurationMs { get; set; } = 60_000;

    /// <summary>Most LLM calls in flight at once (default 8).</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Calls that may wait for a slot beyond <see cref="MaxConcurrency"/>; more are answered "unavailable" at once (default 16).</summary>
    [Range(0, 100_000)]
    public int MaxQueue { get; set; } = 16;

    /// <summary>Price of input tokens, USD per million (default 3, Claude Sonnet list price).</summary>
    [Range(0.0, 10_000.0)]
    public double InputUsdPerMillionTokens { get; set; } = 3;

    /// <summary>Price of output tokens, USD per million (default 15, Claude Sonnet list price).</summary>
    [Range(0.0, 10_000.0)]
    public double OutputUsdPerMillionTokens { get; set; } = 15;

    /// <summary>True when an API key is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Anthropic.ApiKey);

    /// <summary>Cost in USD of a call with these token counts.</summary>
    public double CostUsd(long inputTokens, long outputTokens) =>
        (inputTokens * InputUsdPerMillionTokens + outputTokens * OutputUsdPerMillionTokens) / 1_000_000d;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Anthropic.Model))
        {
            yield return new ValidationResult("Llm:Anthropic:Model must not be empty.", ["Anthropic.Model"]);
        }

        if (!string.IsNullOrWhiteSpace(Anthropic.BaseUrl)
            && (!Uri.TryCreate(Anthropic.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("Llm:Anthropic:BaseUrl must be an absolute http(s) URL.", ["Anthropic.BaseUrl"]);
        }

        if (RetryMaxDelayMs < RetryBaseDelayMs)
        {
            yield return new ValidationResult("Llm:RetryMaxDelayMs must be at least Llm:RetryBaseDelayMs.", [nameof(RetryMaxDelayMs)]);
        }

        if (TotalTimeoutMs < TimeoutMs)
        {
            yield return new ValidationResult("Llm:TotalTimeoutMs must be at least Llm:TimeoutMs.", [nameof(TotalTimeoutMs)]);
        }
    }
}

/// <summary>Anthropic provider settings (section <c>Llm:Anthropic</c>).</summary>
public sealed class AnthropicOptions
{
    /// <summary>API key; unset means no LLM. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>API base URL (default the SDK's, <c>https://api.anthropic.com</c>); for proxies and tests.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Model id (default <c>claude-sonnet-4-5</c>).</summary>
    public string Model { get; set; } = "claude-sonnet-4-5";

    /// <inheritdoc />
    public override string ToString() => $"Model={Model}, BaseUrl={BaseUrl ?? "(default)"}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "unset" : "set")}";
}
