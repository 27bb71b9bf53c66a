using AiGrpc.Server.Analytics;
using AiGrpc.Server.Audit;
using AiGrpc.Server.Errors;
using AiGrpc.Server.Health;
using AiGrpc.Server.Hosting;
using AiGrpc.Server.Observability;
using AiGrpc.Server.OpenApi;
using AiGrpc.Server.Payroll;
using AiGrpc.Server.RateLimiting;
using AiGrpc.Server.Security;
using AiGrpc.Server.Validation;

if (AdminCommands.IsCommand(args))
{
    return AdminCommands.Run(args, Console.In, Console.Out); // hash-key, audit-verify: operator commands, no server
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServerEndpoints();                // Kestrel: REST on HTTP/1.1 (8002), gRPC on h2c (50051)
builder.AddObservability();                  // traces (OTLP when configured), /metrics, trace id in responses
builder.Services.AddApiKeyAuthentication();  // keys (hashed, several per caller, scopes), reloaded on change
builder.Services.AddRateLimits();            // per caller and client IP; Redis-shared across replicas
builder.Services.AddAuditTrail();            // hash-chained JSON lines, one per call
builder.Services.AddGrpcPlatform();          // gRPC, JSON transcoding, reflection, error mapping
builder.Services.AddServiceHealth();         // grpc.health.v1, /health, /ready, /live
builder.Services.AddApiDocs();               // OpenAPI + Swagger UI from the proto comments
builder.Services.AddAnalytics();             // invoice-to-project matching (local engine, cache, LLM second opinion)
builder.Services.AddValidation();            // DTE validation (SII rules, TED/CAF, XML-DSig)
builder.Services.AddPayroll();               // payslip validation against the law and the month's sourced indicators

var app = builder.Build();

app.UseTrustedProxies();                    // X-Forwarded-For from the configured proxies only (none by default)
app.MapObservability();
app.UseErrorResponses();
app.MapApiDocs();                           // OpenAPI document and Swagger UI, anonymous: before authentication
app.UseAuditTrail();
app.UseApiKeyAuthentication();
app.UseRateLimits();                        // per caller; per client IP and route family for failed authentication
app.UseAccessRequirements();                // 401 without a valid key, 403 outside its scopes
app.UseWorkLimits();                        // expensive routes: turns and server time per caller
app.UseOdooJsonDialect();                   // the Odoo module's JSON on its legacy routes (false = empty, numbers as text, nulls)
app.UseRestContextReuse();                  // REST matches repeating a context their caller sent: served as by context_id
app.MapServiceHealth();
app.MapGrpcPlatform();
app.MapAnalytics();
app.MapValidation();
app.MapPayroll();

return app.RunOrExplain();                  // a configuration error is one clear line and exit code 2, not a stack trace

/// <summary>Entry point; public so that WebApplicationFactory can host the app in tests.</summary>
public partial class Program;
