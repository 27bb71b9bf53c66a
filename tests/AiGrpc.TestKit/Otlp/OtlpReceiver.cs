using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AiGrpc.TestKit.Otlp;

/// <summary>One span as an OTLP exporter sent it (ids as lowercase hex, attributes as strings).</summary>
public sealed record ReceivedSpan(
    string ServiceName, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name, SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes, ulong StartNanos)
{
    /// <summary>Kind as Jaeger shows it.</summary>
    public string KindName => Kind.ToString().Replace("SpanKind", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>
/// A real OTLP/HTTP (protobuf) trace receiver on 127.0.0.1: <c>POST /v1/traces</c>, as Jaeger and the
/// OpenTelemetry Collector accept on port 4318. Decodes with the generated subset messages.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private int _requests;

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>Base address (an exporter appends <c>/v1/traces</c>, or is given <see cref="TracesUrl"/>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Full address of the traces route.</summary>
    public Uri TracesUrl => new(BaseAddress, "/v1/traces");

    /// <summary>Export requests received.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    /// <summary>Starts the receiver on an ephemeral loopback port.</summary>
    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1AndHttp2));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Urls.First());
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the received spans; returns them.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForAsync(Func<IReadOnlyList<ReceivedSpan>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var spans = Spans;
            if (condition(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Spans received ({spans.Count}) never met the condition:\n{Tree(spans)}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The spans as an indented tree per trace (service, kind, name, selected attributes).</summary>
    public static string Tree(IReadOnlyList<ReceivedSpan> spans, params string[] attributes)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var text = new StringBuilder();
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        foreach (var trace in spans.GroupBy(s => s.TraceId))
        {
            text.Append("trace ").AppendLine(trace.Key);
            foreach (var root in trace.Where(s => s.ParentSpanId is null || !byId.ContainsKey(s.ParentSpanId)).OrderBy(s => s.StartNanos))
            {
                Write(root, 1);
            }
        }

        return text.ToString();

        void Write(ReceivedSpan span, int depth)
        {
            text.Append(' ', depth * 2).Append(CultureInfo.InvariantCulture, $"[{span.ServiceName}] {span.KindName} {span.Name}");
            foreach (var key in attributes)
            {
                if (span.Attributes.TryGetValue(key, out var value))
                {
                    text.Append(CultureInfo.InvariantCulture, $" {key}={value}");
                }
            }

            text.AppendLine();
            foreach (var child in spans.Where(s => s.ParentSpanId == span.SpanId && s.TraceId == span.TraceId).OrderBy(s => s.StartNanos))
            {
                Write(child, depth + 1);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = Attributes(resourceSpans.Resource?.Attributes);
            var service = resource.GetValueOrDefault("service.name", "?");
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    _spans.Enqueue(new ReceivedSpan(
                        service, scopeSpans.Scope?.Name ?? string.Empty, Hex(span.TraceId), Hex(span.SpanId),
                        span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId), span.Name, span.Kind,
                        Attributes(span.Attributes), span.StartTimeUnixNano));
                }
            }
        }

        Interlocked.Increment(ref _requests);
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray(), context.RequestAborted);
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static Dictionary<string, string> Attributes(IEnumerable<KeyValue>? values) =>
        (values ?? []).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => Text(g.First().Value));

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => string.Join(",", value.ArrayValue.Values.Select(Text)),
        AnyValue.ValueOneofCase.KvlistValue => string.Join(",", value.KvlistValue.Values.Select(kv => kv.Key + "=" + Text(kv.Value))),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToHexStringLower(value.BytesValue.Span),
        _ => string.Empty,
    };
}
