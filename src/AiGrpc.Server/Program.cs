using AiGrpc.Server.Analytics;
using AiGrpc.Server.Errors;
using AiGrpc.Server.Health;
using AiGrpc.Server.Hosting;
using AiGrpc.Server.Observability;
using AiGrpc.Server.OpenApi;
using AiGrpc.Server.Security;
using AiGrpc.Server.Validation;

var builder = WebApplication.CreateBuilder(args);

builder.AddServerEndpoints();           // Kestrel: REST on HTTP/1.1 (8002), gRPC on h2c (50051)
builder.AddObservability();              // traces (OTLP when configured), metrics (/metrics), trace id in responses
builder.Services.AddApiKeyAuthentication();
builder.Services.AddGrpcPlatform();     // gRPC, JSON transcoding, reflection, error mapping
builder.Services.AddServiceHealth();
builder.Services.AddApiDocs();
builder.Services.AddAnalytics();        // invoice-to-project matching (local engine, cache, LLM second opinion)
builder.Services.AddValidation();       // DTE validation (SII rules, TED/CAF, XML-DSig)

var app = builder.Build();

app.MapObservability();
app.UseErrorResponses();
app.UseApiKeyAuthentication();
app.MapServiceHealth();
app.MapGrpcPlatform();
app.MapApiDocs();
app.MapAnalytics();
app.MapValidation();

app.Run();

/// <summary>Entry point; public so that WebApplicationFactory can host the app in tests.</summary>
public partial class Program;
