using System.Collections.Concurrent;
using AiGrpc.Server.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Health;

/// <summary>
/// Caps the anonymous, long-lived <c>grpc.health.v1.Health/Watch</c> streams, in all and per client IP: each open
/// stream holds memory for as long as the client likes, and probes use <c>Check</c>. Over a cap the stream is refused
/// at once with RESOURCE_EXHAUSTED.
/// </summary>
public sealed class WatchStreamLimit(RequestDelegate next, IOptions<HealthOptions> options)
{
    /// <summary>Path of the standard health watch.</summary>
    public const string Path = "/grpc.health.v1.Health/Watch";

    private readonly ConcurrentDictionary<string, int> _perIp = new(StringComparer.Ordinal);
    private int _open;

    /// <summary>Streams open now (for tests and metrics).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Admits the stream when both caps allow it, and counts it until it ends.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.Equals(context.Request.Path.Value, Path, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var o = options.Value;
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (Interlocked.Increment(ref _open) > o.MaxWatchStreams | _perIp.AddOrUpdate(ip, 1, (_, n) => n + 1) > o.MaxWatchStreamsPerIp)
        {
            Release(ip);
            await GrpcTrailersOnly.WriteAsync(context, StatusCode.ResourceExhausted, "Too many health watch streams; use Check, or retry later.");
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            Release(ip);
        }
    }

    private void Release(string ip)
    {
        Interlocked.Decrement(ref _open);
        // The entry goes when its count reaches 0, so the table holds only IPs with open streams.
        if (_perIp.AddOrUpdate(ip, 0, (_, n) => n - 1) <= 0)
        {
            _perIp.TryRemove(new KeyValuePair<string, int>(ip, 0));
        }
    }
}
