using AiGrpc.Server.Errors;
using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace AiGrpc.Server.Security;

/// <summary>
/// Enforces key scopes per service, for gRPC and its transcoded REST routes alike (both carry the
/// gRPC method in endpoint metadata): <c>aigrpc.analytics.*</c> needs <c>analytics</c>,
/// <c>aigrpc.validation.*</c> needs <c>validation</c>, server reflection needs <c>admin</c>.
/// Health and anonymous routes need none. Refusal: PERMISSION_DENIED (gRPC) / 403 (REST).
/// </summary>
public sealed class ScopeRequirements(RequestDelegate next)
{
    /// <summary>The scopes configuration may grant.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(["analytics", "validation", "admin"], StringComparer.Ordinal);

    /// <summary>Checks the caller's scopes against the endpoint's service.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = RequiredScope(context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName);
        if (scope is null || context.User.Identity?.IsAuthenticated != true
            || context.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiKeyAuthenticationHandler.AllScopes)
            || context.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope))
        {
            return next(context);
        }

        var message = $"This API key lacks the '{scope}' scope.";
        if (context.Request.IsGrpc())
        {
            return GrpcTrailersOnly.WriteAsync(context, StatusCode.PermissionDenied, message);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return ErrorResponses.WriteJsonAsync(context.Response, StatusCode.PermissionDenied, message, context.RequestAborted);
    }

    /// <summary>The scope a gRPC service needs, or null (health and other platform services).</summary>
    public static string? RequiredScope(string? serviceName) => serviceName switch
    {
        null => null,
        _ when serviceName.StartsWith("aigrpc.analytics.", StringComparison.Ordinal) => "analytics",
        _ when serviceName.StartsWith("aigrpc.validation.", StringComparison.Ordinal) => "validation",
        _ when serviceName.StartsWith("grpc.reflection.", StringComparison.Ordinal) => "admin",
        _ => null,
    };
}

/// <summary>A gRPC error answered before any service code ran: HTTP 200 with grpc-status in the headers.</summary>
public static class GrpcTrailersOnly
{
    /// <summary>Writes a trailers-only gRPC response; <paramref name="details"/> becomes grpc-status-details-bin.</summary>
    public static Task WriteAsync(HttpContext context, StatusCode code, string message, Google.Rpc.Status? details = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        if (details is not null)
        {
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(Google.Protobuf.MessageExtensions.ToByteArray(details)).TrimEnd('=');
        }

        return Task.CompletedTask;
    }
}
