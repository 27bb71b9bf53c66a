using System.ComponentModel.DataAnnotations;

namespace AiGrpc.Server.Audit;

/// <summary>
/// Audit trail (section <c>Audit</c>): one hash-chained JSON line per call to a protected route.
/// </summary>
public sealed class AuditOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Audit";

    /// <summary>False disables the audit trail.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>stdout</c> (raw JSON lines on standard output, for a Kubernetes log pipeline), <c>logger</c>
    /// (category <c>AiGrpc.Audit</c>, for a logging provider) or <c>file</c> (<see cref="FilePath"/>,
    /// e.g. on a persistent volume; the chain continues across restarts).
    /// </summary>
    [RegularExpression("^(stdout|logger|file)$")]
    public string Sink { get; set; } = "stdout";

    /// <summary>File of the <c>file</c> sink.</summary>
    public string? FilePath { get; set; }

    /// <summary>Events waiting to be written before callers wait (back-pressure, bounded memory).</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// Key of the chain (from a secret, never a file beside the trail): each line's <c>prev</c> becomes an
    /// HMAC-SHA256 of the line before, so rewriting lines and recomputing the chain needs the key. Unset: plain
    /// SHA-256 links, which show edits only by someone who did not recompute them.
    /// </summary>
    public string? HmacKey { get; set; }

    /// <summary>Fewest characters of <see cref="HmacKey"/>.</summary>
    public const int MinHmacKeyLength = 32;

    internal byte[]? HmacKeyBytes => string.IsNullOrEmpty(HmacKey) ? null : System.Text.Encoding.UTF8.GetBytes(HmacKey);

    /// <summary>Seconds between checkpoints of the chain's head, sent to the log stream (category
    /// <c>AiGrpc.AuditCheckpoint</c>) and to Redis when configured; 0 = none.</summary>
    [Range(0, 86_400)]
    public int CheckpointSeconds { get; set; } = 60;

    /// <summary>Window in which repeated anonymous refusals (same IP, status and route family) after the first are
    /// counted into one summary line instead of one line each.</summary>
    [Range(1, 3600)]
    public int RefusalWindowSeconds { get; set; } = 60;
}
