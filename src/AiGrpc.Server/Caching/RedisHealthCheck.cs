using System.Diagnostics;
using AiGrpc.Server.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.Server.Caching;

/// <summary>
/// Health of Redis (<c>redis</c>): not configured (memory cache), Healthy when PING answers, Degraded
/// when it does not (the service still answers, without the shared cache).
/// </summary>
public sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsConfigured)
        {
            return DependencyHealth.NotConfigured("Redis is not configured; the response cache is in process memory.");
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var multiplexer = await connection.GetAsync().WaitAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
            if (!multiplexer.IsConnected)
            {
                return HealthCheckResult.Degraded($"Redis at {connection.Endpoints} is not connected; the cache is bypassed.");
            }

            await multiplexer.GetDatabase().PingAsync().WaitAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            return HealthCheckResult.Healthy($"Redis at {connection.Endpoints} answered PING in {elapsed.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"Redis at {connection.Endpoints} did not answer PING ({ex.GetType().Name}); the cache is bypassed.");
        }
    }
}
