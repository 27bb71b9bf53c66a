using AiGrpc.Health.V1;
using AiGrpc.Server.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.Server.Health;

/// <summary><c>aigrpc.health.v1.HealthService</c>: the <c>/health</c> detail for typed clients.</summary>
public sealed class HealthGrpcService(HealthCheckService checks, ServiceInfo info) : HealthService.HealthServiceBase
{
    /// <inheritdoc />
    public override async Task<GetHealthResponse> GetHealth(GetHealthRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = HealthSnapshot.From(await checks.CheckHealthAsync(context.CancellationToken), info);
        var response = new GetHealthResponse
        {
            Status = snapshot.Status switch
            {
                HealthSnapshot.Healthy => ServingStatus.Healthy,
                HealthSnapshot.Degraded => ServingStatus.Degraded,
                _ => ServingStatus.Unhealthy,
            },
            Service = snapshot.Service,
            Version = snapshot.Version,
            Timestamp = Timestamp.FromDateTimeOffset(snapshot.Timestamp),
            UptimeSeconds = snapshot.UptimeSeconds,
        };
        foreach (var (name, dependency) in snapshot.Dependencies)
        {
            response.Dependencies[name] = new AiGrpc.Health.V1.DependencyHealth
            {
                Status = dependency.Status switch
                {
                    HealthSnapshot.Healthy => DependencyStatus.Healthy,
                    HealthSnapshot.Degraded => DependencyStatus.Degraded,
                    HealthSnapshot.NotConfigured => DependencyStatus.NotConfigured,
                    _ => DependencyStatus.Unhealthy,
                },
                Description = dependency.Description,
                DurationMs = dependency.DurationMs,
            };
        }

        return response;
    }
}
