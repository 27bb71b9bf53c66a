using System.Net;
using System.Text.RegularExpressions;
using AiGrpc.Server.Observability;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiGrpc.IntegrationTests.Observability;

/// <summary>The Prometheus exposition (names follow the OpenTelemetry semantic conventions) and the trace id headers.</summary>
public partial class MetricsAndTraceHeaderTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_are_served_anonymously_with_semantic_convention_names()
    {
        using var authenticated = app.CreateRestClient();
        using var live = await authenticated.GetAsync(new Uri("/live", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // A gRPC call without a key is refused by the authentication middleware, before any RPC runs.
        var error = await Assert.ThrowsAsync<RpcException>(async () => await app.CreateTypedClient(apiKey: null).Validation.ValidateXmlAsync("<DTE/>", Ct));
        // An authenticated one runs and is recorded with its final status (OK: a REJECT verdict is an answer).
        var verdict = await app.CreateTypedClient().Validation.ValidateXmlAsync("<DTE/>", Ct);

        using var anonymous = app.CreateRestClient(apiKey: null);
        using var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var names = MetricNames().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

        string[] expected =
        [
            "http_server_request_duration_seconds_bucket", "http_server_active_requests",
            "process_memory_usage_bytes", "process_cpu_time_seconds_total", "dotnet_gc_collections_total", "dotnet_thread_pool_thread_count_total",
            "aigrpc_llm_circuit_open", "aigrpc_llm_cost_USD_total", "aigrpc_llm_calls_total", "aigrpc_analytics_matches_total", "aigrpc_validation_documents_total",
            "rpc_server_call_duration_seconds_bucket",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
        // Updated on every request and read by nothing (ObservabilityExtensions.PerRequestInstrumentsNotExported).
        Assert.DoesNotContain(names, name => name.StartsWith("aspnetcore_routing_match_attempts", StringComparison.Ordinal)
            || name.StartsWith("aspnetcore_authentication_authenticate_duration", StringComparison.Ordinal)
            || name.StartsWith("aspnetcore_memory_pool", StringComparison.Ordinal) || name.StartsWith("kestrel_queued_requests", StringComparison.Ordinal));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.NotNull(verdict);
        Assert.Matches("rpc_server_call_duration_seconds_count\\{[^}]*rpc_grpc_status_code=\"0\"[^}]*rpc_method=\"ValidateDte\"", text);
        Assert.DoesNotMatch("rpc_server_call_duration_seconds_count\\{[^}]*rpc_grpc_status_code=\"16\"", text);
    }

    [Fact]
    public async Task Rest_and_grpc_responses_carry_the_trace_id()
    {
        using var rest = app.CreateRestClient();
        using var response = await rest.GetAsync(new Uri("/health", UriKind.Relative), Ct);
        var traceId = Assert.Single(response.Headers.GetValues("x-trace-id"));
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        // With no trace exporter configured the span exists for its id but is not recorded: the flags say so.
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-00$", Assert.Single(response.Headers.GetValues("traceresponse")));

        // A caller's traceparent is continued: the same trace id comes back.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        using var continued = await rest.SendAsync(request, Ct);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Assert.Single(continued.Headers.GetValues("x-trace-id")));

        var headers = await GrpcHeadersAsync();
        Assert.Matches("^[0-9a-f]{32}$", headers.GetValue("x-trace-id") ?? string.Empty);
    }

    [Fact]
    public void Bad_observability_settings_stop_the_service_at_start()
    {
        using var bad = app.WithWebHostBuilder(b => b.UseSetting("Observability:OtlpProtocol", "thrift"));
        var error = Assert.Throws<OptionsValidationException>(() => bad.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value);
        Assert.Contains("Observability:OtlpProtocol", error.Message, StringComparison.Ordinal);
        using var ratio = app.WithWebHostBuilder(b => b.UseSetting("Observability:SamplingRatio", "1.5"));
        Assert.Throws<OptionsValidationException>(() => ratio.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value);
    }

    private async Task<Metadata> GrpcHeadersAsync()
    {
        var client = new Grpc.Health.V1.Health.HealthClient(app.CreateChannel());
        using var call = client.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), cancellationToken: Ct);
        await call.ResponseAsync;
        return await call.ResponseHeadersAsync;
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )", RegexOptions.Multiline)]
    private static partial Regex MetricNames();
}
