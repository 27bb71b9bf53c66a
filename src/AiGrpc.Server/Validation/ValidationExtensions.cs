using AiGrpc.Server.Health;
using AiGrpc.Server.Hosting;
using AiGrpc.Validation.Dte;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Validation;

/// <summary>Wires the Validation capability: options, engine, gRPC service (with REST routes) and the schema health check.</summary>
public static class ValidationExtensions
{
    /// <summary>Registers options (section <c>Validation</c>), the engine and the schemas' health check.</summary>
    public static IServiceCollection AddValidation(this IServiceCollection services)
    {
        services.AddOptions<ValidationOptions>()
            .BindConfiguration(ValidationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ValidationOptions>>().Value;
            var keys = SiiKeyRing.Default();
            foreach (var (idk, pem) in options.CafKeys)
            {
                keys.Add(int.Parse(idk, System.Globalization.CultureInfo.InvariantCulture), pem);
            }

            return new DteValidator(
                new DteValidatorSettings
                {
                    MaxXmlBytes = options.MaxDocumentBytes,
                    FutureTolerance = TimeSpan.FromHours(options.FutureToleranceHours),
                    Schemas = options.EffectiveSchemas,
                },
                keys,
                sp.GetService<TimeProvider>() ?? TimeProvider.System);
        });
        services.AddSingleton<DteSummaryChecks>();
        services.AddSingleton<ReceivedDteValidation>();
        services.AddSingleton<LegacyValidation>();
        services.AddOdooJsonRoute("/api/ai/validate", AiGrpc.Validation.V1.ValidateLegacyRequest.Descriptor, AiGrpc.Validation.V1.ValidateLegacyResponse.Descriptor);
        services.AddHealthChecks().AddDependencyCheck<SchemaHealthCheck>("sii-schemas");
        return services;
    }

    /// <summary>Maps <c>aigrpc.validation.v1.ValidationService</c> (gRPC and its transcoded REST routes).</summary>
    public static WebApplication MapValidation(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<ValidationGrpcService>();
        return app;
    }

    /// <summary>The SII schemas: validation off, or DTE_v10.xsd at hand (always in the shipped ones; in a configured
    /// folder only when it holds it).</summary>
    private sealed class SchemaHealthCheck(IOptions<ValidationOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var schemas = options.Value.EffectiveSchemas;
            if (schemas is null)
            {
                return Task.FromResult(DependencyHealth.NotConfigured("XSD validation off (Validation:SchemaValidation=false)."));
            }

            return Task.FromResult(schemas.Contains("DTE_v10.xsd")
                ? HealthCheckResult.Healthy("SII schemas present.")
                : HealthCheckResult.Degraded("SII schema folder is missing DTE_v10.xsd; XSD validation fails."));
        }
    }
}
