using AiGrpc.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Health;

/// <summary>
/// The health answers' one source. Dependency probes (a Redis PING, the LLM breaker) run at most once per
/// <see cref="HealthOptions.CacheSeconds"/>, whoever asks and however often: an anonymous caller cannot make the
/// service ping its dependencies at will, nor wait a second per call while one is down. Callers without the admin
/// scope get each dependency's status only: no addresses, exception types or timings.
/// </summary>
public sealed class HealthReporter(HealthCheckService checks, ServiceInfo info, IOptions<HealthOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Task<HealthReport>? _report;
    private DateTimeOffset _reportedAt;

    /// <summary>The current snapshot, with dependency detail only when <paramref name="detailed"/>.</summary>
    public async Task<HealthSnapshot> SnapshotAsync(bool detailed, CancellationToken cancellationToken)
    {
        var snapshot = HealthSnapshot.From(await ReportAsync().WaitAsync(cancellationToken).ConfigureAwait(false), info);
        return detailed ? snapshot : snapshot.Terse();
    }

    private Task<HealthReport> ReportAsync()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            // A report still being made is shared; a finished one is reused while fresh.
            if (_report is { } report && (!report.IsCompleted || now - _reportedAt < TimeSpan.FromSeconds(options.Value.CacheSeconds)))
            {
                return report;
            }

            _reportedAt = now;
            _report = checks.CheckHealthAsync(CancellationToken.None);
            return _report;
        }
    }
}

/// <summary>Health answers (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Health";

    /// <summary>How long one round of dependency probes answers every health call (0 = probe on every call).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 300)]
    public int CacheSeconds { get; set; } = 5;

    /// <summary>Open <c>grpc.health.v1.Health/Watch</c> streams allowed in all.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 100_000)]
    public int MaxWatchStreams { get; set; } = 100;

    /// <summary>Open <c>grpc.health.v1.Health/Watch</c> streams allowed per client IP.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 100_000)]
    public int MaxWatchStreamsPerIp { get; set; } = 10;
}
