using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AiGrpc.Server.Observability;

/// <summary>
/// Writes the request's trace id into the response headers (REST and gRPC alike: gRPC response
/// headers are HTTP/2 headers), so that a caller can paste it into Jaeger's search box. Two forms:
/// <c>x-trace-id</c> (the 32 hex digits) and W3C <c>traceresponse</c> (<c>00-trace-span-flags</c>).
/// </summary>
internal static class TraceIdResponseHeader
{
    public const string TraceIdHeader = "x-trace-id";
    public const string TraceResponseHeader = "traceresponse";

    public static IApplicationBuilder UseTraceIdResponseHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // The callback reads the request's own span from ASP.NET Core's activity feature (inside OnStarting,
            // Activity.Current may be a child span or nothing), so it needs no state beyond the context.
            var activity = Activity.Current;
            if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C)
            {
                context.Response.OnStarting(WriteHeaders, context);
            }

            return next(context);
        });

    private static readonly Func<object, Task> WriteHeaders = static state =>
    {
        var context = (HttpContext)state;
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            // 00-<32 hex trace id>-<16 hex span id>-<2 hex flags> (W3C trace context), in one string.
            var traceResponse = string.Create(55, activity, static (span, a) =>
            {
                "00-".CopyTo(span);
                a.TraceId.ToHexString().CopyTo(span.Slice(3, 32));
                span[35] = '-';
                a.SpanId.ToHexString().CopyTo(span.Slice(36, 16));
                (a.Recorded ? "-01" : "-00").CopyTo(span[52..]);
            });
            context.Response.Headers[TraceIdHeader] = activity.TraceId.ToHexString(); // held by the activity, not a new string
            context.Response.Headers[TraceResponseHeader] = traceResponse;
        }

        return Task.CompletedTask;
    };
}
