using AiGrpc.Health.V1;
using Grpc.Core;
using Grpc.Health.V1;

namespace AiGrpc.Client;

/// <summary>Overall state of the service.</summary>
public enum ServiceHealthStatus
{
    /// <summary>Not reported.</summary>
    Unknown,
    /// <summary>Everything required works.</summary>
    Healthy,
    /// <summary>The service answers; an optional dependency is failing.</summary>
    Degraded,
    /// <summary>The service cannot answer correctly.</summary>
    Unhealthy,
}

/// <summary>State of one dependency.</summary>
public enum DependencyHealthStatus
{
    /// <summary>Not reported.</summary>
    Unknown,
    /// <summary>The dependency answers.</summary>
    Healthy,
    /// <summary>The dependency answers partly; the service works around it.</summary>
    Degraded,
    /// <summary>The dependency is configured but does not answer.</summary>
    Unhealthy,
    /// <summary>The dependency is not configured; the embedded default is used.</summary>
    NotConfigured,
}

/// <summary>One dependency's health.</summary>
/// <param name="Status">Its state.</param>
/// <param name="Description">Detail from the service (never a secret).</param>
public sealed record DependencyHealthReport(DependencyHealthStatus Status, string Description);

/// <summary>The service's detailed health.</summary>
/// <param name="Status">Overall state.</param>
/// <param name="Service">Service name.</param>
/// <param name="Version">Version of the running build.</param>
/// <param name="Timestamp">When the report was produced.</param>
/// <param name="Uptime">Time since the process started.</param>
/// <param name="Dependencies">Each dependency, by name (e.g. <c>redis</c>, <c>anthropic</c>).</param>
public sealed record ServiceHealthReport(
    ServiceHealthStatus Status,
    string Service,
    string Version,
    DateTimeOffset Timestamp,
    TimeSpan Uptime,
    IReadOnlyDictionary<string, DependencyHealthReport> Dependencies);

/// <summary>Health calls of <see cref="AiGrpcClient"/>.</summary>
public sealed class AiGrpcHealthClient
{
    private readonly Grpc.Health.V1.Health.HealthClient _standard;
    private readonly HealthService.HealthServiceClient _detailed;
    private readonly AiGrpcClient _owner;

    internal AiGrpcHealthClient(CallInvoker invoker, AiGrpcClient owner)
    {
        _standard = new Grpc.Health.V1.Health.HealthClient(invoker);
        _detailed = new HealthService.HealthServiceClient(invoker);
        _owner = owner;
    }

    internal AiGrpcHealthClient(Grpc.Net.Client.GrpcChannel channel, AiGrpcClient owner)
        : this(channel.CreateCallInvoker(), owner)
    {
    }

    /// <summary>
    /// Asks the standard <c>grpc.health.v1.Health/Check</c> (no API key needed).
    /// </summary>
    /// <param name="service">Service name to check; empty for the whole server.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the server answers SERVING.</returns>
    public async Task<bool> IsServingAsync(string service = "", CancellationToken cancellationToken = default)
    {
        var response = await _standard.CheckAsync(new HealthCheckRequest { Service = service }, _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
    }

    /// <summary>Gets the detailed health report (<c>aigrpc.health.v1.HealthService/GetHealth</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="RpcException">The call failed (e.g. <c>UNAUTHENTICATED</c> without a valid key).</exception>
    public async Task<ServiceHealthReport> GetReportAsync(CancellationToken cancellationToken = default)
    {
        var response = await _detailed.GetHealthAsync(new GetHealthRequest(), _owner.CallOptions(cancellationToken)).ConfigureAwait(false);
        return new ServiceHealthReport(
            response.Status switch
            {
                ServingStatus.Healthy => ServiceHealthStatus.Healthy,
                ServingStatus.Degraded => ServiceHealthStatus.Degraded,
                ServingStatus.Unhealthy => ServiceHealthStatus.Unhealthy,
                _ => ServiceHealthStatus.Unknown,
            },
            response.Service,
            response.Version,
            response.Timestamp?.ToDateTimeOffset() ?? default,
            TimeSpan.FromSeconds(response.UptimeSeconds),
            response.Dependencies.ToDictionary(
                d => d.Key,
                d => new DependencyHealthReport(
                    d.Value.Status switch
                    {
                        DependencyStatus.Healthy => DependencyHealthStatus.Healthy,
                        DependencyStatus.Degraded => DependencyHealthStatus.Degraded,
                        DependencyStatus.Unhealthy => DependencyHealthStatus.Unhealthy,
                        DependencyStatus.NotConfigured => DependencyHealthStatus.NotConfigured,
                        _ => DependencyHealthStatus.Unknown,
                    },
                    d.Value.Description),
                StringComparer.Ordinal));
    }
}
