using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Health.V1;
using Grpc.Core;

namespace AiGrpc.IntegrationTests.Platform;

public class AuthenticationTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Rest_without_a_key_is_401_with_a_bearer_challenge_and_a_json_error()
    {
        using var client = app.CreateRestClient(apiKey: null);
        using var response = await client.GetAsync("/api/v1/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal((int)StatusCode.Unauthenticated, body.GetProperty("code").GetInt32());
        Assert.Contains("Bearer", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer invalid")]
    [InlineData("Bearer ")]
    [InlineData("Basic aW50ZWdyYXRpb246eA==")]
    public async Task Rest_with_a_wrong_key_is_401_invalid_token(string authorization)
    {
        using var client = app.CreateRestClient(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/health");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_with_the_right_key_is_served()
    {
        using var client = app.CreateRestClient();
        using var response = await client.GetAsync("/api/v1/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/no-such-route")]
    [InlineData("/aigrpc.analytics.v1.AnalyticsService/NoSuchMethod")]
    public async Task A_path_no_route_declares_needs_a_key_too_so_nothing_is_open_by_default(string path)
    {
        using var anonymous = app.CreateRestClient(apiKey: null);
        using var refused = await anonymous.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var client = app.CreateRestClient();
        using var served = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.Unauthorized, served.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/live")]
    [InlineData("/metrics")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")] // the Swagger UI opens in a browser although keys are configured
    [InlineData("/swagger")]
    public async Task Routes_marked_anonymous_need_no_key(string path)
    {
        using var anonymous = app.CreateRestClient(apiKey: null);
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.MovedPermanently, $"{path}: {response.StatusCode}");
    }

    [Fact]
    public async Task Grpc_without_or_with_a_wrong_key_is_UNAUTHENTICATED()
    {
        using var channel = app.CreateChannel();
        var client = new HealthService.HealthServiceClient(channel);

        var missing = await Assert.ThrowsAsync<RpcException>(async () => await client.GetHealthAsync(new GetHealthRequest(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);

        var wrong = await Assert.ThrowsAsync<RpcException>(async () => await client.GetHealthAsync(
            new GetHealthRequest(), new Metadata { { "authorization", "Bearer invalid" } }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Contains("Invalid API key", wrong.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_with_the_right_key_is_served_through_the_typed_client()
    {
        using var client = app.CreateTypedClient();
        var report = await client.Health.GetReportAsync(TestContext.Current.CancellationToken);
        Assert.Equal(AiGrpc.Client.ServiceHealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task Typed_client_without_a_key_gets_UNAUTHENTICATED()
    {
        using var client = app.CreateTypedClient(apiKey: null);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.Health.GetReportAsync(TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }
}
