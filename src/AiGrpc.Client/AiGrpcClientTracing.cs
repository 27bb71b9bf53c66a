using OpenTelemetry.Trace;

namespace AiGrpc.Client;

/// <summary>Client spans and W3C trace-context propagation for consumers that use OpenTelemetry.</summary>
public static class AiGrpcClientTracing
{
    /// <summary>
    /// Name of the <see cref="System.Diagnostics.ActivitySource"/> of Grpc.Net.Client (one client
    /// span per call, <c>Grpc.Net.Client.GrpcOut</c>, with the method and gRPC status).
    /// </summary>
    public const string GrpcClientSourceName = "Grpc.Net.Client";

    /// <summary>
    /// Name of the HttpClient's <see cref="System.Diagnostics.ActivitySource"/>. HttpClient starts its
    /// own span under the gRPC one and sends <em>that</em> span's id in <c>traceparent</c>; unless it is
    /// recorded too, the server span's parent would be missing from the trace.
    /// </summary>
    public const string HttpClientSourceName = "System.Net.Http";

    /// <summary>
    /// Records a client span for every call the AiGrpc client makes, and the HTTP/2 request span under
    /// it (this also records the process's other HttpClient requests, as <c>AddHttpClientInstrumentation</c>
    /// would; adding both is harmless). While a call's span is current,
    /// the underlying HttpClient sends it as the W3C <c>traceparent</c> header, so the server's span
    /// becomes its child and the whole request is one trace in Jaeger. The server's trace id also
    /// comes back in the <c>x-trace-id</c> response header.
    /// </summary>
    /// <example><code>
    /// services.AddOpenTelemetry().WithTracing(t => t.AddAiGrpcClientInstrumentation().AddOtlpExporter());
    /// </code></example>
    public static TracerProviderBuilder AddAiGrpcClientInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(GrpcClientSourceName, HttpClientSourceName);
    }
}
