using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Client;
using AiGrpc.TestKit;
using Grpc.Core;

namespace AiGrpc.EndToEndTests.Platform;

public class ServiceProcessTests
{
    private const string Key = "e2e-key-5d1c0b8a";

    private static Task<ServerProcess> StartAsync() => ServerProcess.StartAsync(
        new Dictionary<string, string?> { ["Auth__ApiKeys__e2e"] = Key }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Real_server_answers_both_protocols_through_the_client_library_and_plain_http()
    {
        await using var server = await StartAsync();
        TestContext.Current.SendDiagnosticMessage($"startup to live: {server.StartupTime.TotalMilliseconds:F0} ms");

        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);
        Assert.True(await client.Health.IsServingAsync(cancellationToken: TestContext.Current.CancellationToken));
        var report = await client.Health.GetReportAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ServiceHealthStatus.Healthy, report.Status);

        using var anonymous = AiGrpcClientFactory.Create(server.GrpcAddress, apiKey: null);
        Assert.True(await anonymous.Health.IsServingAsync(cancellationToken: TestContext.Current.CancellationToken));
        var denied = await Assert.ThrowsAsync<RpcException>(() => anonymous.Health.GetReportAsync(TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);

        using var http = new HttpClient { BaseAddress = server.RestAddress };
        var health = await http.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        using var unauthorized = await http.GetAsync("/api/v1/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Fact]
    public async Task The_grpc_port_speaks_only_http2_and_the_rest_port_only_http1()
    {
        await using var server = await StartAsync();
        using var http1 = new HttpClient();
        using var onGrpcPort = await http1.GetAsync(new Uri(server.GrpcAddress, "/live"), TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, onGrpcPort.StatusCode);

        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => h2.GetAsync(new Uri(server.RestAddress, "/live"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Starting_without_keys_and_without_development_mode_fails_with_a_clear_message()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("aigrpc: configuration error: No API key is configured", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exited with 2", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", ex.Message, StringComparison.Ordinal); // one line, no stack trace
    }

    [Fact]
    public async Task Development_mode_is_explicit_and_logged()
    {
        await using var server = await ServerProcess.StartAsync(
            new Dictionary<string, string?> { ["Auth__AllowAnonymous"] = "true" }, TestContext.Current.CancellationToken);
        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, apiKey: null);
        Assert.Equal(ServiceHealthStatus.Healthy, (await client.Health.GetReportAsync(TestContext.Current.CancellationToken)).Status);
        Assert.Contains("DEVELOPMENT MODE", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_lets_an_in_flight_call_finish_and_refuses_new_connections()
    {
        await using var server = await StartAsync();
        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);
        var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(client.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);
        var list = new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty };
        await call.RequestStream.WriteAsync(list, TestContext.Current.CancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        server.Terminate();
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.False(server.HasExited, "the server must wait for the in-flight call");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(new Uri(server.RestAddress, "/live"), TestContext.Current.CancellationToken));

        // The in-flight stream is still served after SIGTERM, then completes normally.
        await call.RequestStream.WriteAsync(list, TestContext.Current.CancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Contains("aigrpc.health.v1.HealthService", call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(20)), server.Output);
        Assert.Equal(0, server.ExitCode);
    }

    [Fact]
    public async Task Sigterm_stops_the_server_cleanly_with_exit_code_0()
    {
        var server = await StartAsync();
        await using (server)
        {
            server.Terminate();
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), server.Output);
            Assert.Equal(0, server.ExitCode);
            using var http = new HttpClient();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(new Uri(server.RestAddress, "/live"), TestContext.Current.CancellationToken));
        }
    }
}
