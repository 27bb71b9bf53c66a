namespace AiGrpc.Server.Security;

/// <summary>
/// API keys. Section <c>Auth</c>. Each entry of <see cref="ApiKeys"/> maps a caller name (what logs
/// show) to its key, given either in clear (from a secret, e.g. <c>Auth__ApiKeys__odoo</c>) or as
/// <c>sha256:&lt;hex&gt;</c>. Only SHA-256 digests are kept in memory.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>Caller name to key (clear text or <c>sha256:</c> digest).</summary>
    public Dictionary<string, string> ApiKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// With no key configured, allow anonymous calls (development only; logged at start).
    /// Ignored once any key is configured. Without keys and without this flag the service refuses to start.
    /// </summary>
    public bool AllowAnonymous { get; set; }
}
