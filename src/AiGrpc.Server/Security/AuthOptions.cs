namespace AiGrpc.Server.Security;

/// <summary>
/// API keys. Section <c>Auth</c>, reloaded when configuration changes (no restart). Two forms, usable together:
/// <list type="bullet">
/// <item><see cref="ApiKeys"/>: caller name to one key, every scope (the original form, e.g. <c>Auth__ApiKeys__odoo</c>).</item>
/// <item><see cref="Callers"/>: caller name to several keys (rotation: add the new key, move the caller, remove the old one)
/// and optional <see cref="CallerOptions.Scopes"/>.</item>
/// </list>
/// Keys are given in clear (from a secret) or as <c>sha256:&lt;hex&gt;</c>; only SHA-256 digests are kept in memory.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>Fewest characters of a key given in clear, outside Development: a short key can be guessed, and the
    /// failed-authentication limit only slows guessing down.</summary>
    public const int MinKeyLength = 16;

    /// <summary>Caller name to key (clear text or <c>sha256:</c> digest); such a caller has every scope.</summary>
    public Dictionary<string, string> ApiKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Caller name to its keys and scopes.</summary>
    public Dictionary<string, CallerOptions> Callers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// With no key configured, allow anonymous calls (development only; logged at start).
    /// Ignored once any key is configured. Without keys and without this flag the service refuses to start.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Every (caller, key, scopes) pair of both forms.</summary>
    internal IEnumerable<(string Caller, string Key, IReadOnlyList<string> Scopes)> AllKeys() =>
        ApiKeys.Select(kv => (kv.Key, kv.Value, (IReadOnlyList<string>)[]))
            .Concat(Callers.SelectMany(c => c.Value.Keys.Select(k => (c.Key, k, (IReadOnlyList<string>)c.Value.Scopes))));

    /// <summary>True when at least one key is configured in either form.</summary>
    internal bool HasKeys => AllKeys().Any();
}

/// <summary>One caller: several keys (for rotation) and optional scopes.</summary>
public sealed class CallerOptions
{
    /// <summary>Keys (clear or <c>sha256:</c>); any of them authenticates the caller.</summary>
    public List<string> Keys { get; } = [];

    /// <summary>
    /// Scopes granted (<c>analytics</c>, <c>validation</c>, <c>payroll</c>, <c>admin</c>); empty means every scope.
    /// A call to a service outside the caller's scopes is refused with PERMISSION_DENIED / 403.
    /// </summary>
    public List<string> Scopes { get; } = [];
}
