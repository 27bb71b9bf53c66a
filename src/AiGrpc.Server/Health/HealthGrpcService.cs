using AiGrpc.Health.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AiGrpc.Server.Health;

/// <summary><c>aigrpc.health.v1.HealthService</c>: the <c>/health</c> answer for typed clients (dependency detail for admin keys).</summary>
public sealed class HealthGrpcService(HealthReporter health) : HealthService.HealthServiceBase
{
    /// <inheritdoc />
    public override async Task<GetHealthResponse> GetHealth(GetHealthRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = await health.SnapshotAsync(Security.AccessRequirements.HasScope(context.GetHttpContext().User, "admin"), context.CancellationToken);
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
                Description = dependency.Description ?? string.Empty,
                DurationMs = dependency.DurationMs ?? 0,
            };
        }

        return response;
    }
}
