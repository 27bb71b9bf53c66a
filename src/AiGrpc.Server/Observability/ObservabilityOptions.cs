using System.ComponentModel.DataAnnotations;

namespace AiGrpc.Server.Observability;

/// <summary>
/// Traces and metrics. Section <c>Observability</c>. The standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and <c>OTEL_SERVICE_NAME</c> variables are honoured too; the
/// options here win when set.
/// </summary>
public sealed class ObservabilityOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Observability";

    /// <summary>
    /// OTLP collector base address (Jaeger: <c>http://jaeger:4317</c> for grpc, <c>http://jaeger:4318</c>
    /// for http/protobuf). Empty: falls back to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; if that is empty too,
    /// no span leaves the process.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>; empty: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else grpc.</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>
    /// Share of new traces (no sampled parent) that are recorded, 0-1. A caller's sampling decision
    /// (W3C <c>traceparent</c> flags) is always followed, so one trace is never half recorded.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SamplingRatio { get; set; } = 1.0;

    /// <summary>Service name in traces (<c>service.name</c>); <c>OTEL_SERVICE_NAME</c> wins when set.</summary>
    [Required]
    public string ServiceName { get; set; } = "aigrpc";

    /// <summary>Serves Prometheus metrics at <c>GET /metrics</c> on the REST port (anonymous).</summary>
    public bool PrometheusEnabled { get; set; } = true;

    /// <summary>The effective endpoint: the option, else the standard environment variable.</summary>
    internal Uri? EffectiveEndpoint(Func<string, string?> environment)
    {
        var value = string.IsNullOrWhiteSpace(OtlpEndpoint) ? environment("OTEL_EXPORTER_OTLP_ENDPOINT") : OtlpEndpoint;
        return string.IsNullOrWhiteSpace(value) ? null : new Uri(value, UriKind.Absolute);
    }

    /// <summary>True for http/protobuf, false for grpc.</summary>
    internal bool UsesHttpProtobuf(Func<string, string?> environment)
    {
        var value = string.IsNullOrWhiteSpace(OtlpProtocol) ? environment("OTEL_EXPORTER_OTLP_PROTOCOL") : OtlpProtocol;
        return string.Equals(value?.Trim(), "http/protobuf", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult(
                $"Observability:OtlpEndpoint must be an absolute http(s) address such as http://jaeger:4317, not '{OtlpEndpoint}'.",
                [nameof(OtlpEndpoint)]);
        }

        if (!string.IsNullOrWhiteSpace(OtlpProtocol) && OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            yield return new ValidationResult(
                $"Observability:OtlpProtocol must be 'grpc' or 'http/protobuf', not '{OtlpProtocol}'.", [nameof(OtlpProtocol)]);
        }
    }
}
