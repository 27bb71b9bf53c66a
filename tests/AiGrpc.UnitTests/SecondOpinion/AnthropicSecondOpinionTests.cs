using System.Diagnostics;
using AiGrpc.Server.Analytics.SecondOpinion;
using AiGrpc.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace AiGrpc.UnitTests.SecondOpinion;

/// <summary>The real Anthropic SDK against a fake Messages API on loopback.</summary>
public class AnthropicSecondOpinionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewModel() => "claude-test-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Success_names_a_candidate_and_the_sdk_sends_key_version_and_the_candidates()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.Enqueue(FakeAnthropicReply.Choose(11, 0.88, "Mismo proveedor y subestación que facturas anteriores."));
        var model = NewModel();
        await using var services = LlmServices.Build(LlmServices.Settings(fake, model));
        var llm = services.GetRequiredService<ISecondOpinion>();
        Assert.True(llm.IsEnabled);

        var answer = await llm.AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.Chosen, answer.Outcome);
        Assert.Equal(11, answer.ProjectId);
        Assert.Equal(0.88, answer.Confidence);
        Assert.Equal("Mismo proveedor y subestación que facturas anteriores.", answer.Reasoning);

        var request = Assert.Single(fake.Requests);
        Assert.True(request.ApiKey == LlmServices.ApiKey || request.Authorization == "Bearer " + LlmServices.ApiKey, "the key header is missing");
        Assert.False(string.IsNullOrEmpty(request.AnthropicVersion));
        var body = request.Json;
        Assert.Equal(model, body.GetProperty("model").GetString());
        Assert.Equal(400, body.GetProperty("max_tokens").GetInt32());
        Assert.Contains("JSON", body.GetProperty("system").GetString(), StringComparison.Ordinal);
        var user = body.GetProperty("messages")[0];
        Assert.Equal("user", user.GetProperty("role").GetString());
        var prompt = user.GetProperty("content").ValueKind == System.Text.Json.JsonValueKind.String
            ? user.GetProperty("content").GetString()!
            : user.GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Contains("PRJ-LA-02", prompt, StringComparison.Ordinal);
        Assert.Contains("Subestación Los Andes", prompt, StringComparison.Ordinal);
        Assert.Contains("OC 4500123", prompt, StringComparison.Ordinal);
        Assert.Contains("Arriendo camioneta", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain(LlmServices.ApiKey, request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_project_is_a_no_match_answer()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.Enqueue(FakeAnthropicReply.Choose(null, 0.7, "Ningún proyecto coincide: gasto general."));
        await using var services = LlmServices.Build(LlmServices.Settings(fake, NewModel()));

        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.NoMatch, answer.Outcome);
        Assert.Null(answer.ProjectId);
        Assert.Equal(0.7, answer.Confidence);
    }

    [Theory]
    [InlineData("Creo que es el proyecto 11.", "malformed JSON")]
    [InlineData("{\"project_id\": 99, \"confidence\": 0.9, \"reasoning\": \"x\"}", "not among the candidates")]
    [InlineData("{\"project_id\": 11, \"confidence\": 1.5, \"reasoning\": \"x\"}", "confidence")]
    [InlineData("{\"project_id\": \"11\", \"confidence\": 0.9, \"reasoning\": \"x\"}", "project_id")]
    public async Task Answers_that_do_not_validate_are_unavailable_and_not_retried_but_still_cost(string text, string reason)
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.Enqueue(FakeAnthropicReply.Answer(text, inputTokens: 900, outputTokens: 30));
        var model = NewModel();
        using var metrics = new LlmMetrics(model);
        await using var services = LlmServices.Build(LlmServices.Settings(fake, model));

        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.Unavailable, answer.Outcome);
        Assert.Null(answer.ProjectId);
        Assert.StartsWith("invalid answer", answer.UnavailableReason, StringComparison.Ordinal);
        Assert.Contains(reason, answer.UnavailableReason, StringComparison.Ordinal);
        Assert.Equal(1, fake.RequestCount);
        Assert.Equal(1, metrics.Sum("aigrpc.llm.calls", "outcome", "invalid_answer"));
        Assert.Equal(900, services.GetRequiredService<LlmCostLedger>().Report("today").InputTokens);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_retry_after_and_then_succeeds()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.Enqueue(FakeAnthropicReply.Error(429, retryAfter: "1"), FakeAnthropicReply.Choose(12));
        var settings = LlmServices.Settings(fake, NewModel());
        settings["Llm:RetryMaxDelayMs"] = "3000";
        await using var services = LlmServices.Build(settings);

        var timer = Stopwatch.StartNew();
        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.Chosen, answer.Outcome);
        Assert.Equal(12, answer.ProjectId);
        Assert.Equal(2, fake.RequestCount);
        // The base backoff is 10 ms: waiting about a second means the Retry-After header was honoured.
        Assert.True(timer.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {timer.Elapsed}");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(529)]
    [InlineData(503)]
    public async Task Repeated_server_errors_are_retried_then_unavailable(int status)
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Error(status);
        var model = NewModel();
        using var metrics = new LlmMetrics(model);
        await using var services = LlmServices.Build(LlmServices.Settings(fake, model));

        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.Unavailable, answer.Outcome);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.UnavailableReason, StringComparison.Ordinal);
        Assert.Equal(3, fake.RequestCount); // 1 + MaxRetries (2)
        Assert.Equal(1, metrics.Sum("aigrpc.llm.calls", "outcome", "failed"));
        Assert.Equal(0, services.GetRequiredService<LlmCostLedger>().Report("today").Calls);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Error(401);
        await using var services = LlmServices.Build(LlmServices.Settings(fake, NewModel()));

        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.Unavailable, answer.Outcome);
        Assert.Contains("401", answer.UnavailableReason, StringComparison.Ordinal);
        Assert.Equal(1, fake.RequestCount);
    }

    [Fact]
    public async Task A_slow_model_is_abandoned_within_the_timeouts()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Choose(11).After(TimeSpan.FromSeconds(10));
        var model = NewModel();
        using var metrics = new LlmMetrics(model);
        var settings = LlmServices.Settings(fake, model);
        settings["Llm:TimeoutMs"] = "300";
        settings["Llm:MaxRetries"] = "1";
        settings["Llm:TotalTimeoutMs"] = "2000";
        await using var services = LlmServices.Build(settings);

        var timer = Stopwatch.StartNew();
        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);
        timer.Stop();

        Assert.Equal(SecondOpinionOutcome.Unavailable, answer.Outcome);
        Assert.Contains("timed out", answer.UnavailableReason, StringComparison.Ordinal);
        Assert.Equal(2, fake.RequestCount); // the attempt timeout is retried once
        Assert.InRange(timer.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromMilliseconds(1500));
        Assert.Equal(1, metrics.Sum("aigrpc.llm.calls", "outcome", "timeout"));
    }

    [Fact]
    public async Task The_total_timeout_bounds_all_attempts()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Choose(11).After(TimeSpan.FromSeconds(10));
        var settings = LlmServices.Settings(fake, NewModel());
        settings["Llm:TimeoutMs"] = "400";
        settings["Llm:MaxRetries"] = "5";
        settings["Llm:TotalTimeoutMs"] = "600";
        await using var services = LlmServices.Build(settings);

        var timer = Stopwatch.StartNew();
        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.Unavailable, answer.Outcome);
        Assert.InRange(timer.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromMilliseconds(2000));

        // One attempt times out at 400 ms; whether the retry starts before 600 ms depends on the jittered
        // backoff and the machine's load. What matters: the other four retries never happen.
        Assert.InRange(fake.RequestCount, 1, 2);
    }

    [Fact]
    public async Task The_callers_cancellation_propagates_promptly()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Choose(11).After(TimeSpan.FromSeconds(10));
        await using var services = LlmServices.Build(LlmServices.Settings(fake, NewModel()));
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        caller.CancelAfter(200);

        var timer = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), caller.Token));
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(1), $"cancellation took {timer.Elapsed}");
    }

    [Fact]
    public async Task The_circuit_opens_after_failures_stops_calling_and_closes_after_the_break()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Error(500);
        var model = NewModel();
        using var metrics = new LlmMetrics(model);
        var settings = LlmServices.Settings(fake, model);
        settings["Llm:MaxRetries"] = "0";
        settings["Llm:CircuitMinimumThroughput"] = "3";
        settings["Llm:CircuitFailureRatio"] = "0.5";
        settings["Llm:CircuitSamplingDurationMs"] = "10000";
        settings["Llm:CircuitBreakDurationMs"] = "700";
        await using var services = LlmServices.Build(settings);
        var llm = services.GetRequiredService<AnthropicSecondOpinion>();
        Assert.Equal(HealthStatus.Healthy, (await LlmServices.HealthAsync(services)).Status);

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("HTTP 500", (await llm.AskAsync(LlmServices.Request(), Ct)).UnavailableReason, StringComparison.Ordinal);
        }

        Assert.Equal(CircuitState.Open, llm.CircuitState);
        Assert.Equal(HealthStatus.Degraded, (await LlmServices.HealthAsync(services)).Status);
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("LLM circuit open", (await llm.AskAsync(LlmServices.Request(), Ct)).UnavailableReason);
        }

        Assert.True(timer.Elapsed < TimeSpan.FromMilliseconds(300), $"rejections took {timer.Elapsed}");
        Assert.Equal(3, fake.RequestCount); // nothing reached the server while open
        Assert.Equal(5, metrics.Sum("aigrpc.llm.calls", "outcome", "rejected_by_breaker"));

        fake.DefaultReply = FakeAnthropicReply.Choose(20, 0.8);
        await Task.Delay(800, Ct);
        var answer = await llm.AskAsync(LlmServices.Request(), Ct);
        Assert.Equal(SecondOpinionOutcome.Chosen, answer.Outcome);
        Assert.Equal(20, answer.ProjectId);
        Assert.Equal(CircuitState.Closed, llm.CircuitState);
        Assert.Equal(4, fake.RequestCount);
        Assert.Equal(HealthStatus.Healthy, (await LlmServices.HealthAsync(services)).Status);
    }

    [Fact]
    public async Task Concurrency_beyond_the_limit_and_queue_is_turned_away()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Choose(11).After(TimeSpan.FromMilliseconds(300));
        var settings = LlmServices.Settings(fake, NewModel());
        settings["Llm:MaxConcurrency"] = "1";
        settings["Llm:MaxQueue"] = "0";
        await using var services = LlmServices.Build(settings);
        var llm = services.GetRequiredService<ISecondOpinion>();

        var first = llm.AskAsync(LlmServices.Request(), Ct);
        while (fake.RequestCount == 0)
        {
            await Task.Delay(10, Ct); // the first call holds the only slot
        }

        var second = await llm.AskAsync(LlmServices.Request(), Ct);

        Assert.Equal(SecondOpinionOutcome.Unavailable, second.Outcome);
        Assert.Contains("busy", second.UnavailableReason, StringComparison.Ordinal);
        Assert.Equal(SecondOpinionOutcome.Chosen, (await first).Outcome);
        Assert.Equal(1, fake.RequestCount);
    }

    [Fact]
    public async Task Tokens_and_cost_are_accounted_per_operation_and_model()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.Enqueue(
            FakeAnthropicReply.Choose(11, inputTokens: 1000, outputTokens: 50),
            FakeAnthropicReply.Choose(null, inputTokens: 2000, outputTokens: 100));
        var model = NewModel();
        using var metrics = new LlmMetrics(model);
        var settings = LlmServices.Settings(fake, model);
        settings["Llm:InputUsdPerMillionTokens"] = "3";
        settings["Llm:OutputUsdPerMillionTokens"] = "15";
        await using var services = LlmServices.Build(settings);
        var llm = services.GetRequiredService<ISecondOpinion>();

        await llm.AskAsync(LlmServices.Request(), Ct);
        await llm.AskAsync(LlmServices.Request(), Ct);

        // (3000 x 3 + 150 x 15) / 1e6 = 0.01125 USD
        var report = services.GetRequiredService<LlmCostLedger>().Report("today");
        var line = Assert.Single(report.Lines);
        Assert.Equal((AnthropicSecondOpinion.Operation, model), (line.Operation, line.Model));
        Assert.Equal((2L, 3000L, 150L), (line.Calls, line.InputTokens, line.OutputTokens));
        Assert.Equal(0.01125, line.CostUsd, 9);
        Assert.Equal(3000, metrics.Sum("aigrpc.llm.tokens", "direction", "input"));
        Assert.Equal(150, metrics.Sum("aigrpc.llm.tokens", "direction", "output"));
        Assert.Equal(0.01125, metrics.Sum("aigrpc.llm.cost"), 9);
        Assert.Equal(2, metrics.Sum("aigrpc.llm.calls", "outcome", "ok"));
    }

    [Fact]
    public async Task No_candidates_means_no_call()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        await using var services = LlmServices.Build(LlmServices.Settings(fake, NewModel()));
        var request = LlmServices.Request() with { Candidates = [] };

        var answer = await services.GetRequiredService<ISecondOpinion>().AskAsync(request, Ct);

        Assert.Equal(SecondOpinionOutcome.Unavailable, answer.Outcome);
        Assert.Equal(0, fake.RequestCount);
    }

    [Fact]
    public async Task The_span_names_model_and_outcome_but_carries_no_prompt_or_key()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.Enqueue(FakeAnthropicReply.Choose(12, inputTokens: 321, outputTokens: 12));
        var model = NewModel();
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "AiGrpc",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "llm.second_opinion" && Equals(activity.GetTagItem("llm.model"), model))
                {
                    lock (spans)
                    {
                        spans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var services = LlmServices.Build(LlmServices.Settings(fake, model));

        await services.GetRequiredService<ISecondOpinion>().AskAsync(LlmServices.Request(), Ct);

        var span = Assert.Single(spans);
        Assert.Equal("ok", span.GetTagItem("llm.outcome"));
        Assert.Equal(321L, span.GetTagItem("llm.input_tokens"));
        var values = string.Join("|", span.TagObjects.Select(t => t.Value?.ToString()));
        Assert.DoesNotContain("Los Andes", values, StringComparison.Ordinal);
        Assert.DoesNotContain("Servicios", values, StringComparison.Ordinal);
        Assert.DoesNotContain(LlmServices.ApiKey, values, StringComparison.Ordinal);
    }
}
