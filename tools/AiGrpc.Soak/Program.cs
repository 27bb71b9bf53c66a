using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using AiGrpc.Client;
using AiGrpc.TestKit;
using Grpc.Core;

// Soak: the real server (Release), a real redis-server and the fake Anthropic server on loopback;
// N clients over gRPC and REST mixing validation (local engine) and analytics calls for a fixed
// time while Redis is killed and restarted and the fake LLM fails or hangs. Stops by itself.
if (args is ["attack", ..])
{
    return await Attack.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000);
}

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 75;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
const string Key = "soak-load-key-3b9f0c2e";

await using var redis = await RedisServer.StartAsync();
await using var llm = await FakeAnthropicServer.StartAsync();
await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>
{
    ["Auth__ApiKeys__soak"] = Key,
    ["Cache__Redis"] = redis.ConnectionString,
    ["Llm__Anthropic__ApiKey"] = "fake-llm-key",
    ["Llm__Anthropic__BaseUrl"] = llm.BaseUrl,
    ["Llm__Threshold"] = "1", // every analytics answer not served from the cache asks the (faulty) fake LLM
    ["Audit__Sink"] = "logger",
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__AiGrpc.Audit"] = "Warning",
});
Console.WriteLine($"soak: {clients} clients for {seconds} s; server pid {server.Id}, redis :{redis.Port}, fake LLM {llm.BaseUrl}");

var samples = new ConcurrentBag<(string Kind, double Ms)>();
long sent = 0, answered = 0, failed = 0, limited = 0;
var failures = new ConcurrentQueue<string>();
long peakRss = server.WorkingSetBytes;
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var legacyBody = new
{
    dte_data = new { tipo_dte = 33, rut_emisor = "76354771-K", rut_receptor = "96790240-3", monto_total = 119000, fecha_emision = "2024-03-01" },
    company_id = 1,
};
ProjectInput[] projects = [new(1, "Obra Norte", Code: "ON-1", Description: "cemento fierro hormigon"), new(2, "Oficina Central", Code: "OC-2", Description: "papel toner")];
var document = new DteDocumentInput(33, 1000, new DateOnly(2024, 3, 1), "76354771-K", "Emisor SpA", "96790240-3", "Receptor SA",
    [new DteLineInput("Cemento 25 kg", 100000)], new DteTotalsInput(119000, Net: 100000, VatRate: 19m, Vat: 19000));
var matchBody = new { invoice_description = "cemento 25kg obra norte " + Random.Shared.Next(500), supplier_rut = "76354771-K", projects = new[] { new { id = 1, name = "Obra Norte" }, new { id = 2, name = "Oficina Central" } } };

async Task Measure(string kind, Func<Task> call)
{
    Interlocked.Increment(ref sent);
    var clock = Stopwatch.StartNew();
    try
    {
        await call();
        Interlocked.Increment(ref answered);
        samples.Add((kind, clock.Elapsed.TotalMilliseconds));
    }
    catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
    {
        Interlocked.Increment(ref limited);
    }
    catch (Exception e) when (!stop.IsCancellationRequested)
    {
        Interlocked.Increment(ref failed);
        failures.Enqueue($"{kind}: {e.GetType().Name} {e.Message}");
    }
}

async Task GrpcClient(int id)
{
    using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);
    for (var i = 0; !stop.IsCancellationRequested; i++)
    {
        if (i % 2 == 0)
        {
            await Measure("grpc validation (local)", () => client.Validation.ValidateDocumentAsync(document, CancellationToken.None));
        }
        else
        {
            await Measure("grpc analytics", () => client.Analytics.MatchInvoiceAsync(new InvoiceInput($"cemento obra norte {id}-{i % 500}", "76354771-K"), projects, cancellationToken: CancellationToken.None));
        }
    }
}

async Task RestClient(int id)
{
    using var http = new HttpClient { BaseAddress = server.RestAddress, Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
    for (var i = 0; !stop.IsCancellationRequested; i++)
    {
        var validation = i % 2 == 0;
        await Measure(validation ? "rest validation (local)" : "rest analytics", async () =>
        {
            using var response = validation
                ? await http.PostAsJsonAsync("/api/ai/validate", legacyBody)
                : await http.PostAsJsonAsync("/api/v1/analytics/match", matchBody);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "429"));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        });
    }
}

async Task Faults()
{
    var random = new Random(7);
    while (!stop.IsCancellationRequested)
    {
        // The fake LLM: one in three replies fails, one in three hangs past the call budget.
        llm.DefaultReply = random.Next(3) switch
        {
            0 => FakeAnthropicReply.Error(500),
            1 => FakeAnthropicReply.Choose(1).After(TimeSpan.FromSeconds(10)),
            _ => FakeAnthropicReply.Choose(1),
        };
        peakRss = Math.Max(peakRss, server.WorkingSetBytes);
        await Task.Delay(200);
    }
}

async Task<double?> RedisOutage()
{
    await Task.Delay(TimeSpan.FromSeconds(seconds / 4.0));
    Console.WriteLine($"soak: t={seconds / 4} s killing redis-server");
    await redis.StopAsync();
    await Task.Delay(TimeSpan.FromSeconds(seconds / 4.0));
    Console.WriteLine($"soak: t={seconds / 2} s restarting redis-server (empty)");
    await redis.RestartAsync();
    var back = Stopwatch.StartNew();
    while (back.Elapsed < TimeSpan.FromSeconds(seconds / 2.0 - 1))
    {
        if (await DbSize(redis.Port) > 0)
        {
            return back.Elapsed.TotalMilliseconds; // the service wrote (rate-limit counters, cache) again
        }

        await Task.Delay(20);
    }

    return null;
}

var total = Stopwatch.StartNew();
var workers = Enumerable.Range(0, clients).Select(i => i % 2 == 0 ? GrpcClient(i) : RestClient(i)).ToList();
var outage = RedisOutage();
await Task.WhenAll([.. workers, Faults()]);
var reuse = await outage;
total.Stop();
var healthy = await new HttpClient().GetAsync(new Uri(server.RestAddress, "/live"));

static double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
static string Line(string name, IEnumerable<double> values)
{
    var s = values.Order().ToList();
    return string.Create(CultureInfo.InvariantCulture, $"  {name,-26} n={s.Count,7}  p50={P(s, 0.50),8:F2} ms  p95={P(s, 0.95),8:F2} ms  p99={P(s, 0.99),8:F2} ms");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: {total.Elapsed.TotalSeconds:F1} s, {clients} clients (gRPC typed client + REST HttpClient), fault injection: redis killed/restarted, fake LLM 1/3 errors 1/3 hangs"));
Console.WriteLine($"  requests sent {sent}, answered {answered}, failed {failed}, rate-limited (429/RESOURCE_EXHAUSTED, not failures) {limited}");
Console.WriteLine(Line("all", samples.Select(s => s.Ms)));
Console.WriteLine(Line("local engine (validation)", samples.Where(s => s.Kind.Contains("local", StringComparison.Ordinal)).Select(s => s.Ms)));
Console.WriteLine(Line("analytics", samples.Where(s => s.Kind.Contains("analytics", StringComparison.Ordinal)).Select(s => s.Ms)));
foreach (var kind in samples.Select(s => s.Kind).Distinct().Order(StringComparer.Ordinal))
{
    Console.WriteLine(Line(kind, samples.Where(s => s.Kind == kind).Select(s => s.Ms)));
}

Console.WriteLine($"  peak RSS of the server process {peakRss / 1048576.0:F0} MB; fake LLM received {llm.RequestCount} requests");
Console.WriteLine(reuse is { } ms ? string.Create(CultureInfo.InvariantCulture, $"  Redis used again {ms:F0} ms after it was restarted") : "  Redis NOT used again before the end");
Console.WriteLine($"  server alive at the end: {healthy.IsSuccessStatusCode}");
foreach (var f in failures.Take(10))
{
    Console.WriteLine("  failure: " + f);
}

return failed == 0 && healthy.IsSuccessStatusCode ? 0 : 1;

static async Task<long> DbSize(int port)
{
    try
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("DBSIZE\r\n"));
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        var text = Encoding.ASCII.GetString(buffer, 0, read);
        return text.StartsWith(':') ? long.Parse(text[1..].Trim(), CultureInfo.InvariantCulture) : 0;
    }
    catch (SocketException)
    {
        return 0;
    }
}
