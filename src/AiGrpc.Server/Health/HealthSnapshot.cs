using AiGrpc.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.Server.Health;

/// <summary>The service's health at one moment; the single source of the REST and gRPC health answers.</summary>
public sealed record HealthSnapshot(
    string Status,
    string Service,
    string Version,
    DateTimeOffset Timestamp,
    double UptimeSeconds,
    IReadOnlyDictionary<string, DependencySnapshot> Dependencies)
{
    /// <summary>Overall status names, as the legacy <c>/health</c> route reports them.</summary>
    public const string Healthy = "healthy", Degraded = "degraded", Unhealthy = "unhealthy";

    /// <summary>Dependency status for a dependency that is not configured.</summary>
    public const string NotConfigured = "not_configured";

    /// <summary>HTTP status of the legacy route: 200 healthy, 207 degraded, 503 unhealthy.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int HttpStatusCode => Status switch
    {
        Healthy => StatusCodes.Status200OK,
        Degraded => StatusCodes.Status207MultiStatus,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    /// <summary>Builds a snapshot from an ASP.NET Core health report.</summary>
    public static HealthSnapshot From(HealthReport report, ServiceInfo info)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(info);
        var dependencies = report.Entries
            .Where(e => e.Value.Tags.Contains(DependencyHealth.DependencyTag))
            .ToDictionary(
                e => e.Key,
                e => new DependencySnapshot(
                    DependencyHealth.IsNotConfigured(e.Value) ? NotConfigured : Name(e.Value.Status),
                    e.Value.Description ?? e.Value.Exception?.GetType().Name ?? string.Empty,
                    Math.Round(e.Value.Duration.TotalMilliseconds, 3)),
                StringComparer.Ordinal);
        return new HealthSnapshot(
            Name(report.Status),
            ServiceInfo.Name,
            ServiceInfo.Version,
            info.Now,
            Math.Round(info.Uptime.TotalSeconds, 3),
            dependencies);
    }

    /// <summary>The same snapshot with each dependency's status only (what anonymous callers see).</summary>
    public HealthSnapshot Terse() => this with
    {
        Dependencies = Dependencies.ToDictionary(d => d.Key, d => new DependencySnapshot(d.Value.Status, null, null), StringComparer.Ordinal),
    };

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Healthy,
        HealthStatus.Degraded => Degraded,
        _ => Unhealthy,
    };
}

/// <summary>One dependency's health; description and duration only for admin callers.</summary>
public sealed record DependencySnapshot(
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? DurationMs);
