using System.ComponentModel.DataAnnotations;

namespace AiGrpc.Server.Caching;

/// <summary>
/// Response cache settings (section <c>Cache</c>; environment variables <c>Cache__Key</c> override).
/// Without <see cref="Redis"/> the cache lives in process memory.
/// </summary>
public sealed class CacheOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cache";

    /// <summary>
    /// StackExchange.Redis configuration string (e.g. <c>redis:6379,password=...</c>); empty means
    /// no Redis (in-process memory cache). <c>abortConnect=false</c> is always applied.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Time to live of cached responses, in seconds (default 3600).</summary>
    [Range(1, 30 * 24 * 3600)]
    public int TtlSeconds { get; set; } = 3600;

    /// <summary>Prefix of every Redis key this service writes (default <c>aigrpc:</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(64)]
    public string KeyPrefix { get; set; } = "aigrpc:";

    /// <summary>Longest a cache read or write may take before it counts as a failure (miss), in milliseconds (default 250).</summary>
    [Range(10, 10_000)]
    public int OperationTimeoutMs { get; set; } = 250;

    /// <summary>True when a Redis configuration string is set.</summary>
    public bool IsRedisConfigured => !string.IsNullOrWhiteSpace(Redis);

    /// <summary><see cref="TtlSeconds"/> as a duration.</summary>
    public TimeSpan Ttl => TimeSpan.FromSeconds(TtlSeconds);

    /// <summary><see cref="OperationTimeoutMs"/> as a duration.</summary>
    public TimeSpan OperationTimeout => TimeSpan.FromMilliseconds(OperationTimeoutMs);
}
