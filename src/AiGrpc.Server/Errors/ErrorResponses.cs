using AiGrpc.Server.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace AiGrpc.Server.Errors;

/// <summary>
/// REST error bodies outside gRPC transcoding (authentication, health, unexpected failures). They
/// use the same JSON shape transcoding uses for gRPC errors, <c>{"code", "message", "details"}</c>
/// (google.rpc.Status), so callers parse one error format.
/// </summary>
public static class ErrorResponses
{
    /// <summary>True for gRPC requests (content type <c>application/grpc*</c>).</summary>
    public static bool IsGrpc(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
    }

    /// <summary>Writes <c>{"code", "message", "details": []}</c> as the response body.</summary>
    public static Task WriteJsonAsync(HttpResponse response, StatusCode code, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsJsonAsync(new ErrorBody((int)code, message, []), ErrorJsonContext.Default.ErrorBody, cancellationToken: cancellationToken);
    }

    /// <summary>Answers unexpected failures of non-gRPC routes with a 500 and the trace id, never a stack trace.</summary>
    public static IApplicationBuilder UseErrorResponses(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (failure is BadHttpRequestException bad)
            {
                context.Response.StatusCode = bad.StatusCode;
                return WriteJsonAsync(context.Response, StatusCode.InvalidArgument, bad.Message, context.RequestAborted);
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            var traceId = ServiceInfo.CurrentTraceId ?? context.TraceIdentifier;
            return WriteJsonAsync(context.Response, StatusCode.Internal, $"Internal error. Quote trace id {traceId} when reporting it.", context.RequestAborted);
        }));
        return app;
    }
}

/// <summary>google.rpc.Status as JSON.</summary>
internal sealed record ErrorBody(int Code, string Message, IReadOnlyList<object> Details);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
