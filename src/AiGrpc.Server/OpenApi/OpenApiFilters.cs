using Google.Api;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AiGrpc.Server.OpenApi;

/// <summary>
/// Names each transcoded operation <c>Service_Method</c> (e.g. <c>AnalyticsService_MatchInvoice</c>), with 2, 3, …
/// appended for a method's additional HTTP bindings, as protoc-gen-openapiv2 does, so that generated clients get
/// stable names.
/// </summary>
internal sealed class GrpcOperationIds : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var grpc = metadata.OfType<GrpcMethodMetadata>().FirstOrDefault();
        if (grpc is null)
        {
            return;
        }

        var service = grpc.Method.ServiceName[(grpc.Method.ServiceName.LastIndexOf('.') + 1)..];
        var id = $"{service}_{grpc.Method.Name}";
        var transcoding = metadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault();
        var primary = transcoding?.MethodDescriptor.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        var binding = primary is null ? -1 : primary.AdditionalBindings.IndexOf(transcoding!.HttpRule);
        operation.OperationId = binding < 0 ? id : $"{id}{binding + 2}";
    }
}

/// <summary>
/// Describes the Google types the document uses, whose comments are not in this service's XML documentation: the
/// error body every route answers (<c>google.rpc.Status</c>) and its details (<c>google.protobuf.Any</c>).
/// </summary>
internal sealed class StandardTypeDescriptions : ISchemaFilter
{
    public void Apply(OpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type == typeof(Google.Rpc.Status))
        {
            schema.Description = "The error body of every route (google.rpc.Status), with the HTTP status that matches its code.";
            Describe(schema, "code", "gRPC status code (google.rpc.Code), e.g. 3 INVALID_ARGUMENT (400), 16 UNAUTHENTICATED (401), 7 PERMISSION_DENIED (403), 5 NOT_FOUND (404), 8 RESOURCE_EXHAUSTED (429, 413).");
            Describe(schema, "message", "What went wrong, for a person.");
            Describe(schema, "details", "Machine-readable details, e.g. google.rpc.BadRequest with one field violation per invalid field, google.rpc.RetryInfo with the delay after a rate limit, google.rpc.ErrorInfo with a reason.");
        }
        else if (context.Type == typeof(Google.Protobuf.WellKnownTypes.Any))
        {
            schema.Description = "One detail of an error; its fields depend on @type.";
            Describe(schema, "@type", "Type of the detail, e.g. type.googleapis.com/google.rpc.BadRequest.");
        }
        else if (context.Type == typeof(Google.Protobuf.WellKnownTypes.Struct))
        {
            schema.Description = "Any JSON object.";
        }
    }

    private static void Describe(OpenApiSchema schema, string property, string description)
    {
        if (schema.Properties.TryGetValue(property, out var p))
        {
            p.Description = description;
        }
    }
}

/// <summary>
/// Routes whose body is a <c>google.api.HttpBody</c> take the raw bytes, not JSON: they are documented as an XML
/// upload (<c>application/xml</c> or <c>text/xml</c>), and the HttpBody message, which no caller writes, is dropped.
/// </summary>
internal sealed class RawXmlUploads : IDocumentFilter
{
    private const string HttpBody = "HttpBody";

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        foreach (var operation in swaggerDoc.Paths.Values.SelectMany(p => p.Operations.Values))
        {
            var body = operation.RequestBody;
            if (body is null || !body.Content.Values.Any(m => m.Schema is { } schema && RefersToHttpBody(schema)))
            {
                continue;
            }

            body.Required = true;
            body.Description = "The XML document's bytes exactly as received (its declared encoding is honoured).";
            body.Content.Clear();
            foreach (var type in (string[])["application/xml", "text/xml"])
            {
                body.Content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = "string", Format = "binary" } };
            }
        }

        swaggerDoc.Components.Schemas.Remove(HttpBody);
    }

    private static bool RefersToHttpBody(OpenApiSchema schema) =>
        schema.Reference?.Id == HttpBody || schema.AllOf.Any(s => s.Reference?.Id == HttpBody);
}
