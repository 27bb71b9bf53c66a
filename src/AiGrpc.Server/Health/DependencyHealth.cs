using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.Server.Health;

/// <summary>
/// Conventions shared by every dependency's health check. A capability registers its dependency
/// (Redis, the LLM, ...) with <see cref="AddDependencyCheck{T}"/>; an optional dependency that is
/// failing reports <see cref="HealthStatus.Degraded"/>, never Unhealthy, because the service still
/// answers without it; one that is not configured reports <see cref="NotConfigured"/>.
/// </summary>
public static class DependencyHealth
{
    /// <summary>Tag of checks that describe a dependency (listed under <c>dependencies</c>).</summary>
    public const string DependencyTag = "dependency";

    /// <summary>Tag of checks that must pass for the pod to receive traffic (<c>/ready</c>).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Data key marking a dependency that is not configured.</summary>
    public const string ConfiguredKey = "configured";

    /// <summary>Result for a dependency that is not configured: the embedded default is used.</summary>
    public static HealthCheckResult NotConfigured(string description) =>
        HealthCheckResult.Healthy(description, new Dictionary<string, object> { [ConfiguredKey] = false });

    /// <summary>Registers a dependency's check, tagged so that health reports list it.</summary>
    public static IHealthChecksBuilder AddDependencyCheck<T>(this IHealthChecksBuilder builder, string name, bool requiredForReadiness = false)
        where T : class, IHealthCheck
    {
        string[] tags = requiredForReadiness ? [DependencyTag, ReadyTag] : [DependencyTag];
        return builder.AddCheck<T>(name, failureStatus: HealthStatus.Degraded, tags: tags, timeout: TimeSpan.FromSeconds(2));
    }

    /// <summary>True when the entry reports a dependency that is not configured.</summary>
    public static bool IsNotConfigured(HealthReportEntry entry) =>
        entry.Data.TryGetValue(ConfiguredKey, out var configured) && configured is false;
}
