using System.Security.Claims;
using System.Text.Encodings.Web;
using AiGrpc.Server.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Security;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against <see cref="ApiKeyStore"/>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Authentication scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Claim type holding the caller's key name.</summary>
    public const string CallerClaim = "aigrpc:caller";

    private const string DevelopmentCaller = "anonymous-development";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.AllowAnonymous)
        {
            return Task.FromResult(Success(DevelopmentCaller));
        }

        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("Authorization must use the Bearer scheme."));
        }

        var caller = keys.FindCaller(header.AsSpan(bearer.Length).Trim());
        return Task.FromResult(caller is null ? AuthenticateResult.Fail("Invalid API key.") : Success(caller));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var message = result.Failure?.Message ?? "Authentication required: send 'Authorization: Bearer <key>'.";
        if (Request.IsGrpc())
        {
            // A trailers-only gRPC response, so gRPC clients see UNAUTHENTICATED rather than an HTTP error.
            Response.StatusCode = StatusCodes.Status200OK;
            Response.ContentType = "application/grpc";
            Response.Headers["grpc-status"] = ((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? "Bearer realm=\"aigrpc\""
            : "Bearer realm=\"aigrpc\", error=\"invalid_token\"";
        await ErrorResponses.WriteJsonAsync(Response, StatusCode.Unauthenticated, message, Context.RequestAborted);
    }

    private static AuthenticateResult Success(string caller)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller), new Claim(CallerClaim, caller)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
