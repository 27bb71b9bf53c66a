using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;

namespace AiGrpc.IntegrationTests.Platform;

public class DiscoveryTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Reflection_lists_the_services_for_an_authenticated_caller()
    {
        using var channel = app.CreateChannel();
        var client = new ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo(new Metadata { { "authorization", $"Bearer {AppFactory.ApiKey}" } }, cancellationToken: TestContext.Current.CancellationToken);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("aigrpc.health.v1.HealthService", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task Reflection_requires_a_key()
    {
        using var channel = app.CreateChannel();
        var client = new ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, TestContext.Current.CancellationToken);
            await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken);
        });
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_transcoded_routes_with_proto_comments()
    {
        using var client = app.CreateRestClient(apiKey: null);
        using var response = await client.GetAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var get = doc.GetProperty("paths").GetProperty("/api/v1/health").GetProperty("get");
        Assert.Contains("GetHealth returns the overall status", get.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    [Fact]
    public async Task An_answer_longer_than_the_hold_bound_still_arrives_whole()
    {
        // The OpenAPI document is longer than the 16 KB HeldRestResponses holds: it goes out as written, complete.
        using var client = app.CreateRestClient(apiKey: null);
        using var response = await client.GetAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.True(bytes.Length > 16 * 1024, $"{bytes.Length} bytes");
        Assert.True(response.Content.Headers.ContentLength is null || response.Content.Headers.ContentLength == bytes.Length);
        Assert.True(JsonDocument.Parse(bytes).RootElement.TryGetProperty("paths", out _));
    }

    [Fact]
    public async Task OpenApi_document_is_written_for_callers()
    {
        using var client = app.CreateRestClient(apiKey: null);
        var doc = await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json", TestContext.Current.CancellationToken);

        // One tag per service, described by its proto comment (not by the server's C# comments).
        var tags = doc.GetProperty("tags").EnumerateArray().ToList();
        Assert.Equal(tags.Count, tags.Select(t => t.GetProperty("name").GetString()).Distinct().Count());
        var analytics = tags.Single(t => t.GetProperty("name").GetString() == "AnalyticsService").GetProperty("description").GetString();
        Assert.StartsWith("AnalyticsService assigns a supplier invoice", analytics, StringComparison.Ordinal);

        // Stable operation ids: Service_Method, 2 for the additional binding.
        var paths = doc.GetProperty("paths");
        Assert.Equal("AnalyticsService_MatchInvoice", paths.GetProperty("/api/v1/analytics/match").GetProperty("post").GetProperty("operationId").GetString());
        Assert.Equal("AnalyticsService_MatchInvoice2", paths.GetProperty("/api/v1/analytics/invoices:match").GetProperty("post").GetProperty("operationId").GetString());

        // The raw upload takes XML bytes, not an HttpBody JSON message.
        var upload = paths.GetProperty("/api/v1/validation/dte:xml").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/xml", "text/xml"], upload.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.False(doc.GetProperty("components").GetProperty("schemas").TryGetProperty("HttpBody", out _));
    }
}
