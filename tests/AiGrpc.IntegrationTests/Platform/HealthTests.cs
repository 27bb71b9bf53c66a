using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Server.Health;
using Grpc.Health.V1;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.IntegrationTests.Platform;

public class HealthTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Health_answers_the_legacy_shape_without_a_key()
    {
        using var client = app.CreateRestClient(apiKey: null);
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("aigrpc-dte-intelligence", body.GetProperty("service").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.True(body.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        Assert.True(body.GetProperty("uptime_seconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Object, body.GetProperty("dependencies").ValueKind);
    }

    [Fact]
    public async Task Live_and_ready_answer_without_a_key()
    {
        using var client = app.CreateRestClient(apiKey: null);
        var live = await client.GetFromJsonAsync<JsonElement>("/live", TestContext.Current.CancellationToken);
        Assert.Equal("alive", live.GetProperty("status").GetString());
        Assert.True(live.GetProperty("uptime_seconds").GetDouble() >= 0);
        var ready = await client.GetFromJsonAsync<JsonElement>("/ready", TestContext.Current.CancellationToken);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Standard_grpc_health_check_is_SERVING_without_a_key()
    {
        using var channel = app.CreateChannel();
        var response = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Theory]
    [InlineData(HealthStatus.Degraded, 207, "degraded", "ready", 200)]
    [InlineData(HealthStatus.Unhealthy, 503, "unhealthy", "not_ready", 503)]
    public async Task Failing_dependencies_change_the_status_codes(HealthStatus failure, int healthCode, string status, string readyStatus, int readyCode)
    {
        using var factory = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddHealthChecks()
            .AddCheck("fake-store", () => new HealthCheckResult(failure, "fake failure"), tags: [DependencyHealth.DependencyTag, DependencyHealth.ReadyTag])));
        using var client = factory.CreateClient();

        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(healthCode, (int)health.StatusCode);
        var body = await health.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(status, body.GetProperty("status").GetString());
        Assert.Equal(status, body.GetProperty("dependencies").GetProperty("fake-store").GetProperty("status").GetString());

        using var ready = await client.GetAsync("/ready", TestContext.Current.CancellationToken);
        Assert.Equal(readyCode, (int)ready.StatusCode);
        Assert.Equal(readyStatus, (await ready.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress, new() { HttpHandler = factory.Server.CreateHandler() });
        var grpc = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(failure == HealthStatus.Unhealthy ? HealthCheckResponse.Types.ServingStatus.NotServing : HealthCheckResponse.Types.ServingStatus.Serving, grpc.Status);
    }
}
