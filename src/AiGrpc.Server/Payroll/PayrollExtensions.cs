using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.V1;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Hosting;
using AiGrpc.Server.Security;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Payroll;

/// <summary>Wires the Payroll capability: options, the indicator store, the gRPC service (with REST routes) and its scopes.</summary>
public static class PayrollExtensions
{
    /// <summary>
    /// Registers options (section <c>Payroll</c>), the <see cref="IIndicatorStore"/> (in Redis when <c>Cache:Redis</c> is
    /// set, so that every replica sees an administrator's upsert; in memory otherwise) and the module's legacy route.
    /// </summary>
    public static IServiceCollection AddPayroll(this IServiceCollection services)
    {
        services.AddOptions<PayrollOptions>()
            .BindConfiguration(PayrollOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRedisConnection();
        services.AddSingleton<IIndicatorStore>(sp =>
        {
            var baseMonths = sp.GetRequiredService<IOptions<PayrollOptions>>().Value.LoadBaseMonths();
            var redis = sp.GetRequiredService<RedisConnection>();
            return redis.IsConfigured
                ? new RedisIndicatorStore(baseMonths, redis, sp.GetRequiredService<IOptions<CacheOptions>>().Value,
                    sp.GetRequiredService<ILogger<RedisIndicatorStore>>(), sp.GetRequiredService<TimeProvider>())
                : new InMemoryIndicatorStore(baseMonths);
        });
        services.AddOdooJsonRoute("/api/payroll/validate", Payslip.Descriptor, ValidatePayslipLegacyResponse.Descriptor);
        return services;
    }

    /// <summary>
    /// Maps <c>aigrpc.payroll.v1.PayrollService</c> (gRPC and its transcoded REST routes). The service needs the
    /// <c>payroll</c> scope (<see cref="AccessRequirements"/>); <c>UpsertIndicators</c> needs <c>admin</c> instead, on
    /// both protocols (its gRPC and REST endpoints carry <see cref="RequiredScope"/> metadata).
    /// </summary>
    public static WebApplication MapPayroll(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<PayrollGrpcService>().Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().Any(m => m.Method.Name == nameof(PayrollService.PayrollServiceBase.UpsertIndicators)))
            {
                endpoint.Metadata.Add(new RequiredScope(AdminScope));
            }
        });
        return app;
    }

    /// <summary>The scope an indicator upsert needs.</summary>
    public const string AdminScope = "admin";
}
