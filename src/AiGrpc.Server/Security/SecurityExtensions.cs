using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace AiGrpc.Server.Security;

/// <summary>API-key authentication for every route except those marked anonymous (health).</summary>
public static partial class SecurityExtensions
{
    /// <summary>Registers the API-key scheme and authorization (see <see cref="AccessRequirements"/> for who may call what).</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.HasKeys || o.AllowAnonymous,
                "No API key is configured. Set Auth__ApiKeys__<caller>=<key> (or sha256:<hex>), " +
                "or Auth__AllowAnonymous=true for local development only.")
            .Validate(o => o.AllKeys().All(k => !string.IsNullOrWhiteSpace(k.Key)), "An API key is empty.")
            .Validate<IHostEnvironment>((o, env) => env.IsDevelopment() || o.AllKeys().All(k => ApiKeyStore.IsDigest(k.Key) || k.Key.Trim().Length >= AuthOptions.MinKeyLength),
                $"An API key is shorter than {AuthOptions.MinKeyLength} characters; use a long random key (e.g. openssl rand -hex 24). Short keys are allowed in Development only.")
            .Validate(o => o.Callers.Values.SelectMany(c => c.Scopes).All(s => AccessRequirements.Known.Contains(s.Trim().ToLowerInvariant())),
                "Unknown scope: use analytics, validation, payroll or admin.")
            .ValidateOnStart();
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.SectionName)
            .Validate(o => o.AllEntries.All(e => NetworkOptions.TryParseNetwork(e, out _)), "Network: every entry must be an IP address or a CIDR network (10.0.0.0/8).")
            .ValidateOnStart();
        // Explicit: ApiKeyStore also has a fixed-options constructor (tests, tools); the host follows changes.
        services.AddSingleton(sp => new ApiKeyStore(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<AuthOptions>>(), sp.GetRequiredService<ILogger<ApiKeyStore>>()));
        // Nothing here encrypts cookies or tokens; an ephemeral provider keeps the pod's filesystem read-only.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddHostedService<AuthModeLogger>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // Endpoints may declare policies; the caller every other route needs is checked by AccessRequirements.
        services.AddAuthorization();
        return services;
    }

    /// <summary>Believes <c>X-Forwarded-For</c> / <c>-Proto</c> from the configured proxies only (none by default), so
    /// that every later step sees the real client address. Place it first.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var network = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<NetworkOptions>>().Value;
        return network.TrustedProxies.Count == 0 ? app : app.UseForwardedHeaders(network.ForwardedHeaders());
    }

    /// <summary>Adds authentication and declared authorization policies: the caller is known from here on, and nothing is
    /// refused yet (rate limits come next, so that failed authentication is limited too).</summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Refuses calls without a caller (401 / UNAUTHENTICATED) or outside the key's scopes (403 / PERMISSION_DENIED).</summary>
    public static IApplicationBuilder UseAccessRequirements(this IApplicationBuilder app) => app.UseMiddleware<AccessRequirements>();

    /// <summary>Says at start, once, which mode authentication is in; never logs a key.</summary>
    private sealed partial class AuthModeLogger(ApiKeyStore keys, ILogger<AuthModeLogger> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (keys.AllowAnonymous)
            {
                LogAnonymous(logger);
            }
            else
            {
                var callers = string.Join(", ", keys.Callers);
                LogKeys(logger, keys.Count, callers);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "DEVELOPMENT MODE: no API key configured and Auth:AllowAnonymous=true; every call is accepted without authentication. Never run this way in production.")]
        private static partial void LogAnonymous(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "API-key authentication on: {Count} key(s) for callers [{Callers}]")]
        private static partial void LogKeys(ILogger logger, int count, string callers);
    }
}
