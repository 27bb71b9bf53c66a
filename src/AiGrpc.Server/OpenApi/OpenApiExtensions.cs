using Microsoft.OpenApi.Models;

namespace AiGrpc.Server.OpenApi;

/// <summary>OpenAPI document and Swagger UI for the transcoded REST routes, described by the proto comments.</summary>
public static class OpenApiExtensions
{
    /// <summary>Registers Swagger generation for gRPC JSON transcoding with proto comments as descriptions.</summary>
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "AiGrpc DTE Intelligence",
                Version = "v1",
                Description = "Invoice-to-project matching and DTE validation for Chilean e-invoicing, and payslip validation " +
                    "against Chilean payroll law and the month's sourced indicators. " +
                    "Every route needs 'Authorization: Bearer <key>' except /health, /ready, /live, /metrics and this document. " +
                    "Errors answer a google.rpc.Status body (code, message, details) with the matching HTTP status.",
            });
            o.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "API key issued to the caller.",
            });
            o.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" } }] = [],
            });
            // Descriptions come from the proto comments, compiled into the contracts' XML documentation: a service's
            // tag from its base class there, operations and fields from the generated code. The server's service
            // classes are documented for developers; their comments stay out (they would add a second tag per service).
            foreach (var xml in Directory.EnumerateFiles(AppContext.BaseDirectory, "AiGrpc.*.xml"))
            {
                o.IncludeXmlComments(xml);
                o.IncludeGrpcXmlComments(xml, includeControllerXmlComments: Path.GetFileName(xml) == "AiGrpc.Contracts.xml");
            }

            o.UseAllOfToExtendReferenceSchemas();   // a message-typed field keeps its own description beside the $ref
            o.OperationFilter<GrpcOperationIds>();
            o.SchemaFilter<StandardTypeDescriptions>();
            o.DocumentFilter<RawXmlUploads>();
        });
        return services;
    }

    /// <summary>
    /// Serves <c>/swagger/v1/swagger.json</c> and the UI at <c>/swagger</c>. Anonymous on purpose:
    /// the document describes the API and holds no data.
    /// </summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapSwagger().AllowAnonymous();
        app.UseSwaggerUI(o => o.SwaggerEndpoint("/swagger/v1/swagger.json", "AiGrpc v1"));
        return app;
    }
}
