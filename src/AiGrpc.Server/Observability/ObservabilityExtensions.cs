using AiGrpc.Analytics.Matching;
using AiGrpc.Server.Caching;
using AiGrpc.Validation.Dte;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AiGrpc.Server.Observability;

/// <summary>
/// Traces (OpenTelemetry, exported over OTLP to Jaeger or a collector only when an endpoint is set)
/// and metrics (Prometheus exposition at <c>GET /metrics</c>), plus the trace id in every response.
/// </summary>
public static class ObservabilityExtensions
{
    private const string UnregisteredRedisKey = "aigrpc-observability-no-connection";

    /// <summary>Paths that are not traced: probes and scrapes would drown the real requests.</summary>
    private static readonly string[] UntracedPaths = ["/metrics", "/live", "/ready", "/health"];

    /// <summary>Per-request and per-buffer ASP.NET Core instruments that are not exported (see <c>AddObservability</c>).</summary>
    internal static readonly string[] PerRequestInstrumentsNotExported =
    [
        "aspnetcore.memory_pool.*",                       // every 4 KB block rented from and returned to Kestrel's pool
        "kestrel.queued_requests",                        // +1 and -1 around every request
        "aspnetcore.routing.match_attempts",              // every request
        "aspnetcore.authentication.authenticate.duration", // every request (the API-key check)
    ];

    /// <summary>
    /// Registers tracing (ASP.NET Core for gRPC and REST, outgoing HTTP such as the LLM call, Redis
    /// commands on the shared multiplexer, the <c>AiGrpc</c> source), metrics (HTTP server and client,
    /// Kestrel, runtime, process, the <c>AiGrpc</c> meter, gRPC calls by status) and their options.
    /// Call before <c>AddGrpcPlatform</c> so the RPC metrics see the mapped status codes.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<RpcMetricsInterceptor>());
        services.AddRedisConnection();

        // Options are read here, once, from configuration: the provider is built before the container.
        // Out-of-range values are clamped here only so that ValidateOnStart can report them by name.
        var options = builder.Configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        var endpoint = options.EffectiveEndpoint(Environment.GetEnvironmentVariable);
        var httpProtobuf = options.UsesHttpProtobuf(Environment.GetEnvironmentVariable);
        var serviceName = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } fromEnvironment ? fromEnvironment : options.ServiceName;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(ObservabilityExtensions).Assembly.GetName().Version?.ToString()));

        telemetry.WithTracing(tracing =>
        {
            // With nowhere to export them, spans are created for their ids (responses, logs and audit lines carry the
            // trace id) but not recorded: recording tagged every request's span only to drop it.
            tracing.SetSampler(endpoint is null
                    ? new AlwaysOffSampler()
                    : new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(options.SamplingRatio, 0.0, 1.0))))
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => !UntracedPaths.Contains(context.Request.Path.Value, StringComparer.OrdinalIgnoreCase);
                    // Request and response bodies and headers are never recorded (no Enrich hooks);
                    // query strings are redacted by the instrumentation's default.
                    o.RecordException = false;
                })
                .AddHttpClientInstrumentation(o =>
                {
                    // The only outgoing HTTP is the LLM call; its key travels in a header, which is not recorded.
                    o.RecordException = false;
                })
                // A service key nobody registers: without one the instrumentation resolves
                // IConnectionMultiplexer at start, which would connect (or throw when Redis is not configured).
                .AddRedisInstrumentation(name: null, connection: null, serviceKey: UnregisteredRedisKey, configure: null)
                .ConfigureRedisInstrumentation((sp, redis) =>
                {
                    // The shared multiplexer is lazy: only when Redis is configured is its (non-blocking,
                    // abortConnect=false) connection started here, to register it with the instrumentation.
                    var connection = sp.GetRequiredService<RedisConnection>();
                    if (connection.IsConfigured)
                    {
                        _ = connection.GetAsync().ContinueWith(
                            t => redis.AddConnection(t.Result),
                            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                    }
                });

            // The service's own spans (matching, cache, LLM) exist only when they are exported: unexported, each was
            // made, tagged and dropped on every call. The request's span stays either way, for the trace id that
            // responses, logs and audit lines carry.
            if (endpoint is not null)
            {
                // The engines name their own sources (they need nothing from the host); their spans join the service's.
                tracing.AddSource(Telemetry.Name, MatchingTelemetry.SourceName, DteTelemetry.SourceName);
                tracing.AddOtlpExporter(o =>
                {
                    o.Protocol = httpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    // In code the address is used as is: the signal path is ours to add for http/protobuf.
                    o.Endpoint = httpProtobuf ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/traces") : endpoint;
                });
            }
        });

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Telemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation();

            // Instruments ASP.NET Core updates on every request or every pooled buffer, which no alert, dashboard or
            // runbook reads: together they were 3.5 % of the server's CPU under a load of full MatchInvoice requests
            // (docs/performance.md). A dropped instrument is not listened to at all, so it costs nothing.
            foreach (var unread in PerRequestInstrumentsNotExported)
            {
                metrics.AddView(unread, MetricStreamConfiguration.Drop);
            }
            if (options.PrometheusEnabled)
            {
                metrics.AddPrometheusExporter();
            }
        });

        return builder;
    }

    /// <summary>
    /// Adds the trace id response headers and maps <c>GET /metrics</c> (anonymous: it carries no
    /// personal data; restrict who reaches it with the NetworkPolicy). Call first, before the error
    /// responses, so that every response carries the headers.
    /// </summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Measurements made before the meter provider exists are dropped: build it, then publish the zeros.
        _ = app.Services.GetRequiredService<MeterProvider>();
        Telemetry.PrimeAlertSeries();
        app.UseTraceIdResponseHeader();
        if (app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.PrometheusEnabled)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }

        return app;
    }
}
