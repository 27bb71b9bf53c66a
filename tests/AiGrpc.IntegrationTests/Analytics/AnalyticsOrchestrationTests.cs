using AiGrpc.Analytics.V1;
using AiGrpc.Server.Caching;
using AiGrpc.TestKit;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.Analytics;

/// <summary>MatchInvoice with its optional parts real: the Anthropic SDK against a fake Anthropic server on
/// loopback, and a real redis-server for the cache.</summary>
public class AnalyticsOrchestrationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // An invoice the local engine is unsure about: generic text, a new supplier, two plausible projects.
    private static MatchInvoiceRequest Unsure(string suffix = "")
    {
        var request = AnalyticsSamples.Grpc("Servicios de apoyo a faena" + suffix);
        request.SupplierRut = "77.020.202-0";
        request.SupplierName = "Proveedor Nuevo SpA";
        request.History.Clear();
        return request;
    }

    private WebApplicationFactory<Program> WithLlm(FakeAnthropicServer fake, params (string Key, string Value)[] settings) =>
        app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Llm:Anthropic:ApiKey", "sk-ant-test-not-a-real-key-0123456789");
            b.UseSetting("Llm:Anthropic:BaseUrl", fake.BaseUrl);
            b.UseSetting("Llm:MaxRetries", "0");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    private static async Task<MatchInvoiceResponse> MatchAsync(WebApplicationFactory<Program> factory, MatchInvoiceRequest request, TimeSpan? deadline = null)
    {
        var channel = Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress, new() { HttpHandler = factory.Server.CreateHandler() });
        var client = new AnalyticsService.AnalyticsServiceClient(channel);
        return await client.MatchInvoiceAsync(request, new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } },
            deadline is { } d ? DateTime.UtcNow + d : null, Ct);
    }

    [Fact]
    public async Task The_local_engine_answers_alone_when_it_is_sure()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        await using var factory = WithLlm(fake);
        var response = await MatchAsync(factory, AnalyticsSamples.Grpc("Materiales según OC 4500112233"));
        Assert.Equal("local", response.Engine);
        Assert.Equal(11, response.MatchedProjectId);
        Assert.Equal(0, fake.RequestCount);
    }

    [Fact]
    public async Task An_unsure_match_asks_the_llm_and_takes_its_valid_answer()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.Enqueue(FakeAnthropicReply.Choose(12, 0.8, "El servicio corresponde a la planta solar."));
        await using var factory = WithLlm(fake);
        var response = await MatchAsync(factory, Unsure());

        Assert.Equal("llm", response.Engine);
        Assert.Equal(12, response.MatchedProjectId);
        Assert.Equal(0.8, response.Confidence, 3);
        Assert.Contains("planta solar", response.Reasoning, StringComparison.Ordinal);
        var prompt = Assert.Single(fake.Requests).Body;
        Assert.Contains("Servicios de apoyo a faena", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("77.020.202", prompt, StringComparison.Ordinal); // no RUTs to the LLM
    }

    public static TheoryData<string> Failures => ["malformed", "unknown-project", "429", "500"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Any_llm_failure_keeps_the_local_answer_and_says_so(string failure)
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = failure switch
        {
            "malformed" => FakeAnthropicReply.Answer("{\"project_id\": 12, \"confidence\": "),
            "unknown-project" => FakeAnthropicReply.Choose(999),
            "429" => FakeAnthropicReply.Error(429, retryAfter: "0"),
            _ => FakeAnthropicReply.Error(500),
        };
        await using var factory = WithLlm(fake);
        var local = await MatchAsync(app, Unsure());
        var response = await MatchAsync(factory, Unsure());

        Assert.Equal("local", response.Engine);
        Assert.Equal(local.MatchedProjectId, response.MatchedProjectId);
        Assert.Equal(local.Confidence, response.Confidence);
        Assert.Contains("Segunda opinión no disponible", response.Reasoning, StringComparison.Ordinal);
        Assert.True(fake.RequestCount >= 1);
    }

    [Fact]
    public async Task A_slow_llm_still_answers_locally_within_the_callers_deadline()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Choose(12).After(TimeSpan.FromSeconds(10));
        await using var factory = WithLlm(fake, ("Llm:TimeoutMs", "5000"), ("Llm:TotalTimeoutMs", "9000"));
        _ = factory.Server; // host started before the clock starts
        var started = DateTime.UtcNow;
        var response = await MatchAsync(factory, Unsure(), deadline: TimeSpan.FromMilliseconds(1500));
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal("local", response.Engine);
        Assert.Contains("Segunda opinión no disponible", response.Reasoning, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(1500), $"answered after {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task The_circuit_opens_after_failures_then_closes_after_a_success()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Error(500);
        await using var factory = WithLlm(fake, ("Llm:CircuitMinimumThroughput", "2"), ("Llm:CircuitBreakDurationMs", "800"), ("Llm:CircuitSamplingDurationMs", "5000"));

        // Distinct requests: an unavailable answer is never cached, but keep them apart anyway.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("local", (await MatchAsync(factory, Unsure())).Engine);
        }

        var calls = fake.RequestCount;
        var rejected = await MatchAsync(factory, Unsure());
        Assert.Equal(calls, fake.RequestCount); // open: the LLM is not called
        Assert.Contains("circuit", rejected.Reasoning, StringComparison.OrdinalIgnoreCase);

        await Task.Delay(1000, Ct);
        fake.DefaultReply = FakeAnthropicReply.Choose(12);
        Assert.Equal("llm", (await MatchAsync(factory, Unsure())).Engine); // half-open trial succeeds
        Assert.Equal("cache", (await MatchAsync(factory, Unsure())).Engine); // a valid LLM answer is cached
        Assert.Equal("llm", (await MatchAsync(factory, Unsure(" varios"))).Engine); // closed again
    }

    [Fact]
    public async Task Redis_caches_answers_and_its_loss_mid_test_fails_no_request()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var factory = app.WithWebHostBuilder(b => b.UseSetting("Cache:Redis", redis.ConnectionString));
        var connection = await factory.Services.GetRequiredService<RedisConnection>().GetAsync().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        for (var i = 0; i < 500 && !connection.IsConnected; i++)
        {
            await Task.Delay(20, Ct);
        }

        var request = AnalyticsSamples.Grpc($"mant. salas eléctricas Ministro Hales {Guid.NewGuid():N}");
        Assert.Equal("local", (await MatchAsync(factory, request)).Engine);
        Assert.Equal("cache", (await MatchAsync(factory, request)).Engine);
        Assert.NotEmpty(await connection.GetServer(connection.GetEndPoints()[0]).KeysAsync(pattern: "aigrpc:analytics:*").ToListAsync(Ct));

        await redis.StopAsync();
        for (var i = 0; i < 5; i++)
        {
            var response = await MatchAsync(factory, AnalyticsSamples.Grpc($"mant. salas eléctricas Ministro Hales {i}"));
            Assert.Equal("local", response.Engine);
            Assert.Equal(13, response.MatchedProjectId);
        }

        await redis.RestartAsync();
        var again = AnalyticsSamples.Grpc($"termografía Ministro Hales {Guid.NewGuid():N}");
        var engines = new List<string>();
        for (var i = 0; i < 100 && !engines.Contains("cache"); i++)
        {
            engines.Add((await MatchAsync(factory, again)).Engine);
            await Task.Delay(50, Ct);
        }

        Assert.Contains("cache", engines); // Redis is used again after it returns
    }
}
