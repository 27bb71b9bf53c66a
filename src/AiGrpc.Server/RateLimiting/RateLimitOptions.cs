using System.ComponentModel.DataAnnotations;

namespace AiGrpc.Server.RateLimiting;

/// <summary>
/// Rate limits (section <c>RateLimits</c>). Each request counts against its caller (API key name) and
/// its client IP, in a one-minute and a one-hour fixed window; the defaults are the legacy service's
/// documented 20 requests/minute and 100 requests/hour. With <c>Cache:Redis</c> the counters live in
/// Redis and hold across replicas; without it (or while Redis is down) they are per process.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "RateLimits";

    /// <summary>False turns rate limiting off (e.g. behind a gateway that already limits).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Default limits per caller (key name).</summary>
    [Required]
    public RateLimit PerCaller { get; set; } = new();

    /// <summary>Default limits per client IP.</summary>
    [Required]
    public RateLimit PerIp { get; set; } = new();

    /// <summary>
    /// Calls to protected routes without a valid key, per client IP and route family (gRPC service, or "unrouted"):
    /// over this limit they get 429 / RESOURCE_EXHAUSTED instead of 401, so guessing keys or flooding with bad ones
    /// costs the attacker time rather than the service its audit trail.
    /// </summary>
    [Required]
    public RateLimit UnauthenticatedPerIp { get; set; } = new() { PerMinute = 30, PerHour = 300 };

    /// <summary>Per caller name: limits replacing <see cref="PerCaller"/> for that caller.</summary>
    public Dictionary<string, RateLimit> Callers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Per route: limits for one gRPC service (<c>aigrpc.validation.v1.ValidationService</c>) or method
    /// (<c>aigrpc.validation.v1.ValidationService/ValidateDocument</c>), REST routes included. A route
    /// with its own limit has its own counters (per caller and per IP), separate from the defaults.
    /// </summary>
    public Dictionary<string, RateLimit> Routes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Paths never limited nor audited: probes, Prometheus metrics, API docs, gRPC health. An entry ending in '/' is
    /// a prefix (a gRPC service, the Swagger UI's files); any other entry matches the whole path only, so that
    /// <c>/metrics/costs</c> (which needs an admin key) is not exempt because <c>/metrics</c> is.
    /// </summary>
    public List<string> ExemptPaths { get; } =
        ["/health", "/ready", "/live", "/api/v1/health", "/metrics", "/swagger", "/swagger/", "/grpc.health.v1.Health/", "/aigrpc.health.v1.HealthService/"];

    /// <summary>True when <paramref name="path"/> is exempt (see <see cref="ExemptPaths"/>; case-insensitive). A loop: this runs on every request.</summary>
    internal static bool IsExempt(List<string> exemptPaths, string path)
    {
        foreach (var entry in exemptPaths)
        {
            // Most entries differ from the path at its second character (after the '/'): that one comparison
            // saves a case-insensitive comparison of the whole entry.
            if (path.Length > 1 && entry.Length > 1 && SurelyDiffer(path[1], entry[1]))
            {
                continue;
            }

            if (entry.EndsWith('/') ? path.StartsWith(entry, StringComparison.OrdinalIgnoreCase) : path.Equals(entry, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when two characters differ even ignoring case; decided for ASCII only (case-insensitive
    /// equality of other characters follows Unicode rules, left to the full comparison).</summary>
    private static bool SurelyDiffer(char a, char b) =>
        a != b && char.IsAscii(a) && char.IsAscii(b) && (!char.IsAsciiLetter(a) || !char.IsAsciiLetter(b) || (a | 0x20) != (b | 0x20));

    /// <summary>Limits on work for the routes whose cost grows with their input (<see cref="WorkLimitOptions"/>).</summary>
    [Required]
    public WorkLimitOptions Work { get; set; } = new();

    /// <summary>Longest a Redis counter update may take before the request is limited per process instead (ms).</summary>
    [Range(5, 5000)]
    public int RedisTimeoutMs { get; set; } = 100;
}

/// <summary>Requests allowed per minute and per hour; 0 means no limit for that window.</summary>
public sealed class RateLimit
{
    /// <summary>Requests per fixed one-minute window (default 20).</summary>
    [Range(0, int.MaxValue)]
    public int PerMinute { get; set; } = 20;

    /// <summary>Requests per fixed one-hour window (default 100).</summary>
    [Range(0, int.MaxValue)]
    public int PerHour { get; set; } = 100;
}
