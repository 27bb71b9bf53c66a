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

    /// <summary>Window in which repeated anonymous refusals (same IP, status and route family) after the first are
    /// counted into one summary line instead of one line each.</summary>
    [Range(1, 3600)]
    public int RefusalWindowSeconds { get; set; } = 60;
}
