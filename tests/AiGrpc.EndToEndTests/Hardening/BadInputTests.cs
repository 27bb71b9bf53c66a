using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AiGrpc.Analytics.V1;
using AiGrpc.TestKit;
using AiGrpc.Validation.V1;
using Google.Protobuf;

namespace AiGrpc.EndToEndTests.Hardening;

/// <summary>
/// Throws malformed, truncated, oversized, hostile and randomly mutated input at both protocols of
/// the real server process. Every answer must be a 4xx or a clear gRPC status (never a 5xx, INTERNAL
/// or UNKNOWN), the process must stay healthy and its memory bounded.
/// </summary>
public class BadInputTests
{
    private const string Key = "e2e-bad-input-key-91d0";
    private const int MaxRequestBytes = 1024 * 1024;
    private const int Mutations = 2000;

    // Each service's input: the route, a valid JSON body, and the gRPC method with a valid message.
    private static readonly (string Route, string Json)[] RestTargets =
    [
        ("/api/ai/validate", """{"dte_data":{"tipo_dte":33,"rut_emisor":"76354771-K","rut_receptor":"96790240-3","monto_total":119000,"fecha_emision":"2024-03-01"},"company_id":1,"history":[{"error_code":"X"}]}"""),
        ("/api/v1/validation/dte", """{"document":{"document_type":33,"folio":1,"issue_date":"2024-03-01"}}"""),
        ("/api/v1/analytics/match", """{"invoice_description":"cemento 25kg obra norte","supplier_rut":"76354771-K","amount":119000,"projects":[{"id":1,"name":"Obra Norte","keywords":["cemento"]},{"id":2,"name":"Oficina"}]}"""),
        ("/api/ai/analytics/suggest_project", """{"invoice_data":{"partner_name":"Ferreteria","amount_total":1000,"lines":[{"description":"cemento"}]},"projects":[{"id":1,"name":"Obra"}],"company_id":1}"""),
    ];

    private static readonly (string Path, IMessage Message)[] GrpcTargets =
    [
        ("/aigrpc.validation.v1.ValidationService/ValidateLegacy", new ValidateLegacyRequest { CompanyId = 1, DteData = Google.Protobuf.WellKnownTypes.Struct.Parser.ParseJson("""{"tipo_dte":33,"rut_emisor":"76354771-K","monto_total":1000}""") }),
        ("/aigrpc.validation.v1.ValidationService/ValidateDte", new ValidateDteRequest { Document = new StructuredDocument { DocumentType = 33, Folio = 1, IssueDate = "2024-03-01" } }),
        ("/aigrpc.analytics.v1.AnalyticsService/MatchInvoice", new MatchInvoiceRequest { InvoiceDescription = "cemento obra", SupplierRut = "76354771-K", Projects = { new Project { Id = 1, Name = "Obra" }, new Project { Id = 2, Name = "Oficina" } } }),
    ];

    [Fact]
    public async Task Every_bad_input_gets_a_4xx_or_clear_grpc_status_and_the_server_stays_healthy_with_bounded_memory()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Auth__ApiKeys__bad"] = Key,
            ["Server__MaxRequestBytes"] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Audit__Sink"] = "logger",
            ["Logging__LogLevel__Default"] = "Warning",
        }, ct);
        using var rest = new HttpClient { BaseAddress = server.RestAddress, Timeout = TimeSpan.FromSeconds(30) };
        rest.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        using var grpc = new HttpClient(new SocketsHttpHandler()) { BaseAddress = server.GrpcAddress, Timeout = TimeSpan.FromSeconds(30) };
        var failures = new List<string>();
        var tried = 0;

        async Task Rest(string route, byte[] body, string? contentType, string what)
        {
            tried++;
            using var content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            try
            {
                using var response = await rest.PostAsync(route, content, ct);
                var status = (int)response.StatusCode;
                if (status >= 500 || status < 200)
                {
                    failures.Add($"REST {route} {what}: {status} {Truncate(await response.Content.ReadAsStringAsync(ct))}");
                }
            }
            catch (HttpRequestException e) when (body.Length > MaxRequestBytes)
            {
                // Kestrel may close the connection on a body over the limit before reading it all: a refusal, not a crash.
                _ = e;
            }
        }

        async Task Grpc(string path, byte[] frame, string what, string contentType = "application/grpc")
        {
            tried++;
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(frame),
            };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.TryAddWithoutValidation("te", "trailers");
            request.Headers.Authorization = new("Bearer", Key);
            try
            {
                using var response = await grpc.SendAsync(request, ct);
                _ = await response.Content.ReadAsByteArrayAsync(ct);
                var code = response.Headers.TryGetValues("grpc-status", out var h) ? h.First()
                    : response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First() : null;
                var message = response.Headers.TryGetValues("grpc-message", out var m) ? m.First()
                    : response.TrailingHeaders.TryGetValues("grpc-message", out var tm) ? tm.First() : string.Empty;
                // Bad input is never UNKNOWN or INTERNAL: grpc-dotnet's framing errors are mapped to INVALID_ARGUMENT.
                // A wrong content type is refused at the HTTP level (415, as the gRPC-over-HTTP/2 spec says).
                var refusedByHttp = response.StatusCode == HttpStatusCode.UnsupportedMediaType;
                if ((int)response.StatusCode >= 500 || (code is null && (int)response.StatusCode < 400) || code is "2" || (code is "13" && !refusedByHttp))
                {
                    failures.Add($"gRPC {path} {what}: HTTP {(int)response.StatusCode} grpc-status {code} {Uri.UnescapeDataString(message)}");
                }
            }
            catch (HttpRequestException e)
            {
                failures.Add($"gRPC {path} {what}: {e.Message}");
            }
        }

        var memoryBefore = server.WorkingSetBytes;

        // REST: malformed JSON, deep nesting, wrong content types, invalid UTF-8, huge strings, oversized bodies.
        string[] malformed = ["{", "}", "[", "{\"company_id\":", "{\"company_id\":1,}", "nul", "\"str\"", "123", "[]", "{\"dte_data\":[1,2]}",
            "{\"company_id\":\"x\"}", "{\"company_id\":1e999}", "{\"projects\":{}}", "{\"amount\":\"NaN\"}", "{\"lines\":[null]}", "\u0000", "{'a':1}"];
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var deepObject = string.Concat(Enumerable.Repeat("{\"dte_data\":", 5000)) + "1" + new string('}', 5000);
        foreach (var (route, json) in RestTargets)
        {
            foreach (var body in malformed)
            {
                await Rest(route, Encoding.UTF8.GetBytes(body), "application/json", $"malformed {body}");
            }

            await Rest(route, Encoding.UTF8.GetBytes(deep), "application/json", "deep array");
            await Rest(route, Encoding.UTF8.GetBytes(deepObject), "application/json", "deep object");
            foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/grpc", "application/json; charset=latin1" })
            {
                await Rest(route, Encoding.UTF8.GetBytes(json), type, $"content type {type}");
            }

            await Rest(route, Encoding.UTF8.GetBytes(json), null, "no content type");
            await Rest(route, [], "application/json", "empty body");
            var invalidUtf8 = Encoding.UTF8.GetBytes(json).ToList();
            invalidUtf8.InsertRange(json.IndexOf(':', StringComparison.Ordinal) + 2, new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80 });
            await Rest(route, [.. invalidUtf8], "application/json", "invalid UTF-8");
            var huge = json.Insert(json.IndexOf(':', StringComparison.Ordinal) + 1, "\"" + new string('x', MaxRequestBytes - 4096) + "\",\"zz\":");
            await Rest(route, Encoding.UTF8.GetBytes(huge), "application/json", "huge string");
            await Rest(route, Encoding.UTF8.GetBytes("{\"company_id\":1,\"x\":\"" + new string('y', MaxRequestBytes * 2) + "\"}"), "application/json", "oversized body");
        }

        // XML: hostile documents on the raw-XML route (REST) and in ValidateDteStream (gRPC).
        var xmlInputs = new List<(string Name, byte[] Xml)>
        {
            ("not xml", Encoding.UTF8.GetBytes("this is not xml <")),
            ("truncated", Encoding.UTF8.GetBytes("<DTE version=\"1.0\"><Documento ID=\"F1\"><Encabezado>")),
            ("invalid utf-8", [0x3C, 0x61, 0x3E, 0xC3, 0x28, 0xFF, 0x3C, 0x2F, 0x61, 0x3E]),
            ("deep nesting", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", 50_000)) + string.Concat(Enumerable.Repeat("</a>", 50_000)))),
        };
        if (SharedData.Root is { } shared && Directory.Exists(Path.Combine(shared, "sii", "samples", "cl-sii-python", "xml", "attacks")))
        {
            foreach (var file in Directory.GetFiles(Path.Combine(shared, "sii", "samples", "cl-sii-python", "xml", "attacks")).Order(StringComparer.Ordinal))
            {
                xmlInputs.Add(("attack " + Path.GetFileName(file), await File.ReadAllBytesAsync(file, ct)));
            }
        }
        else
        {
            TestContext.Current.TestOutputHelper?.WriteLine("XML attack samples skipped: ../shared/sii/samples/cl-sii-python/xml/attacks is absent.");
        }

        var attackFiles = xmlInputs.Count(x => x.Name.StartsWith("attack", StringComparison.Ordinal));
        foreach (var (name, xml) in xmlInputs)
        {
            await Rest("/api/v1/validation/dte:xml", xml, "application/xml", name);
            await Grpc("/aigrpc.validation.v1.ValidationService/ValidateDteStream", Frame(new ValidateDteStreamRequest { CorrelationId = "x", XmlBytes = ByteString.CopyFrom(xml) }.ToByteArray()), name);
            await Grpc("/aigrpc.validation.v1.ValidationService/ValidateDteXml", Frame(new ValidateDteXmlRequest { Body = new Google.Api.HttpBody { ContentType = "application/xml", Data = ByteString.CopyFrom(xml) } }.ToByteArray()), name);
        }

        // gRPC framing: garbage protobuf, truncated frames, oversized length prefixes, bad compression flag, wrong content type.
        foreach (var (path, message) in GrpcTargets)
        {
            var valid = message.ToByteArray();
            await Grpc(path, Frame(valid), "valid (control)");
            await Grpc(path, Frame([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]), "malformed protobuf");
            await Grpc(path, Frame([0x0A, 0x7F, 0x01]), "length-delimited field past the end");
            await Grpc(path, Frame(valid)[..Math.Max(1, Frame(valid).Length / 2)], "truncated frame");
            await Grpc(path, [0, 0, 0], "truncated header");
            await Grpc(path, [0, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3], "length prefix 2 GB");
            await Grpc(path, Frame(new byte[MaxRequestBytes + 10]), "oversized message");
            await Grpc(path, [1, .. Frame(valid)[1..]], "compressed flag without grpc-encoding");
            await Grpc(path, Frame(new ValidateLegacyRequest { DteData = Google.Protobuf.WellKnownTypes.Struct.Parser.ParseJson("{\"x\":\"" + new string('z', MaxRequestBytes / 2) + "\"}") }.ToByteArray()), "huge string");
            await Grpc(path, Frame(valid), "wrong content type", "application/json");
            await Grpc(path, [.. Frame(valid), .. Frame(valid)], "two messages on a unary call");
        }

        // Seeded random mutations of valid requests: byte flips, deletions, insertions, truncations.
        var random = new Random(20261125);
        for (var i = 0; i < Mutations; i++)
        {
            if (i % 2 == 0)
            {
                var (route, json) = RestTargets[random.Next(RestTargets.Length)];
                await Rest(route, Mutate(Encoding.UTF8.GetBytes(json), random), "application/json", $"mutation {i}");
            }
            else
            {
                var (path, message) = GrpcTargets[random.Next(GrpcTargets.Length)];
                await Grpc(path, Frame(Mutate(message.ToByteArray(), random)), $"mutation {i}");
            }
        }

        using var live = await rest.GetAsync("/ready", ct);
        var memoryAfter = server.WorkingSetBytes;
        var summary = $"bad-input suite: {tried} inputs tried ({Mutations} seeded mutations, {attackFiles} XML attack files), {failures.Count} failures; " +
            $"server working set {memoryBefore / 1048576} MB -> {memoryAfter / 1048576} MB";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine(summary);

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));
        Assert.False(server.HasExited);
        Assert.True(live.IsSuccessStatusCode, $"/ready answered {(int)live.StatusCode}");
        Assert.True(memoryAfter < memoryBefore + (400L << 20), summary);
    }

    private const string Tokens = "{}[]\":,\\0-e\u0000";

    private static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = input.ToList();
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes[at] = (byte)Tokens[random.Next(Tokens.Length)]; break;
            }
        }

        return [.. bytes];
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] : text;
}
