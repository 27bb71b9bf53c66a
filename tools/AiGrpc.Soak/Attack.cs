using System.Diagnostics;
using System.Globalization;
using System.Net;
using AiGrpc.TestKit;

/// <summary>
/// <c>make attack</c>: the hostile-load findings replayed against the real server in production mode, on loopback,
/// bounded in count and time. Prints one figure per finding and fails when one regresses.
/// </summary>
internal static class Attack
{
    private const string Key = "attack-run-key-5e1d7a90c2";

    public static async Task<int> RunAsync(int floodCalls, int watchStreams)
    {
        var audit = Path.Combine(Path.GetTempPath(), $"aigrpc-attack-audit-{Environment.ProcessId}.jsonl");
        File.Delete(audit);
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Auth__ApiKeys__attack"] = Key,
            ["Audit__Sink"] = "file",
            ["Audit__FilePath"] = audit,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var failures = new List<string>();
        Console.WriteLine($"attack: server pid {server.Id}, RSS at start {server.WorkingSetBytes / 1048576} MiB");

        // 1. Calls without a key, with 8 KB paths: refused, limited, and the audit trail stays small.
        using (var http = new HttpClient { BaseAddress = server.RestAddress })
        {
            var before = new FileInfo(audit).Exists ? new FileInfo(audit).Length : 0;
            var statuses = new Dictionary<int, int>();
            var clock = Stopwatch.StartNew();
            await Parallel.ForAsync(0, floodCalls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                using var response = await http.PostAsync("/api/ai/validate/" + new string((char)('a' + (i % 26)), 8000), new StringContent("{}"), ct);
                lock (statuses)
                {
                    statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                }
            });
            var elapsed = clock.Elapsed;
            await Task.Delay(500); // the audit writer flushes in batches
            var growth = new FileInfo(audit).Length - before;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"flood: {floodCalls} calls without a key in {elapsed.TotalSeconds:0.00} s; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; audit +{growth} bytes"));
            if (statuses.GetValueOrDefault(429) < floodCalls / 2 || growth > 64 * 1024)
            {
                failures.Add("flood: too few 429s or too much audit growth");
            }
        }

        // 2. Anonymous health Watch streams on 100 h2c connections: capped, and memory stays bounded.
        var clients = Enumerable.Range(0, 100).Select(_ => new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
        {
            BaseAddress = server.GrpcAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        }).ToList();
        var open = new List<HttpResponseMessage>();
        var refused = 0;
        var others = 0;
        using var hold = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Parallel.ForAsync(0, watchStreams, new ParallelOptions { MaxDegreeOfParallelism = 200 }, async (i, ct) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/grpc.health.v1.Health/Watch")
            {
                Content = new ByteArrayContent(new byte[5]), // one empty HealthCheckRequest frame
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Content.Headers.ContentType = new("application/grpc");
            request.Headers.TE.Add(new("trailers"));
            try
            {
                var response = await clients[i % clients.Count].SendAsync(request, HttpCompletionOption.ResponseHeadersRead, hold.Token);
                if (response.Headers.TryGetValues("grpc-status", out var status) && status.First() == "8")
                {
                    Interlocked.Increment(ref refused);
                    response.Dispose();
                }
                else
                {
                    lock (open)
                    {
                        open.Add(response);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                Interlocked.Increment(ref others);
            }
        });
        var rss = server.WorkingSetBytes / 1048576;
        Console.WriteLine($"watch: {watchStreams} streams asked on {clients.Count} connections; held open {open.Count}, refused RESOURCE_EXHAUSTED {refused}, failed {others}; server RSS {rss} MiB");
        if (rss > 300 || open.Count > 100)
        {
            failures.Add("watch: more than 100 streams open or RSS over 300 MiB");
        }

        foreach (var response in open)
        {
            response.Dispose();
        }

        clients.ForEach(c => c.Dispose());
        using var health = new HttpClient { BaseAddress = server.RestAddress };
        using var after = await health.GetAsync("/health");
        Console.WriteLine($"after: /health {(int)after.StatusCode}; audit chain {(Verify(audit) ? "verifies" : "BROKEN")}");
        File.Delete(audit);
        failures.ForEach(f => Console.WriteLine("FAIL " + f));
        return failures.Count == 0 && after.IsSuccessStatusCode ? 0 : 1;
    }

    private static bool Verify(string audit) =>
        File.ReadAllLines(audit).All(l => l.StartsWith("{\"audit\":1,", StringComparison.Ordinal));
}
