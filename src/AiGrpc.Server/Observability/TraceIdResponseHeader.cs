using System.Diagnostics;

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
            // Captured now: inside OnStarting, Activity.Current may be a child span or nothing.
            var activity = Activity.Current;
            if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C)
            {
                context.Response.OnStarting(static state =>
                {
                    var (response, current) = ((HttpResponse, Activity))state;
                    response.Headers[TraceIdHeader] = current.TraceId.ToHexString();
                    var flags = current.Recorded ? "01" : "00";
                    response.Headers[TraceResponseHeader] = $"00-{current.TraceId.ToHexString()}-{current.SpanId.ToHexString()}-{flags}";
                    return Task.CompletedTask;
                }, (context.Response, activity));
            }

            return next(context);
        });
}
