using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AiGrpc.Analytics.V1;
using AiGrpc.TestKit;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AiGrpc.Benchmarks.Analytics;

/// <summary>
/// <c>make bench-grpc</c>: gRPC throughput of MatchInvoice (30 projects, 60 history rows) against
/// <c>grpc.health.v1.Health/Check</c> on the same server process, in the same run, with h2load.
/// Each MatchInvoice run is paired with a health-check run next to it (after a warm-up of each) so that noise
/// from other work on the machine falls on both; the figure that matters is the ratio of the medians.
/// </summary>
/// <remarks>
/// h2load only sees HTTP status, not gRPC status (trailers), so each payload is first sent once with a real
/// gRPC client and its answer checked. The response cache is switched off (<c>Analytics__CacheResponses=false</c>)
/// by default so every MatchInvoice is parsed, checked and matched: identical payloads would otherwise be
/// answered from the memory cache and measure only the cache (<c>--response-cache</c> measures that path).
/// The project index cache stays on, as in production: a company sends the same projects with every invoice.
/// Two MatchInvoice payloads are measured: the request with its projects and history (12.6 KB, read and hashed
/// every time), and the same invoice naming them by the <c>context_id</c> the first answer returned, which is how
/// the client library's <c>MatchingContext</c> sends every call after the first.
/// </remarks>
public static partial class GrpcThroughput
{
    private const string Key = "bench-grpc-key-5c1e";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 3);
        var rounds = Arg(args, "--rounds", 10);
        var clients = Arg(args, "--clients", 4);
        var streams = Arg(args, "--streams", 16);
        var responseCache = Array.IndexOf(args, "--response-cache") >= 0;
        var directory = Path.Combine(SharedData.RepositoryRoot, "build", "bench-grpc");
        Directory.CreateDirectory(directory);

        var auditFile = Path.Combine(directory, "audit.jsonl");
        File.Delete(auditFile);
        var match = MatchRequest();
        var matchFile = Path.Combine(directory, "match-invoice-30x60.grpc");
        var healthFile = Path.Combine(directory, "health-check.grpc");
        await File.WriteAllBytesAsync(matchFile, Frame(match));
        await File.WriteAllBytesAsync(healthFile, Frame(new HealthCheckRequest()));
        Console.WriteLine($"payloads: {matchFile} ({new FileInfo(matchFile).Length} bytes), {healthFile} ({new FileInfo(healthFile).Length} bytes)");

        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Auth__ApiKeys__bench"] = Key,
            ["Analytics__CacheResponses"] = responseCache ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",

            // The audit trail to a file, as deployed with a volume: on standard output every line would also go
            // through this process's pipe reader (ServerProcess keeps the output), on the same two cores, and the
            // MatchInvoice rounds would slow down as that buffer grew (the health check is not audited).
            ["Audit__Sink"] = "file",
            ["Audit__FilePath"] = auditFile,

            // Out of reach: a run sends millions of calls with one key, and a refused call (RESOURCE_EXHAUSTED in the
            // trailers, HTTP 200 to h2load) is far cheaper than a match. The audit check below would catch it.
            ["RateLimits__PerCaller__PerMinute"] = "2000000000",
            ["RateLimits__PerCaller__PerHour"] = "2000000000",
            ["RateLimits__PerIp__PerMinute"] = "2000000000",
            ["RateLimits__PerIp__PerHour"] = "2000000000",
        });

        // Correctness first: h2load cannot see gRPC errors. The full request also gives the context id that the
        // third payload (the same invoice, its projects and history named by id) carries.
        var named = MatchRequest();
        named.Projects.Clear();
        named.History.Clear();
        using (var channel = GrpcChannel.ForAddress(server.GrpcAddress))
        {
            var headers = new Metadata { { "authorization", "Bearer " + Key } };
            var analytics = new AnalyticsService.AnalyticsServiceClient(channel);
            var answer = await analytics.MatchInvoiceAsync(match, headers);
            named.ContextId = answer.ContextId;
            var byId = await analytics.MatchInvoiceAsync(named, headers);
            var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), headers);
            Console.WriteLine($"check: MatchInvoice -> project {answer.MatchedProjectId?.ToString(CultureInfo.InvariantCulture) ?? "none"} ({answer.Confidence:0.00}, engine {answer.Engine}); by context_id -> project {byId.MatchedProjectId?.ToString(CultureInfo.InvariantCulture) ?? "none"} ({byId.Confidence:0.00}); Health/Check -> {health.Status}");
            if (answer.ContextId.Length == 0 || byId.MatchedProjectId != answer.MatchedProjectId || byId.Confidence != answer.Confidence)
            {
                throw new InvalidOperationException("the request by context_id did not answer as the full request");
            }
        }

        var namedFile = Path.Combine(directory, "match-invoice-by-context.grpc");
        await File.WriteAllBytesAsync(namedFile, Frame(named));
        Console.WriteLine($"payload by context_id: {namedFile} ({new FileInfo(namedFile).Length} bytes)");

        var matchUrl = $"{server.GrpcAddress}aigrpc.analytics.v1.AnalyticsService/MatchInvoice";
        var healthUrl = $"{server.GrpcAddress}grpc.health.v1.Health/Check";
        Console.WriteLine(responseCache
            ? "response cache ON: after the first call every MatchInvoice is a cache hit (h2load repeats one payload)"
            : "response cache OFF: every MatchInvoice is read, checked and matched (project index reused, as for a company's repeated project list)");
        const int WarmUpRounds = 2;
        var fullPairs = Math.Max(3, rounds / 2);
        Console.WriteLine($"h2load: -t 1 -c {clients} -m {streams} -D {seconds} --warm-up-time 1; {WarmUpRounds} warm-up rounds, then {rounds} pairs by context_id and {fullPairs} pairs sent in full");
        // Warm-up long enough for the tiered JIT to reach optimised code on every path: with 2 s each, the
        // health check was still getting faster in the third round, which skewed the ratios.
        for (var i = 0; i < WarmUpRounds; i++)
        {
            await H2LoadAsync(healthUrl, healthFile, clients, streams, seconds);
            await H2LoadAsync(matchUrl, matchFile, clients, streams, seconds);
            await H2LoadAsync(matchUrl, namedFile, clients, streams, seconds);
        }

        // Each payload is paired with a health-check run right next to it, and the pairs alternate their order
        // (health first, then MatchInvoice first), so a drift of the machine's speed falls on both sides of the
        // ratio. The two MatchInvoice payloads are not mixed within a pair: on server GC (DATAS), run right after the full
        // requests, the calls by context_id were about 10 % slower than right after a health check (same run, 14 rounds
        // of each order), an after-effect of the other workload that belongs to neither figure.
        var byContext = await PairsAsync("by context_id", matchUrl, namedFile, rounds);
        var full = await PairsAsync("sent in full", matchUrl, matchFile, fullPairs);

        // The same request as JSON on the transcoded REST route over HTTP/1.1, against gRPC sent in full, alternating.
        var restFile = Path.Combine(directory, "match-invoice-30x60.json");
        await File.WriteAllTextAsync(restFile, JsonFormatter.Default.Format(match));
        var restUrl = $"{server.RestAddress}api/v1/analytics/match";
        await H2LoadAsync(restUrl, restFile, clients, streams, seconds, rest: true);
        var rest = new Pairs();
        for (var r = 1; r <= fullPairs; r++)
        {
            double g, j;
            if (r % 2 == 1)
            {
                g = await H2LoadAsync(matchUrl, matchFile, clients, streams, seconds);
                j = await H2LoadAsync(restUrl, restFile, clients, streams, seconds, rest: true);
            }
            else
            {
                j = await H2LoadAsync(restUrl, restFile, clients, streams, seconds, rest: true);
                g = await H2LoadAsync(matchUrl, matchFile, clients, streams, seconds);
            }

            rest.Add(g, j);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"REST JSON against gRPC, pair {r}: gRPC in full {g:0} req/s, REST {j:0} req/s ({j / g:P1})"));
        }

        // h2load counts HTTP statuses only; the audit trail has every call's gRPC status. CANCELLED and UNKNOWN ("the
        // HTTP/2 connection faulted" while reading a request) are expected from the cut-off: each h2load run ends by
        // closing its connections with streams still in flight, at most clients x streams of them per run.
        var statuses = await GrpcStatusesAsync(auditFile);
        Console.WriteLine($"audit trail: MatchInvoice calls by gRPC status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))} ({new FileInfo(auditFile).Length / 1_000_000} MB, deleted now)");
        File.Delete(auditFile);
        var failed = statuses.Where(s => s.Key is not (0 or 1 or 2)).Sum(s => s.Value);
        var cutOff = statuses.GetValueOrDefault(1) + statuses.GetValueOrDefault(2);
        var matchRuns = (2 * WarmUpRounds) + byContext.Count + full.Count;
        if (failed > 0 || cutOff > (long)clients * streams * matchRuns)
        {
            throw new InvalidOperationException($"{failed} MatchInvoice calls failed and {cutOff} were cut off: the rates above are not matches");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MatchInvoice naming its 30 projects and 60 history rows by context_id: {byContext.Summary} (target >= 80%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MatchInvoice sending them in full (12.6 KB): {full.Summary} (target >= 50%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the same on REST (JSON, HTTP/1.1, transcoded) against gRPC in full: {rest.Summary.Replace("Health/Check", "gRPC", StringComparison.Ordinal).Replace("MatchInvoice", "REST", StringComparison.Ordinal)} (target >= 60%)"));
        return 0;

        async Task<Pairs> PairsAsync(string name, string url, string file, int count)
        {
            var pairs = new Pairs();
            for (var r = 1; r <= count; r++)
            {
                double h, m;
                if (r % 2 == 1)
                {
                    h = await H2LoadAsync(healthUrl, healthFile, clients, streams, seconds);
                    m = await H2LoadAsync(url, file, clients, streams, seconds);
                }
                else
                {
                    m = await H2LoadAsync(url, file, clients, streams, seconds);
                    h = await H2LoadAsync(healthUrl, healthFile, clients, streams, seconds);
                }

                pairs.Add(h, m);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}, pair {r} ({(r % 2 == 1 ? "health first" : "MatchInvoice first")}): Health/Check {h:0} req/s, MatchInvoice {m:0} req/s ({m / h:P1})"));
            }

            return pairs;
        }
    }

    /// <summary>Rates of paired runs: health check and MatchInvoice, side by side.</summary>
    private sealed class Pairs
    {
        private readonly List<double> _health = [];
        private readonly List<double> _match = [];

        public int Count => _health.Count;

        public string Summary
        {
            get
            {
                var (health, match) = (Median(_health), Median(_match));
                var ratios = _match.Select((m, i) => m / _health[i]).Order().ToList();
                return string.Create(CultureInfo.InvariantCulture,
                    $"medians Health/Check {health:0} req/s, MatchInvoice {match:0} req/s, ratio {match / health:P1}; median of the {Count} pairs' ratios {Median(ratios):P1} (lowest {ratios[0]:P1}, highest {ratios[^1]:P1})");
            }
        }

        public void Add(double health, double match)
        {
            _health.Add(health);
            _match.Add(match);
        }
    }

    /// <summary>The benchmark's request: the first invoice of the 30/60 workload with its projects and history.</summary>
    public static MatchInvoiceRequest MatchRequest()
    {
        var workload = AnalyticsWorkload.Create(30, 60);
        var invoice = workload.Invoices[0];
        var ci = CultureInfo.InvariantCulture;
        var request = new MatchInvoiceRequest
        {
            InvoiceDescription = invoice.Description ?? string.Empty,
            SupplierRut = invoice.SupplierRut ?? string.Empty,
            SupplierName = invoice.SupplierName ?? string.Empty,
            Amount = (double?)invoice.Amount,
            IssueDate = invoice.IssueDate?.ToString("yyyy-MM-dd", ci) ?? string.Empty,
            PurchaseOrder = invoice.PurchaseOrder ?? string.Empty,
        };
        request.Lines.Add(invoice.Lines.Select(l => new InvoiceLine { Description = l.Description, Quantity = (double?)l.Quantity, Unit = l.Unit ?? string.Empty, UnitPrice = (double?)l.UnitPrice }));
        request.Projects.Add(workload.Projects.Select(p => new Project
        {
            Id = p.Id,
            Code = p.Code ?? string.Empty,
            Name = p.Name ?? string.Empty,
            Description = p.Description ?? string.Empty,
            Client = p.Client ?? string.Empty,
            Location = p.Location ?? string.Empty,
            StartDate = p.StartDate?.ToString("yyyy-MM-dd", ci) ?? string.Empty,
            EndDate = p.EndDate?.ToString("yyyy-MM-dd", ci) ?? string.Empty,
            Budget = (double?)p.Budget,
            Keywords = { p.Keywords },
        }));
        request.History.Add(workload.History.Select(h => new AiGrpc.Analytics.V1.PastInvoice
        {
            SupplierRut = h.SupplierRut ?? string.Empty,
            SupplierName = h.SupplierName ?? string.Empty,
            Description = h.Description ?? string.Empty,
            ProjectId = h.ProjectId,
        }));
        return request;
    }

    /// <summary>A gRPC length-prefixed message: compression flag 0, 4-byte big-endian length, protobuf bytes.</summary>
    public static byte[] Frame(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.ToByteArray();
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)body.Length);
        body.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>One h2load run; <paramref name="rest"/>: HTTP/1.1 JSON with as many connections as the gRPC run has
    /// streams in flight (HTTP/1.1 has one request per connection at a time).</summary>
    private static async Task<double> H2LoadAsync(string url, string file, int clients, int streams, int seconds, bool rest = false)
    {
        var ci = CultureInfo.InvariantCulture;
        string[] shape = rest
            ? ["--h1", "-c", (clients * streams).ToString(ci), "-m", "1", "-H", "content-type: application/json"]
            : ["-c", clients.ToString(ci), "-m", streams.ToString(ci), "-H", "content-type: application/grpc", "-H", "te: trailers"];
        var info = new ProcessStartInfo("h2load",
        [
            "-t", "1", .. shape, "-D", seconds.ToString(ci), "--warm-up-time", "1", "-d", file, "-H", "authorization: Bearer " + Key, url,
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("h2load did not start (make deps installs nghttp2-client)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rate = RateRegex().Match(output);
        var status = StatusRegex().Match(output);
        if (process.ExitCode != 0 || !rate.Success || !status.Success || status.Groups[2].Value != "0" || status.Groups[3].Value != "0")
        {
            throw new InvalidOperationException($"h2load failed or saw non-2xx answers:\n{output}\n{await process.StandardError.ReadToEndAsync()}");
        }

        return double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<Dictionary<int, long>> GrpcStatusesAsync(string auditFile)
    {
        // The server flushes its trail as it goes; lines of the last few milliseconds may not be on disk yet.
        var statuses = new Dictionary<int, long>();
        using var reader = new StreamReader(new FileStream(auditFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Contains("AnalyticsService/MatchInvoice", StringComparison.Ordinal) && GrpcStatusRegex().Match(line) is { Success: true } status)
            {
                var code = int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
                statuses[code] = statuses.GetValueOrDefault(code) + 1;
            }
        }

        return statuses;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex(@"finished in [\d.]+\w+, ([\d.]+) req/s")]
    private static partial Regex RateRegex();

    [GeneratedRegex(@"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx")]
    private static partial Regex StatusRegex();

    [GeneratedRegex(@"""grpcStatus"":(\d+)")]
    private static partial Regex GrpcStatusRegex();
}
