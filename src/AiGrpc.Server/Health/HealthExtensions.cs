using System.Text.Json;
using AiGrpc.Server.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.Server.Health;

/// <summary>
/// Health on both protocols: <c>grpc.health.v1.Health</c> (Kubernetes gRPC probes), the versioned
/// <c>aigrpc.health.v1.HealthService</c>, and the legacy REST routes <c>/health</c>, <c>/ready</c>, <c>/live</c>.
/// </summary>
public static class HealthExtensions
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>Registers health checks, the gRPC health services and <see cref="ServiceInfo"/>.</summary>
    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServiceInfo>();
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HealthReporter>();
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy("The process answers."), tags: [DependencyHealth.ReadyTag]);
        services.AddGrpcHealthChecks(o =>
        {
            // Overall service (""): the readiness checks. Degraded dependencies still serve.
            o.Services.Map(string.Empty, r => r.Tags.Contains(DependencyHealth.ReadyTag));
        });
        return services;
    }

    /// <summary>Maps the health routes; all anonymous, as probes and load balancers call them.</summary>
    public static WebApplication MapServiceHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<WatchStreamLimit>();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcService<HealthGrpcService>();

        app.MapGet("/health", async (HealthReporter health, HttpContext context) =>
        {
            var snapshot = await health.SnapshotAsync(Security.AccessRequirements.HasScope(context.User, "admin"), context.RequestAborted);
            return Results.Json(snapshot, Json, statusCode: snapshot.HttpStatusCode);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(DependencyHealth.ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (context, report) => context.Response.WriteAsJsonAsync(
                new ReadyBody(report.Status == HealthStatus.Unhealthy ? "not_ready" : "ready"), Json),
        }).AllowAnonymous();

        app.MapGet("/live", (ServiceInfo info) => Results.Json(
            new LiveBody("alive", Math.Round(info.Uptime.TotalSeconds, 3)), Json))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private sealed record ReadyBody(string Status);

    private sealed record LiveBody(string Status, double UptimeSeconds);
}
