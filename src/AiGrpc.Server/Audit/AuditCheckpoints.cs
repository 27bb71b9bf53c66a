using System.Globalization;
using AiGrpc.Server.Caching;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Audit;

/// <summary>
/// Sends a signed note of the chain's head (<see cref="AuditCheckpoint"/>) every <see cref="AuditOptions.CheckpointSeconds"/>
/// and at shutdown, to where the audit file's writer cannot rewrite it: the log stream (category
/// <c>AiGrpc.AuditCheckpoint</c>) and, when configured, a Redis list (<c>&lt;prefix&gt;audit:checkpoints</c>, last 10,000).
/// <c>audit-verify --checkpoints</c> then detects lines removed up to a checkpoint and a file cut after one.
/// </summary>
public sealed partial class AuditCheckpoints(IOptions<AuditOptions> options, IOptions<CacheOptions> cache, RedisConnection redis, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("AiGrpc.AuditCheckpoint");
    private readonly byte[]? _key = options.Value.HmacKeyBytes;
    private readonly string _redisKey = cache.Value.KeyPrefix + "audit:checkpoints";
    private DateTimeOffset _last = time.GetUtcNow();
    private long _lastLines;

    /// <summary>Sends a checkpoint when the period has passed (or <paramref name="final"/>) and lines were written since the last.</summary>
    public async Task MaybeSendAsync(long lines, ReadOnlyMemory<byte> headHex, bool final)
    {
        var now = time.GetUtcNow();
        var period = options.Value.CheckpointSeconds;
        if (period == 0 || lines == _lastLines || (!final && now - _last < TimeSpan.FromSeconds(period)))
        {
            return;
        }

        (_last, _lastLines) = (now, lines);
        var at = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var head = System.Text.Encoding.ASCII.GetString(headHex.Span);
        var checkpoint = new AuditCheckpoint(at, lines, head, _key is null ? string.Empty : AuditChain.CheckpointSignature(_key, at, lines, head));
        var line = checkpoint.ToLine();
        LogCheckpoint(_logger, line);
        if (redis.IsConfigured && redis.TryGetNow() is { IsConnected: true } multiplexer)
        {
            try
            {
                var db = multiplexer.GetDatabase();
                await db.ListRightPushAsync(_redisKey, line).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                await db.ListTrimAsync(_redisKey, -10_000, -1).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or ObjectDisposedException)
            {
                // At shutdown the connection may be closed before the last checkpoint: it is in the log stream.
                LogRedisFailed(_logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Checkpoint}")]
    private static partial void LogCheckpoint(ILogger logger, string checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit checkpoint not stored in Redis ({Error}); it is in the log stream")]
    private static partial void LogRedisFailed(ILogger logger, string error);
}
