using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using AiGrpc.Server.Errors;
using AiGrpc.Server.Security;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.RateLimiting;

/// <summary>
/// Limits on work rather than on requests (section <c>RateLimits:Work</c>), for the routes whose cost grows with the
/// input: a 4 MB EnvioDTE of 750 signed DTEs costs seconds of CPU where a single DTE costs a millisecond. Per caller
/// and per process: at most <see cref="MaxConcurrentPerCaller"/> such calls run at once (the others wait their turn,
/// up to <see cref="QueueTimeoutMs"/>), and the server time they take is charged to the caller; once a caller has
/// spent <see cref="MsPerMinute"/> in the current minute, its expensive calls get 429 / RESOURCE_EXHAUSTED until the
/// minute ends. So one caller cannot buy more than its share of the CPU, however it sizes its requests.
/// </summary>
public sealed class WorkLimitOptions
{
    /// <summary>False turns work limits off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>gRPC methods (<c>service/method</c>) whose cost grows with their input; REST routes to them count too.</summary>
    public List<string> Methods { get; } =
    [
        "aigrpc.validation.v1.ValidationService/ValidateDteXml",
        "aigrpc.validation.v1.ValidationService/ValidateDteStream",
        "aigrpc.analytics.v1.AnalyticsService/MatchInvoices",
    ];

    /// <summary>Expensive calls of one caller running at once (default: half the processors, at least 1).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentPerCaller { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>How long an expensive call waits for its caller's turn before it is refused.</summary>
    [Range(0, 600_000)]
    public int QueueTimeoutMs { get; set; } = 30_000;

    /// <summary>Server milliseconds of unary expensive calls one caller may spend per minute (0 = no budget). The
    /// default, 45 s a minute, is three quarters of one processor.</summary>
    [Range(0, int.MaxValue)]
    public int MsPerMinute { get; set; } = 45_000;
}

/// <summary>Applies <see cref="WorkLimitOptions"/>; place it after the access requirements, so the caller is known.</summary>
public sealed class WorkLimitMiddleware(RequestDelegate next, IOptionsMonitor<RateLimitOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CallerWork> _callers = new(StringComparer.Ordinal);
    private (WorkLimitOptions? Options, HashSet<string> Names) _expensive = (null, []);

    /// <summary>Runs the call within its caller's turn and budget.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.CurrentValue.Work;
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (!o.Enabled || method is null || !Expensive(o).Contains(method.FullName) || ApiKeyAuthenticationHandler.CallerOf(context.User) is not { } caller)
        {
            await next(context);
            return;
        }

        var work = _callers.GetOrAdd(caller, _ => new CallerWork(o.MaxConcurrentPerCaller));
        var now = time.GetUtcNow();
        if (o.MsPerMinute > 0 && work.Spent(now) >= o.MsPerMinute)
        {
            await RefuseAsync(context, work.WindowEnd - now, "This caller has used its share of server time for this minute");
            return;
        }

        if (!await work.Turns.WaitAsync(o.QueueTimeoutMs, context.RequestAborted))
        {
            await RefuseAsync(context, TimeSpan.FromSeconds(1), "Too many expensive calls of this caller are running");
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            work.Turns.Release();
            if (method.Type == MethodType.Unary)
            {
                // Streams are left to the concurrency limit: their time includes waiting for the caller's messages.
                work.Charge(time.GetUtcNow(), Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>The expensive methods as gRPC full names (<c>/service/method</c>), built once per options value:
    /// this runs on every call, and a lookup by the method's own name allocates nothing.</summary>
    private HashSet<string> Expensive(WorkLimitOptions o)
    {
        var known = _expensive;
        if (!ReferenceEquals(known.Options, o))
        {
            known = (o, new HashSet<string>(o.Methods.Select(m => "/" + m), StringComparer.Ordinal));
            _expensive = known;
        }

        return known.Names;
    }

    private static Task RefuseAsync(HttpContext context, TimeSpan retryAfter, string reason)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        var message = string.Create(CultureInfo.InvariantCulture, $"{reason}; retry after {seconds} s.");
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Request.IsGrpc())
        {
            return GrpcTrailersOnly.WriteAsync(context, StatusCode.ResourceExhausted, message);
        }

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        return ErrorResponses.WriteJsonAsync(context.Response, StatusCode.ResourceExhausted, message, context.RequestAborted);
    }

    /// <summary>One caller's turns and the server time it spent in the current minute.</summary>
    private sealed class CallerWork(int turns)
    {
        private readonly Lock _lock = new();
        private double _spentMs;

        public SemaphoreSlim Turns { get; } = new(turns, turns);

        public DateTimeOffset WindowEnd { get; private set; }

        public double Spent(DateTimeOffset now)
        {
            lock (_lock)
            {
                Roll(now);
                return _spentMs;
            }
        }

        public void Charge(DateTimeOffset now, TimeSpan elapsed)
        {
            lock (_lock)
            {
                Roll(now);
                _spentMs += elapsed.TotalMilliseconds;
            }
        }

        private void Roll(DateTimeOffset now)
        {
            if (now >= WindowEnd)
            {
                (_spentMs, WindowEnd) = (0, now + TimeSpan.FromMinutes(1));
            }
        }
    }
}
