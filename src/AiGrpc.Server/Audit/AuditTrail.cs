using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Audit;

/// <summary>One audited call. Never holds the key or any request/response content.</summary>
/// <param name="Time">When the call started (UTC).</param>
/// <param name="Caller">Key name, or null when not authenticated.</param>
/// <param name="ClientIp">Remote address.</param>
/// <param name="Protocol"><c>grpc</c> or <c>rest</c>.</param>
/// <param name="Method">HTTP method and path (REST) or <c>/package.Service/Method</c> (gRPC).</param>
/// <param name="Rpc">The gRPC method behind the route, when known.</param>
/// <param name="HttpStatus">HTTP status code.</param>
/// <param name="GrpcStatus">gRPC status code (gRPC calls).</param>
/// <param name="Duration">Time taken.</param>
/// <param name="TraceId">W3C trace id (or the request id).</param>
/// <param name="Repeats">For a summary of refused anonymous calls: how many more like it came in its window.</param>
/// <param name="Aborted">True when the client went away or the server stopped before the response was complete.</param>
public sealed record AuditEvent(DateTimeOffset Time, string? Caller, string? ClientIp, string Protocol, string Method, string? Rpc,
    int HttpStatus, int? GrpcStatus, TimeSpan Duration, string TraceId, long Repeats = 0, bool Aborted = false);

/// <summary>
/// Writes audit events, in order, as hash-chained JSON lines (see <see cref="AuditChain"/>). Calls
/// only enqueue (bounded queue: when full, callers wait rather than memory growing); one background
/// loop formats, chains and writes, flushing after each batch.
/// </summary>
public sealed partial class AuditTrail : BackgroundService
{
    private readonly Channel<AuditEvent> _queue;
    private readonly AuditOptions _options;
    private readonly ILogger _auditLogger;
    private readonly RefusalAggregator _refusals;
    private readonly AuditCheckpoints _checkpoints;
    private readonly byte[]? _key;
    private long _written;
    private readonly byte[] _previousHash = Encoding.ASCII.GetBytes(AuditChain.Genesis); // hex of the last line written

    /// <summary>A line's shape is fixed by <see cref="Write"/>, so the writer's structural checks are skipped (values are
    /// still escaped).</summary>
    private static readonly JsonWriterOptions LineWriter = new() { SkipValidation = true };

    /// <summary>Lines written (and flushed) together at most: bounds how long a line waits and the batch's memory.</summary>
    private const int MaxBatchLines = 256;

    /// <summary>Pause after a partial batch, so that lines arriving meanwhile share the next write.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(5);

    /// <summary>Creates the trail (the sink opens when the host starts).</summary>
    public AuditTrail(IOptions<AuditOptions> options, ILoggerFactory loggers, RefusalAggregator refusals, AuditCheckpoints checkpoints)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _refusals = refusals;
        _checkpoints = checkpoints;
        _key = _options.HmacKeyBytes;
        _auditLogger = loggers.CreateLogger("AiGrpc.Audit");
        _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues an event.</summary>
    public ValueTask WriteAsync(AuditEvent auditEvent) => _queue.Writer.WriteAsync(auditEvent, CancellationToken.None);

    /// <summary>Queues an anonymous refusal, or counts it into its window's summary line (<see cref="RefusalAggregator"/>).</summary>
    public ValueTask WriteRefusalAsync(AuditEvent auditEvent, string family) =>
        _refusals.ShouldWrite(auditEvent, family) ? WriteAsync(auditEvent) : ValueTask.CompletedTask;

    /// <summary>Formats one event as an audit line linked to <paramref name="previousHash"/> (an HMAC link when <paramref name="keyed"/>).</summary>
    public static string Format(AuditEvent e, string previousHash, bool keyed = false)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(previousHash);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, LineWriter))
        {
            Write(json, e, Encoding.UTF8.GetBytes(previousHash), keyed);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter json, AuditEvent e, ReadOnlySpan<byte> previousHash, bool keyed)
    {
        Span<byte> time = stackalloc byte[40];
        e.Time.UtcDateTime.TryFormat(time, out var timeLength, "O", CultureInfo.InvariantCulture);
        json.WriteStartObject();
        json.WriteNumber("audit"u8, 1);
        json.WriteString("time"u8, time[..timeLength]);
        json.WriteString("caller"u8, e.Caller);
        json.WriteString("ip"u8, e.ClientIp);
        json.WriteString("protocol"u8, e.Protocol);
        json.WriteString("method"u8, e.Method);
        json.WriteString("rpc"u8, e.Rpc);
        json.WriteNumber("status"u8, e.HttpStatus);
        if (e.GrpcStatus is { } grpc)
        {
            json.WriteNumber("grpcStatus"u8, grpc);
        }

        json.WriteNumber("durationMs"u8, Math.Round(e.Duration.TotalMilliseconds, 3));
        if (e.Repeats > 0)
        {
            json.WriteNumber("repeats"u8, e.Repeats);
        }

        if (e.Aborted)
        {
            json.WriteBoolean("aborted"u8, true);
        }

        json.WriteString("traceId"u8, e.TraceId);
        if (keyed)
        {
            json.WriteString("link"u8, "hmac"u8);
        }

        json.WriteString("prev"u8, previousHash);
        json.WriteEndObject();
        json.Flush();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var file = OpenFile();
        await using var stdout = _options.Sink == "stdout" ? Console.OpenStandardOutput() : null;
        var sink = (Stream?)file ?? stdout;
        // Stopping writes the open refusal summaries and completes the queue; the loop drains what is left before the
        // host exits. Meanwhile summaries are written once their window ends.
        using var registration = stoppingToken.Register(() =>
        {
            foreach (var summary in _refusals.Drain(all: true))
            {
                _queue.Writer.TryWrite(summary);
            }

            _queue.Writer.TryComplete();
        });
        _ = WriteSummariesAsync(stoppingToken);
        var reader = _queue.Reader;

        // A batch of lines is formatted as UTF-8 into one reused buffer (it is what is hashed and written; no
        // string per line) and written with one call: on standard output every write is a system call, a large
        // share of a small request's cost under load, and one write keeps the batch whole between log lines.
        var batch = new ArrayBufferWriter<byte>(MaxBatchLines * 512);
        using var json = new Utf8JsonWriter(batch, LineWriter);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var lines = 0;
            while (lines < MaxBatchLines && reader.TryRead(out var e))
            {
                lines++;
                var start = batch.WrittenCount;
                json.Reset(batch);
                Write(json, e, _previousHash, _key is not null);
                AuditChain.Hash(batch.WrittenSpan[start..], _previousHash, _key);
                _written++;
                if (sink is null)
                {
                    var line = Encoding.UTF8.GetString(batch.WrittenSpan[start..]);
                    LogAudit(_auditLogger, line);
                    batch.ResetWrittenCount();
                    continue;
                }

                batch.Write("\n"u8);
            }

            if (sink is not null && batch.WrittenCount > 0)
            {
                await sink.WriteAsync(batch.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
                await sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                batch.ResetWrittenCount();
                await _checkpoints.MaybeSendAsync(_written, _previousHash, final: false).ConfigureAwait(false);

                // Under load the loop keeps up with the callers, so without a pause every batch would be one line
                // (one system call per request). Lines wait at most this long; a full batch goes on at once.
                if (lines < MaxBatchLines)
                {
                    await Task.Delay(Linger, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _checkpoints.MaybeSendAsync(_written, _previousHash, final: true).ConfigureAwait(false); // the head at shutdown
    }

    private async Task WriteSummariesAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var summary in _refusals.Drain())
                {
                    await WriteAsync(summary).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the registration above writes what is left.
        }
        catch (ChannelClosedException)
        {
            // The queue completed while a summary was being queued.
        }
    }

    private FileStream? OpenFile()
    {
        if (_options.Sink != "file")
        {
            return null;
        }

        var path = Path.GetFullPath(_options.FilePath!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && LastAuditLine(path) is { } last)
        {
            // The chain continues across restarts, keyed as the last line was.
            AuditChain.Hash(Encoding.UTF8.GetBytes(last), _previousHash, last.Contains(AuditChain.KeyedMarker, StringComparison.Ordinal) ? _key : null);
        }

        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    private static string? LastAuditLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var tail = Math.Min(stream.Length, 64 * 1024);
        stream.Seek(-tail, SeekOrigin.End);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith(AuditChain.LinePrefix, StringComparison.Ordinal));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{AuditLine}")]
    private static partial void LogAudit(ILogger logger, string auditLine);
}

/// <summary>Times each call and queues its <see cref="AuditEvent"/> once the response is complete.</summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditTrail trail, IOptions<RateLimiting.RateLimitOptions> exemptions, IOptions<Hosting.ServerOptions> server)
{
    /// <summary>Longest path written in a line: a caller chooses its path, and must not choose the audit file's size.</summary>
    public const int MaxPathChars = 256;

    /// <summary>Runs the rest of the pipeline, then records the call.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? string.Empty;
        if (RateLimiting.RateLimitOptions.IsExempt(exemptions.Value.ExemptPaths, path))
        {
            await next(context);
            return;
        }

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var grpc = IsGrpcPort(context);
            var rpc = context.GetEndpoint()?.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>()?.Method;
            var caller = Security.ApiKeyAuthenticationHandler.CallerOf(context.User);
            var shown = Truncate(path);
            var e = new AuditEvent(
                started,
                caller,
                context.Connection.RemoteIpAddress?.ToString(),
                grpc ? "grpc" : "rest",
                grpc ? shown : context.Request.Method + " " + shown,
                rpc?.FullName,
                failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode,
                grpc ? GrpcStatus(context) : null,
                Stopwatch.GetElapsedTime(clock),
                Hosting.ServiceInfo.CurrentTraceId ?? context.TraceIdentifier,
                Aborted: context.RequestAborted.IsCancellationRequested);
            if (caller is null && IsRefusal(e))
            {
                await trail.WriteRefusalAsync(e, rpc?.ServiceName ?? "unrouted");
            }
            else
            {
                await trail.WriteAsync(e);
            }
        }
    }

    /// <summary>The protocol from the port the call came in on (a REST body sent as application/grpc is still REST);
    /// the content type only where the port is neither (in-memory test servers).</summary>
    private bool IsGrpcPort(HttpContext context)
    {
        var port = context.Connection.LocalPort;
        var o = server.Value;
        return port == o.GrpcPort || (port != o.RestPort && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true);
    }

    /// <summary>401 or 429 (REST), UNAUTHENTICATED or RESOURCE_EXHAUSTED (gRPC): refused before any work.</summary>
    private static bool IsRefusal(AuditEvent e) =>
        e.HttpStatus is StatusCodes.Status401Unauthorized or StatusCodes.Status429TooManyRequests || e.GrpcStatus is 16 or 8;

    private static string Truncate(string path) =>
        path.Length <= MaxPathChars ? path : string.Concat(path.AsSpan(0, MaxPathChars), string.Create(CultureInfo.InvariantCulture, $"...(+{path.Length - MaxPathChars})"));

    private static int? GrpcStatus(HttpContext context)
    {
        var trailers = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()?.Trailers;
        string? value = trailers is not null && trailers.TryGetValue("grpc-status", out var t) ? t.ToString() : context.Response.Headers["grpc-status"].ToString();
        return int.TryParse(value, CultureInfo.InvariantCulture, out var code) ? code : null;
    }
}

/// <summary>Wiring of the audit trail.</summary>
public static class AuditExtensions
{
    /// <summary>Registers <see cref="AuditOptions"/> (validated on start) and the background writer.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Sink != "file" || !string.IsNullOrWhiteSpace(o.FilePath), "Audit:Sink=file needs Audit:FilePath.")
            .Validate(o => o.HmacKey is null || o.HmacKey.Length >= AuditOptions.MinHmacKeyLength,
                $"Audit:HmacKey must have at least {AuditOptions.MinHmacKeyLength} characters (e.g. openssl rand -hex 32).")
            .ValidateOnStart();
        services.AddSingleton(sp => new RefusalAggregator(
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<AuditOptions>>().Value.RefusalWindowSeconds)));
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditTrail>());
        return services;
    }

    /// <summary>Records every call; place it before authentication so refusals (401, 403, 429) are recorded too.</summary>
    public static IApplicationBuilder UseAuditTrail(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<IOptions<AuditOptions>>().Value.Enabled ? app.UseMiddleware<AuditMiddleware>() : app;
    }
}
