using System.Diagnostics;
using System.Globalization;
using System.Net;
using AiGrpc.TestKit;
using AiGrpc.TestKit.Validation;

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
        var settings = AttackRows.Settings();
        settings["Auth__ApiKeys__attack"] = Key;
        settings["Audit__Sink"] = "file";
        settings["Audit__FilePath"] = audit;
        settings["Logging__LogLevel__Default"] = "Warning";
        await using var server = await ServerProcess.StartAsync(settings);
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

        // 3. The other rows, once each.
        await AttackRows.RunAsync(server, Key, audit, failures);
        using var health = new HttpClient { BaseAddress = server.RestAddress };
        using var after = await health.GetAsync("/health");
        Console.WriteLine($"after: /health {(int)after.StatusCode}; audit chain {(Verify(audit) ? "verifies" : "BROKEN")}");
        File.Delete(audit);

        // 4. One caller sends big signed envelopes while another sends single DTEs: the small caller's p99, with the
        // work limits off and on, in this run.
        var off = await CpuShareAsync(workLimits: false);
        var on = await CpuShareAsync(workLimits: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cpu share: small caller p99 {off.SmallP99:0.0} ms with work limits off ({off.Big} envelopes, {off.Small} small calls), {on.SmallP99:0.0} ms on ({on.Big} envelopes, {on.Refused} refused 429, {on.Small} small calls)"));
        if (on.SmallP99 >= 50)
        {
            failures.Add("cpu share: the small caller's p99 is 50 ms or more with work limits on");
        }

        failures.ForEach(f => Console.WriteLine("FAIL " + f));
        return failures.Count == 0 && after.IsSuccessStatusCode ? 0 : 1;
    }

    private static async Task<(double SmallP99, int Big, int Refused, int Small)> CpuShareAsync(bool workLimits)
    {
        const string big = "attack-big-caller-key-77f1c0", small = "attack-small-caller-key-19ad3e";
        var fixtures = DteFixtures.Shared;
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Auth__ApiKeys__big"] = big,
            ["Auth__ApiKeys__small"] = small,
            ["RateLimits__PerCaller__PerMinute"] = "0",
            ["RateLimits__PerCaller__PerHour"] = "0",
            ["RateLimits__PerIp__PerMinute"] = "0",
            ["RateLimits__PerIp__PerHour"] = "0",
            ["RateLimits__Work__Enabled"] = workLimits ? "true" : "false",
            [$"Validation__CafKeys__{DteFixtures.TestIdk}"] = fixtures.SiiPublicKeyPem,
            ["Audit__Sink"] = "logger",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__AiGrpc.Audit"] = "Warning",
        });
        var envelope = fixtures.BuildEnvelope([.. Enumerable.Range(1, 300).Select(i => new DteSpec { Folio = i, CafTo = 1000 })]);
        var single = fixtures.Build(new DteSpec());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int bigDone = 0, refused = 0;
        var latencies = new List<double>();

        HttpClient Client(string key)
        {
            var client = new HttpClient { BaseAddress = server.RestAddress, Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            return client;
        }

        static async Task<HttpStatusCode> PostAsync(HttpClient client, byte[] xml)
        {
            using var content = new ByteArrayContent(xml);
            content.Headers.ContentType = new("application/xml");
            using var response = await client.PostAsync("/api/v1/validation/dte:xml", content);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode;
        }

        using var bigClient = Client(big);
        using var smallClient = Client(small);
        var bigLoops = Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var status = await PostAsync(bigClient, envelope);
                if (status == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(200);
                }
                else
                {
                    Interlocked.Increment(ref bigDone);
                }
            }
        }).ToList();
        await Task.Delay(500); // the big caller first
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            await PostAsync(smallClient, single);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(20);
        }

        await Task.WhenAll(bigLoops);
        latencies.Sort();
        return (latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1], bigDone, refused, latencies.Count);
    }

    private static bool Verify(string audit) =>
        File.ReadAllLines(audit).All(l => l.StartsWith("{\"audit\":1,", StringComparison.Ordinal));
}
