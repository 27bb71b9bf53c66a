using System.Diagnostics;
using AiGrpc.Client;
using AiGrpc.TestKit;
using AiGrpc.TestKit.Otlp;
using AiGrpc.TestKit.Validation;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SpanKind = AiGrpc.TestKit.Otlp.SpanKind;

namespace AiGrpc.EndToEndTests.Observability;

/// <summary>
/// One request followed across processes: a consumer (this test) with the client library's tracing
/// extension, the real server process, real Redis and the fake Anthropic server, all exporting over
/// OTLP/HTTP to a real receiver on loopback.
/// </summary>
public class TracingProcessTests
{
    private const string Key = "e2e-tracing-key-9f3c";
    private const string LlmKey = "sk-ant-e2e-tracing-not-a-real-key-5511";
    private const string Rut = "77.020.202-0";
    private static readonly ActivitySource Caller = new("AiGrpc.E2E.Caller");

    private static readonly ProjectInput[] Projects =
    [
        new(21, "Ampliación Subestación Alto Jahuel 220 kV", "PRJ-2024-001", Client: "Transelec", Location: "Buin", Keywords: ["OC-4500112233"]),
        new(22, "Planta Fotovoltaica Pampa Norte 80 MW", "PRJ-2024-006", Client: "Enel Green Power", Location: "María Elena"),
        new(23, "Mantención eléctrica Mina Ministro Hales", "PRJ-2023-030", Client: "Codelco", Location: "Calama"),
    ];

    private static Dictionary<string, string?> Exporting(OtlpReceiver receiver) => new()
    {
        ["Auth__ApiKeys__e2e"] = Key,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseAddress.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
    };

    private static TracerProvider ConsumerTracing(OtlpReceiver receiver) =>
        Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("e2e-consumer"))
            .AddSource(Caller.Name)
            .AddAiGrpcClientInstrumentation()
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = receiver.TracesUrl;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();

    [Fact]
    public async Task A_validation_call_through_the_client_is_one_trace_with_client_and_server_spans()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var server = await ServerProcess.StartAsync(Exporting(receiver), ct);
        using var tracing = ConsumerTracing(receiver);
        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);

        string traceId;
        using (var root = Caller.StartActivity("validate-one-dte"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId.ToHexString();
            var result = await client.Validation.ValidateXmlAsync(DteFixtures.Shared.Build(new DteSpec()), ct);
            Assert.NotNull(result);
        }

        tracing.ForceFlush();
        var spans = await receiver.WaitForAsync(
            s => s.Any(x => x.TraceId == traceId && x.ServiceName == "aigrpc" && x.Kind == SpanKind.Server), TimeSpan.FromSeconds(20), ct);
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(OtlpReceiver.Tree(trace));

        var serverSpan = AssertClientServerChain(trace, "validate-one-dte");
        Assert.Contains("ValidationService/ValidateDte", serverSpan.Name, StringComparison.Ordinal);
        AssertNoSecrets(spans);
    }

    [Fact]
    public async Task An_analytics_call_traces_client_server_redis_and_llm_spans_in_one_trace()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var llm = await FakeAnthropicServer.StartAsync();
        llm.DefaultReply = FakeAnthropicReply.Choose(22, 0.8, "Servicio de apoyo en la planta solar.");
        var settings = Exporting(receiver);
        settings["Cache__Redis"] = redis.ConnectionString;
        settings["Llm__Anthropic__ApiKey"] = LlmKey;
        settings["Llm__Anthropic__BaseUrl"] = llm.BaseUrl;
        settings["Llm__MaxRetries"] = "0";
        await using var server = await ServerProcess.StartAsync(settings, ct);
        using var tracing = ConsumerTracing(receiver);
        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);

        // The Redis connection is lazy and a request never waits for it: repeat (new text each time, so
        // no cache hit skips the LLM) until one trace holds the Redis lookup and the LLM call.
        IReadOnlyList<ReceivedSpan> trace = [];
        for (var attempt = 0; attempt < 40; attempt++)
        {
            string traceId;
            using (var root = Caller.StartActivity("match-one-invoice"))
            {
                traceId = root!.TraceId.ToHexString();
                var invoice = new InvoiceInput($"Servicios de apoyo a faena {attempt}", Rut, "Proveedor Nuevo SpA", 900_000, new DateOnly(2024, 10, 31));
                var match = await client.Analytics.MatchInvoiceAsync(invoice, Projects, null, ct);
                Assert.Equal(MatchEngine.Llm, match.Engine);
            }

            tracing.ForceFlush();
            var spans = await receiver.WaitForAsync(
                s => s.Any(x => x.TraceId == traceId && x.ServiceName == "aigrpc" && x.Kind == SpanKind.Server), TimeSpan.FromSeconds(20), ct);
            await Task.Delay(300, ct); // the server's batch of the inner spans
            trace = [.. receiver.Spans.Where(s => s.TraceId == traceId)];
            if (trace.Any(IsRedis) && trace.Any(IsLlm))
            {
                break;
            }
        }

        var tree = OtlpReceiver.Tree(trace, "rpc.grpc.status_code", "http.response.status_code", "server.address", "db.system", "db.system.name", "engine");
        TestContext.Current.TestOutputHelper?.WriteLine(tree);
        Directory.CreateDirectory(Path.Combine(SharedData.RepositoryRoot, "build", "test-results"));
        await File.WriteAllTextAsync(Path.Combine(SharedData.RepositoryRoot, "build", "test-results", "analytics-trace-tree.txt"), tree, ct);

        var serverSpan = AssertClientServerChain(trace, "match-one-invoice");
        var serverIds = Descendants(trace, serverSpan.SpanId);
        Assert.Contains(trace.Where(IsRedis), s => serverIds.Contains(s.SpanId));
        Assert.Contains(trace.Where(IsLlm), s => serverIds.Contains(s.SpanId));
        AssertNoSecrets(receiver.Spans);
    }

    // caller span -> gRPC client span -> HTTP/2 client span -> server span: parent links across processes.
    private static ReceivedSpan AssertClientServerChain(IReadOnlyList<ReceivedSpan> trace, string callerSpanName)
    {
        var caller = Assert.Single(trace, s => s.Name == callerSpanName);
        var grpcSpan = Assert.Single(trace, s => s.ServiceName == "e2e-consumer" && s.Kind == SpanKind.Client && s.Scope == AiGrpcClientTracing.GrpcClientSourceName);
        var httpSpan = Assert.Single(trace, s => s.ServiceName == "e2e-consumer" && s.Kind == SpanKind.Client && s.Scope == AiGrpcClientTracing.HttpClientSourceName);
        var serverSpan = Assert.Single(trace, s => s.ServiceName == "aigrpc" && s.Kind == SpanKind.Server);
        Assert.Equal(caller.SpanId, grpcSpan.ParentSpanId);
        Assert.Equal(grpcSpan.SpanId, httpSpan.ParentSpanId);
        Assert.Equal(httpSpan.SpanId, serverSpan.ParentSpanId);
        return serverSpan;
    }

    private static bool IsRedis(ReceivedSpan span) =>
        span.Kind == SpanKind.Client && (span.Attributes.ContainsKey("db.system") || span.Attributes.ContainsKey("db.system.name"));

    private static bool IsLlm(ReceivedSpan span) =>
        span.Kind == SpanKind.Client && span.Attributes.TryGetValue("url.full", out var url) && url.Contains("/v1/messages", StringComparison.Ordinal);

    private static HashSet<string> Descendants(IReadOnlyList<ReceivedSpan> trace, string rootId)
    {
        var ids = new HashSet<string> { rootId };
        bool grew;
        do
        {
            grew = false;
            foreach (var span in trace.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId)))
            {
                grew |= ids.Add(span.SpanId);
            }
        }
        while (grew);
        return ids;
    }

    private static void AssertNoSecrets(IReadOnlyList<ReceivedSpan> spans)
    {
        string[] forbidden = [Key, LlmKey, Rut, Rut.Replace(".", string.Empty, StringComparison.Ordinal), "77020202"];
        foreach (var span in spans)
        {
            foreach (var (name, value) in span.Attributes)
            {
                foreach (var secret in forbidden)
                {
                    Assert.False(value.Contains(secret, StringComparison.OrdinalIgnoreCase), $"span '{span.Name}' attribute {name} carries '{secret}'");
                }
            }
        }
    }
}
