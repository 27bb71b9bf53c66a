using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AiGrpc.TestKit;

/// <summary>
/// The remaining rows of the hostile-load table, each replayed once against the real server in production mode:
/// a check that prints what it saw and says FAIL when the row is open again.
/// </summary>
internal static class AttackRows
{
    public const string ValidationOnlyKey = "attack-validation-only-key-3c9e51";
    public const string OtherKey = "attack-other-caller-key-8d20f4";
    public const string HmacKey = "attack-audit-hmac-key-0123456789abcdef0123";

    /// <summary>Settings the rows need on the server under attack.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Auth__Callers__checker__Keys__0"] = ValidationOnlyKey,
        ["Auth__Callers__checker__Scopes__0"] = "validation",
        ["Auth__ApiKeys__other"] = OtherKey,
        ["Audit__HmacKey"] = HmacKey,
        ["Cache__Redis"] = "127.0.0.1:1,connectTimeout=200,abortConnect=false", // a Redis that never answers
    };

    public static async Task RunAsync(ServerProcess server, string key, string auditFile, List<string> failures)
    {
        using var http = new HttpClient { BaseAddress = server.RestAddress };
        void Row(string name, bool fixedNow, string seen)
        {
            Console.WriteLine($"row: {name}: {seen}{(fixedNow ? string.Empty : "  <-- FAIL")}");
            if (!fixedNow)
            {
                failures.Add(name);
            }
        }

        async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? bearer, HttpContent? content = null, Action<HttpRequestMessage>? edit = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (bearer is not null)
            {
                request.Headers.Authorization = new("Bearer", bearer);
            }

            edit?.Invoke(request);
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        // /metrics/costs with a validation-only key.
        var costs = await SendAsync(HttpMethod.Get, "/metrics/costs", ValidationOnlyKey);
        Row("/metrics/costs open to any key", costs.Status == 403, $"validation-only key -> {costs.Status}");

        // Anonymous /health while Redis does not answer: no address, no exception type, answered fast.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var health = await SendAsync(HttpMethod.Get, "/health", null);
        for (var i = 0; i < 9; i++)
        {
            await SendAsync(HttpMethod.Get, "/health", null);
        }

        var healthMs = clock.Elapsed.TotalMilliseconds / 10;
        Row("anonymous /health shows internals and pings per call", !health.Body.Contains("127.0.0.1", StringComparison.Ordinal) && !health.Body.Contains("Exception", StringComparison.Ordinal) && healthMs < 200,
            $"{health.Status}, {health.Body.Length} bytes, no address or exception type, {healthMs:0} ms per call over 10 calls");

        // Oversized REST body.
        var big = await SendAsync(HttpMethod.Post, "/api/v1/analytics/match", key, new ByteArrayContent(new byte[(4 * 1024 * 1024) + 1]) { Headers = { ContentType = new("application/json") } });
        Row("oversized REST body answers 400", big.Status == 413, $"4,194,305 bytes -> {big.Status}");

        // Internal type names in errors.
        var nulls = await SendAsync(HttpMethod.Post, "/api/v1/analytics/match", key, new StringContent("""{"invoice_description":"x","projects":null}""", Encoding.UTF8, "application/json"));
        Row("error texts expose internal type names", nulls.Status == 400 && !nulls.Body.Contains("Google.Protobuf", StringComparison.Ordinal) && !nulls.Body.Contains("AiGrpc.", StringComparison.Ordinal), $"\"projects\": null -> {nulls.Status} {nulls.Body}");

        // The response cache between callers.
        var body = new { invoice_description = "cemento 25 kg obra norte", supplier_rut = "76354771-K", projects = new[] { new { id = 1, name = "Obra Norte" }, new { id = 2, name = "Oficina" } } };
        await SendAsync(HttpMethod.Post, "/api/v1/analytics/match", key, JsonContent.Create(body));
        var replay = await SendAsync(HttpMethod.Post, "/api/v1/analytics/match", OtherKey, JsonContent.Create(body));
        var engine = JsonDocument.Parse(replay.Body).RootElement.TryGetProperty("engine", out var e) ? e.GetString() : null;
        Row("response cache shared between callers", engine != "cache", $"another key replaying the body -> engine \"{engine}\"");

        // History over the analytics limit on the Odoo suggestion route.
        var rows = Enumerable.Range(0, 60_000).Select(_ => new { date = "2024-01-01", project_name = "Obra" });
        var history = await SendAsync(HttpMethod.Post, "/api/ai/analytics/suggest_project", key, JsonContent.Create(new
        {
            invoice_data = new { partner_name = "Ferreteria", amount_total = 1000, lines = new[] { new { description = "cemento" } } },
            projects = new[] { new { id = 1, name = "Obra" } },
            historical_purchases = rows,
            company_id = 1,
        }));
        Row("suggest_project takes 60,000 history rows", history.Status == 400, $"60,000 rows -> {history.Status}");

        // Spoofed X-Forwarded-For from a peer that is not a trusted proxy: still one budget for the IP.
        var spoofed = new List<int>();
        for (var i = 0; i < 35; i++)
        {
            spoofed.Add((await SendAsync(HttpMethod.Post, "/aigrpc.unrouted/Path", null, null, r => r.Headers.Add("X-Forwarded-For", $"198.51.100.{i}"))).Status);
        }

        Row("a spoofed X-Forwarded-For buys a new per-IP budget", spoofed.Contains(429), $"35 calls rotating X-Forwarded-For -> {spoofed.Count(s => s == 429)} × 429");

        // REST sent as application/grpc is audited as rest.
        await SendAsync(HttpMethod.Post, "/api/ai/validate", key, new StringContent("{}", Encoding.UTF8, "application/grpc"));
        await Task.Delay(500);
        var lines = ReadShared(auditFile);
        var grpcLabelled = lines.Where(l => l.Contains("/api/ai/validate", StringComparison.Ordinal)).Any(l => l.Contains("\"protocol\":\"grpc\"", StringComparison.Ordinal));
        Row("audit protocol taken from Content-Type", !grpcLabelled, $"REST sent as application/grpc -> protocol {(grpcLabelled ? "grpc" : "rest")}");

        // The audit chain rewritten by someone who can write the file but lacks the key.
        var keyBytes = Encoding.UTF8.GetBytes(HmacKey);
        var chain = lines.Where(l => l.StartsWith("{\"audit\":1,", StringComparison.Ordinal)).ToList();
        var intact = AiGrpc.Server.Audit.AuditChain.Verify(chain, allowRestarts: false, keyBytes).Valid;
        var forged = chain.Take(1).ToList();
        forged.Add(chain[1].Replace("\"status\":4", "\"status\":2", StringComparison.Ordinal));
        foreach (var line in chain.Skip(2))
        {
            var prev = AiGrpc.Server.Audit.AuditChain.ExtractPrev(line)!;
            forged.Add(line.Replace(prev, AiGrpc.Server.Audit.AuditChain.Hash(forged[^1]), StringComparison.Ordinal));
        }

        var caught = !AiGrpc.Server.Audit.AuditChain.Verify(forged, allowRestarts: false, keyBytes).Valid;
        Row("the audit chain can be rewritten by whoever can write the file", intact && caught, $"{chain.Count} keyed lines verify: {intact}; a line edited and the later links recomputed without the key is caught: {caught}");

        // A short key in production.
        var refused = await StartFailingAsync();
        Row("a 1-character API key is accepted", refused, $"production start with a 1-character key exits with the documented message: {refused}");
    }

    private static List<string> ReadShared(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>A server started with a 1-character key: true when it refuses to start, naming the minimum.</summary>
    private static async Task<bool> StartFailingAsync()
    {
        try
        {
            await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?> { ["Auth__ApiKeys__x"] = "k" });
            return false;
        }
        catch (InvalidOperationException e)
        {
            return e.Message.Contains("shorter than 16", StringComparison.Ordinal);
        }
    }
}
