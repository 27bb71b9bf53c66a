using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Observability;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace AiGrpc.Server.Analytics.SecondOpinion;

/// <summary>
/// Second opinion from Claude through the official Anthropic SDK, behind a Polly pipeline (outer to
/// inner): total timeout, concurrency limit, retry with exponential backoff and jitter on transient
/// failures, circuit breaker, per-attempt timeout. The SDK's own retries are off. Every failure and
/// every answer that does not validate becomes <see cref="SecondOpinionOutcome.Unavailable"/>; only
/// the caller's cancellation propagates. Tokens and cost go to <see cref="LlmCostLedger"/> and
/// <see cref="Telemetry"/>. Prompts, answers and the key are never logged or put in spans.
/// </summary>
public sealed partial class AnthropicSecondOpinion : ISecondOpinion, IDisposable
{
    /// <summary>Operation name in metrics and the cost ledger.</summary>
    public const string Operation = "match_invoice";

    private static readonly ResiliencePropertyKey<StrongBox<TimeSpan?>> RetryAfterKey = new("aigrpc.llm.retry_after");

    private readonly LlmOptions _options;
    private readonly LlmCostLedger _ledger;
    private readonly ILogger<AnthropicSecondOpinion> _logger;
    private readonly LogThrottle _throttle;
    private readonly AnthropicClient _client;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the client and its resilience pipeline; requires <see cref="LlmOptions.IsConfigured"/>.</summary>
    public AnthropicSecondOpinion(IOptions<LlmOptions> options, LlmCostLedger ledger, TimeProvider time, ILogger<AnthropicSecondOpinion> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (!_options.IsConfigured)
        {
            throw new InvalidOperationException("Llm:Anthropic:ApiKey is not set.");
        }

        _ledger = ledger;
        _logger = logger;
        _throttle = new LogThrottle(time, TimeSpan.FromSeconds(30));
        var attemptTimeout = TimeSpan.FromMilliseconds(_options.TimeoutMs);
#pragma warning disable CA2000 // The HttpClient owns the handlers; the AnthropicClient, disposed in Dispose, owns the HttpClient.
        var http = new HttpClient(new RetryAfterHandler(time) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
#pragma warning restore CA2000
        var sdkTimeout = attemptTimeout + TimeSpan.FromSeconds(1); // Backstop only: the per-attempt Polly timeout fires first.
        // MaxRetries = 0: Polly owns retries. The SDK's own spans are off: ours (llm.second_opinion) carry no prompt text.
        var baseUrl = _options.Anthropic.BaseUrl?.TrimEnd('/');
        _client = string.IsNullOrWhiteSpace(baseUrl)
            ? new AnthropicClient { ApiKey = _options.Anthropic.ApiKey!, MaxRetries = 0, Timeout = sdkTimeout, HttpClient = http, OpenTelemetry = false }
            : new AnthropicClient { ApiKey = _options.Anthropic.ApiKey!, MaxRetries = 0, Timeout = sdkTimeout, HttpClient = http, OpenTelemetry = false, BaseUrl = baseUrl };

        _pipeline = BuildPipeline(time, attemptTimeout);
    }

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <inheritdoc />
    public double Threshold => _options.Threshold;

    /// <summary>The model asked.</summary>
    public string Model => _options.Anthropic.Model;

    /// <summary>State of the circuit breaker (for health).</summary>
    public CircuitState CircuitState => _circuit.CircuitState;

    /// <inheritdoc />
    public async Task<SecondOpinionAnswer> AskAsync(SecondOpinionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Candidates.Count == 0)
        {
            return SecondOpinionAnswer.Unavailable("no candidates to choose from");
        }

        using var activity = Telemetry.Source.StartActivity("llm.second_opinion");
        activity?.SetTag("llm.model", Model);
        activity?.SetTag("llm.operation", Operation);
        var parameters = new MessageCreateParams
        {
            Model = Model,
            MaxTokens = _options.MaxTokens,
            System = SecondOpinionPrompt.System,
            Messages = [new UserMessageParam(SecondOpinionPrompt.User(request))],
        };

        Message message;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var retryAfter = new StrongBox<TimeSpan?>();
        context.Properties.Set(RetryAfterKey, retryAfter);
        try
        {
            message = await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    state.RetryAfter.Value = null;
                    RetryAfterHandler.Current.Value = state.RetryAfter;
                    return await state.Client.Messages.Create(state.Parameters, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (Client: _client, Parameters: parameters, RetryAfter: retryAfter)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Finish(activity, "cancelled", 0, 0);
            throw;
        }
        catch (Exception ex)
        {
            var (outcome, reason) = Classify(ex);
            Finish(activity, outcome, 0, 0);
            if (_throttle.ShouldLog(out var suppressed))
            {
                LogCallFailed(_logger, Model, reason, suppressed);
            }

            return SecondOpinionAnswer.Unavailable("LLM " + reason);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var inputTokens = message.Usage?.InputTokens ?? 0;
        var outputTokens = message.Usage?.OutputTokens ?? 0;
        var answer = SecondOpinionAnswerParser.Parse(TextOf(message), request.Candidates);
        var valid = answer.Outcome != SecondOpinionOutcome.Unavailable;
        Finish(activity, valid ? "ok" : "invalid_answer", inputTokens, outputTokens);
        if (!valid && _throttle.ShouldLog(out var skipped))
        {
            LogInvalidAnswer(_logger, Model, answer.UnavailableReason!, skipped);
        }

        return answer;
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <summary>True for failures worth another attempt: 408, 429, 5xx, connection errors, attempt timeouts.</summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        TimeoutRejectedException => true,
        AnthropicIOException => true,
        HttpRequestException => true,
        AnthropicApiException api => (int)api.StatusCode is 408 or 429 or >= 500,
        _ => false,
    };

    /// <summary>True for failures that count against the circuit breaker: all but the caller's cancellation and request-specific 4xx.</summary>
    internal static bool CountsForBreaker(Exception ex) => ex switch
    {
        OperationCanceledException => false,
        AnthropicApiException api => (int)api.StatusCode is not (400 or 413 or 422),
        _ => true,
    };

    private void Finish(Activity? activity, string outcome, long inputTokens, long outputTokens)
    {
        var cost = _options.CostUsd(inputTokens, outputTokens);
        Telemetry.RecordLlmCall(Model, Operation, outcome, inputTokens, outputTokens, cost);
        if (inputTokens > 0 || outputTokens > 0)
        {
            _ledger.Record(Operation, Model, inputTokens, outputTokens, cost);
        }

        activity?.SetTag("llm.outcome", outcome);
        activity?.SetTag("llm.input_tokens", inputTokens);
        activity?.SetTag("llm.output_tokens", outputTokens);
        activity?.SetTag("llm.cost_usd", cost);
        if (outcome is not ("ok" or "cancelled"))
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

    private static (string Outcome, string Reason) Classify(Exception ex) => ex switch
    {
        BrokenCircuitException => ("rejected_by_breaker", "circuit open"),
        TimeoutRejectedException => ("timeout", "timed out"),
        RateLimiterRejectedException => ("failed", "busy (too many concurrent calls)"),
        AnthropicApiException api => ("failed", string.Create(CultureInfo.InvariantCulture, $"failed (HTTP {(int)api.StatusCode})")),
        _ => ("failed", "failed (" + ex.GetType().Name + ")"),
    };

    private static string TextOf(Message message)
    {
        var text = new StringBuilder();
        foreach (var block in message.Content ?? [])
        {
            if (block.TryPickText(out var part))
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }

    private ResiliencePipeline BuildPipeline(TimeProvider time, TimeSpan attemptTimeout)
    {
        var maxDelay = TimeSpan.FromMilliseconds(_options.RetryMaxDelayMs);
        var builder = new ResiliencePipelineBuilder { Name = "llm", TimeProvider = time }
            .AddTimeout(TimeSpan.FromMilliseconds(_options.TotalTimeoutMs))
            .AddConcurrencyLimiter(_options.MaxConcurrency, _options.MaxQueue);
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsTransient(ex)),
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(_options.RetryBaseDelayMs),
                MaxDelay = maxDelay,
                // A 429/503 Retry-After (captured by RetryAfterHandler) wins over the backoff, capped at MaxDelay.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Context.Properties.TryGetValue(RetryAfterKey, out var box) && box.Value is { } hint
                        ? TimeSpan.FromTicks(Math.Clamp(hint.Ticks, 0, maxDelay.Ticks))
                        : null),
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && CountsForBreaker(ex)),
                FailureRatio = _options.CircuitFailureRatio,
                MinimumThroughput = _options.CircuitMinimumThroughput,
                SamplingDuration = TimeSpan.FromMilliseconds(_options.CircuitSamplingDurationMs),
                BreakDuration = TimeSpan.FromMilliseconds(_options.CircuitBreakDurationMs),
                StateProvider = _circuit,
                OnOpened = args =>
                {
                    Telemetry.SetCircuitOpen(true);
                    LogCircuitOpened(_logger, Model, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    LogCircuitHalfOpened(_logger, Model);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Telemetry.SetCircuitOpen(false);
                    LogCircuitClosed(_logger, Model);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(attemptTimeout)
            .Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM second opinion ({Model}) unavailable: {Reason}; the local answer stands. {Suppressed} similar events were not logged.")]
    private static partial void LogCallFailed(ILogger logger, string model, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM second opinion ({Model}) rejected: {Reason}; the local answer stands. {Suppressed} similar events were not logged.")]
    private static partial void LogInvalidAnswer(ILogger logger, string model, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM circuit breaker opened for {Model}: no calls for {BreakSeconds} s.")]
    private static partial void LogCircuitOpened(ILogger logger, string model, double breakSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "LLM circuit breaker half-open for {Model}: trying one call.")]
    private static partial void LogCircuitHalfOpened(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "LLM circuit breaker closed for {Model}.")]
    private static partial void LogCircuitClosed(ILogger logger, string model);
}

/// <summary>
/// Captures a response's <c>Retry-After</c> for the retry strategy (the SDK's exceptions do not carry
/// headers). The pipeline callback puts a box in <see cref="Current"/>, which flows into the SDK's HTTP call.
/// </summary>
internal sealed class RetryAfterHandler(TimeProvider time) : DelegatingHandler
{
    /// <summary>Where the current attempt wants the hint.</summary>
    public static readonly AsyncLocal<StrongBox<TimeSpan?>?> Current = new();

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (Current.Value is { } box && response.Headers.RetryAfter is { } retryAfter)
        {
            box.Value = retryAfter.Delta ?? (retryAfter.Date - time.GetUtcNow());
        }

        return response;
    }
}
