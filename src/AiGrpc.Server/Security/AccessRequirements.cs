using AiGrpc.Server.Errors;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace AiGrpc.Server.Security;

/// <summary>
/// Who may call what, for gRPC and its transcoded REST routes alike (both carry the gRPC method in endpoint
/// metadata). Every route needs an authenticated caller unless it is marked anonymous (health, metrics, the
/// OpenAPI document); a request that matches no route needs one too, so nothing new is ever open by default.
/// Refusal: the API-key scheme's challenge (UNAUTHENTICATED / 401). Then key scopes per service:
/// <c>aigrpc.analytics.*</c> needs <c>analytics</c>, <c>aigrpc.validation.*</c> needs <c>validation</c>,
/// <c>aigrpc.payroll.*</c> needs <c>payroll</c>, server reflection needs <c>admin</c>; an endpoint's
/// <see cref="RequiredScope"/> metadata takes precedence (other routes, and single RPCs such as
/// <c>PayrollService/UpsertIndicators</c>, which needs <c>admin</c>). Refusal: PERMISSION_DENIED (gRPC) / 403 (REST).
/// </summary>
/// <remarks>
/// The caller requirement was a fallback authorization policy; checked here instead, it costs a metadata look-up
/// rather than a policy evaluation per call (a sizeable share of a fast call). Policies that endpoints declare
/// (<c>RequireAuthorization</c>) still run in <c>UseAuthorization</c>.
/// </remarks>
public sealed class AccessRequirements(RequestDelegate next, Microsoft.Extensions.Options.IOptions<NetworkOptions> network)
{
    private readonly IReadOnlyList<System.Net.IPNetwork> _adminAllow = NetworkOptions.Parse(network.Value.AdminAllow);
    private readonly IReadOnlyList<System.Net.IPNetwork> _adminDeny = NetworkOptions.Parse(network.Value.AdminDeny);

    /// <summary>The scopes configuration may grant.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(["analytics", "validation", "payroll", "admin"], StringComparer.Ordinal);

    /// <summary>Checks that there is a caller where one is needed, and its scopes against the endpoint's service.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return next(context);
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            return context.ChallengeAsync();
        }

        var scope = endpoint?.Metadata.GetMetadata<RequiredScope>()?.Scope
            ?? RequiredScope(endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName);
        var allowed = scope is null || HasScope(context.User, scope);
        if (allowed && (scope != "admin" || NetworkOptions.AdminAllowed(context.Connection.RemoteIpAddress, _adminAllow, _adminDeny)))
        {
            return next(context);
        }

        var message = allowed ? "Admin routes are not open to this client address." : $"This API key lacks the '{scope}' scope.";
        if (context.Request.IsGrpc())
        {
            return GrpcTrailersOnly.WriteAsync(context, StatusCode.PermissionDenied, message);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return ErrorResponses.WriteJsonAsync(context.Response, StatusCode.PermissionDenied, message, context.RequestAborted);
    }

    /// <summary>True when <paramref name="user"/> holds a key with <paramref name="scope"/> (or every scope).</summary>
    public static bool HasScope(System.Security.Claims.ClaimsPrincipal user, string scope)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true
            && (user.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiKeyAuthenticationHandler.AllScopes) || user.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
    }

    /// <summary>The scope a gRPC service needs, or null (health and other platform services).</summary>
    public static string? RequiredScope(string? serviceName) => serviceName switch
    {
        null => null,
        _ when serviceName.StartsWith("aigrpc.analytics.", StringComparison.Ordinal) => "analytics",
        _ when serviceName.StartsWith("aigrpc.validation.", StringComparison.Ordinal) => "validation",
        _ when serviceName.StartsWith("aigrpc.payroll.", StringComparison.Ordinal) => "payroll",
        _ when serviceName.StartsWith("grpc.reflection.", StringComparison.Ordinal) => "admin",
        _ => null,
    };
}

/// <summary>Endpoint metadata: the scope a route needs instead of its gRPC service's (e.g. <c>admin</c> for <c>/metrics/costs</c>
/// and for <c>PayrollService/UpsertIndicators</c>).</summary>
/// <param name="Scope">One of <see cref="AccessRequirements.Known"/>.</param>
public sealed record RequiredScope(string Scope);

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
