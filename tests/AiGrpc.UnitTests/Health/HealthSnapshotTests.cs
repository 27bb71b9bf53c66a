using AiGrpc.Server.Health;
using AiGrpc.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace AiGrpc.UnitTests.Health;

public class HealthSnapshotTests
{
    private static HealthReportEntry Entry(HealthStatus status, bool dependency, bool notConfigured = false) => new(
        status,
        notConfigured ? "not configured" : status.ToString(),
        TimeSpan.FromMilliseconds(1.5),
        null,
        notConfigured ? new Dictionary<string, object> { [DependencyHealth.ConfiguredKey] = false } : null,
        dependency ? [DependencyHealth.DependencyTag] : []);

    [Theory]
    [InlineData(HealthStatus.Healthy, "healthy", 200)]
    [InlineData(HealthStatus.Degraded, "degraded", 207)]
    [InlineData(HealthStatus.Unhealthy, "unhealthy", 503)]
    public void Overall_status_and_legacy_http_code(HealthStatus status, string name, int http)
    {
        var report = new HealthReport(new Dictionary<string, HealthReportEntry> { ["self"] = Entry(status, false) }, status, TimeSpan.Zero);
        var snapshot = HealthSnapshot.From(report, new ServiceInfo(new FakeTimeProvider()));
        Assert.Equal(name, snapshot.Status);
        Assert.Equal(http, snapshot.HttpStatusCode);
    }

    [Fact]
    public void Lists_only_dependencies_and_marks_the_ones_not_configured()
    {
        var report = new HealthReport(
            new Dictionary<string, HealthReportEntry>
            {
                ["self"] = Entry(HealthStatus.Healthy, false),
                ["redis"] = Entry(HealthStatus.Degraded, true),
                ["anthropic"] = Entry(HealthStatus.Healthy, true, notConfigured: true),
            },
            HealthStatus.Degraded,
            TimeSpan.Zero);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var info = new ServiceInfo(clock);
        clock.Advance(TimeSpan.FromSeconds(42));

        var snapshot = HealthSnapshot.From(report, info);

        Assert.Equal(["anthropic", "redis"], snapshot.Dependencies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HealthSnapshot.NotConfigured, snapshot.Dependencies["anthropic"].Status);
        Assert.Equal(HealthSnapshot.Degraded, snapshot.Dependencies["redis"].Status);
        Assert.Equal(42, snapshot.UptimeSeconds);
        Assert.Equal(clock.GetUtcNow(), snapshot.Timestamp);
    }
}
