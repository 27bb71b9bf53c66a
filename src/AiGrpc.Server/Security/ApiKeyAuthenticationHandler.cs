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

    /// <summary>The caller's key name when <paramref name="user"/> is authenticated by a key, else null.</summary>
    public static string? CallerOf(ClaimsPrincipal user) =>
        user is { Identity.IsAuthenticated: true } ? user.FindFirst(CallerClaim)?.Value : null;

    /// <summary>Claim type of each scope granted to the key; <see cref="AllScopes"/> when unrestricted.</summary>
    public const string ScopeClaim = "aigrpc:scope";

    /// <summary>Scope claim value of a key without scope restrictions.</summary>
    public const string AllScopes = "*";

    private const string DevelopmentCaller = "anonymous-development";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.AllowAnonymous)
        {
            return Task.FromResult(Success(DevelopmentCaller, []));
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

        var entry = keys.Find(header.AsSpan(bearer.Length).Trim());
        return Task.FromResult(entry is null ? AuthenticateResult.Fail("Invalid API key.") : Success(entry.Name, entry.Scopes));
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

    private static AuthenticateResult Success(string caller, IReadOnlyList<string> scopes)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller), new Claim(CallerClaim, caller)], SchemeName);
        foreach (var scope in scopes.Count == 0 ? [AllScopes] : scopes)
        {
            identity.AddClaim(new Claim(ScopeClaim, scope));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
