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
public sealed record AuditEvent(DateTimeOffset Time, string? Caller, string? ClientIp, string Protocol, string Method, string? Rpc,
    int HttpStatus, int? GrpcStatus, TimeSpan Duration, string TraceId);

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
    private string _previousHash = AuditChain.Genesis;

    /// <summary>Lines written (and flushed) together at most: bounds how long a line waits and the batch's memory.</summary>
    private const int MaxBatchLines = 256;

    /// <summary>Pause after a partial batch, so that lines arriving meanwhile share the next write.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(5);

    /// <summary>Creates the trail (the sink opens when the host starts).</summary>
    public AuditTrail(IOptions<AuditOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _auditLogger = loggers.CreateLogger("AiGrpc.Audit");
        _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues an event.</summary>
    public ValueTask WriteAsync(AuditEvent auditEvent) => _queue.Writer.WriteAsync(auditEvent, CancellationToken.None);

    /// <summary>Formats one event as an audit line linked to <paramref name="previousHash"/>.</summary>
    public static string Format(AuditEvent e, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("audit", 1);
            json.WriteString("time", e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("caller", e.Caller);
            json.WriteString("ip", e.ClientIp);
            json.WriteString("protocol", e.Protocol);
            json.WriteString("method", e.Method);
            json.WriteString("rpc", e.Rpc);
            json.WriteNumber("status", e.HttpStatus);
            if (e.GrpcStatus is { } grpc)
            {
                json.WriteNumber("grpcStatus", grpc);
            }

            json.WriteNumber("durationMs", Math.Round(e.Duration.TotalMilliseconds, 3));
            json.WriteString("traceId", e.TraceId);
            json.WriteString("prev", previousHash);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var file = OpenFile();
        var console = _options.Sink == "stdout" ? Console.Out : null;
        // Stopping completes the queue; the loop drains what is left before the host exits.
        using var registration = stoppingToken.Register(() => _queue.Writer.TryComplete());
        var reader = _queue.Reader;

        // Standard output gets one write per batch, not one per line: Console.Out flushes every write (a system
        // call each, a large share of a small request's cost under load), and a single Write keeps the batch whole
        // between the log lines that share the stream.
        var batch = console is null ? null : new StringBuilder();
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var lines = 0;
            while (lines < MaxBatchLines && reader.TryRead(out var e))
            {
                lines++;
                var line = Format(e, _previousHash);
                _previousHash = AuditChain.Hash(line);
                if (file is not null)
                {
                    await file.WriteLineAsync(line).ConfigureAwait(false);
                }
                else if (batch is not null)
                {
                    batch.Append(line).Append('\n');
                }
                else
                {
                    LogAudit(_auditLogger, line);
                }
            }

            if (file is not null)
            {
                await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else if (batch is { Length: > 0 })
            {
                await console!.WriteAsync(batch.ToString()).ConfigureAwait(false);
                batch.Clear();
            }

            // Under load the loop keeps up with the callers, so without a pause every batch would be one line (one
            // system call per request). Lines wait at most this long; a full batch goes on at once.
            if (lines < MaxBatchLines && (file is not null || console is not null))
            {
                await Task.Delay(Linger, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private StreamWriter? OpenFile()
    {
        if (_options.Sink != "file")
        {
            return null;
        }

        var path = Path.GetFullPath(_options.FilePath!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && LastAuditLine(path) is { } last)
        {
            _previousHash = AuditChain.Hash(last); // the chain continues across restarts
        }

        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
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
public sealed class AuditMiddleware(RequestDelegate next, AuditTrail trail, IOptions<RateLimiting.RateLimitOptions> exemptions)
{
    /// <summary>Runs the rest of the pipeline, then records the call.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? string.Empty;
        if (exemptions.Value.ExemptPaths.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
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
            var grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
            var rpc = context.GetEndpoint()?.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>()?.Method;
            await trail.WriteAsync(new AuditEvent(
                started,
                Security.ApiKeyAuthenticationHandler.CallerOf(context.User),
                context.Connection.RemoteIpAddress?.ToString(),
                grpc ? "grpc" : "rest",
                grpc ? path : context.Request.Method + " " + path,
                rpc?.FullName,
                failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode,
                grpc ? GrpcStatus(context) : null,
                clock.Elapsed,
                Hosting.ServiceInfo.CurrentTraceId ?? context.TraceIdentifier));
        }
    }

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
            .ValidateOnStart();
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
