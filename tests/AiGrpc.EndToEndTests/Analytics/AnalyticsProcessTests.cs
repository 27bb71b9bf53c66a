using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Client;
using AiGrpc.TestKit;
using Grpc.Core;

namespace AiGrpc.EndToEndTests.Analytics;

public class AnalyticsProcessTests
{
    private const string Key = "e2e-analytics-key-4b2d";

    private static readonly ProjectInput[] Projects =
    [
        new(21, "Ampliación Subestación Alto Jahuel 220 kV", "PRJ-2024-001", Client: "Transelec", Location: "Buin", Keywords: ["OC-4500112233"]),
        new(22, "Planta Fotovoltaica Pampa Norte 80 MW", "PRJ-2024-006", Client: "Enel Green Power", Location: "María Elena"),
        new(23, "Mantención eléctrica Mina Ministro Hales", "PRJ-2023-030", Client: "Codelco", Location: "Calama"),
    ];

    private static readonly PastInvoiceInput[] History =
    [
        .. Enumerable.Repeat(new PastInvoiceInput(23, "76.234.567-6", "Transportes Hualpén SpA", "transporte de personal turnos"), 4),
        new PastInvoiceInput(null, "96.686.868-K", "Arriendos de Oficinas Apoquindo SA", "arriendo oficina central"),
    ];

    [Fact]
    public async Task Real_server_with_real_redis_matches_through_the_client_library_and_rest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Auth__ApiKeys__e2e"] = Key,
            ["Cache__Redis"] = redis.ConnectionString,
        }, ct);
        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);

        var byOrder = await client.Analytics.MatchInvoiceAsync(new InvoiceInput("Suministro de materiales", PurchaseOrder: "OC N° 4500112233"), Projects, History, ct);
        Assert.Equal(21, byOrder.MatchedProjectId);
        Assert.Equal(MatchEngine.Local, byOrder.Engine);

        var bySupplier = new InvoiceInput("Transporte de personal mes de octubre", "76.234.567-6", "Transportes Hualpén SpA", 1_200_000, new DateOnly(2024, 10, 31));
        var first = await client.Analytics.MatchInvoiceAsync(bySupplier, Projects, History, ct);
        Assert.Equal(23, first.MatchedProjectId);

        // The same request again: answered from Redis once the lazy first connection is up.
        var engines = new List<MatchEngine>();
        for (var i = 0; i < 50 && !engines.Contains(MatchEngine.Cache); i++)
        {
            engines.Add((await client.Analytics.MatchInvoiceAsync(bySupplier, Projects, History, ct)).Engine);
            await Task.Delay(50, ct);
        }

        Assert.Contains(MatchEngine.Cache, engines);

        var overhead = await client.Analytics.MatchInvoiceAsync(new InvoiceInput("Arriendo oficina central noviembre", "96.686.868-K", "Arriendos de Oficinas Apoquindo SA"), Projects, History, ct);
        Assert.Null(overhead.MatchedProjectId);

        var batch = new List<InvoiceMatch>();
        var invoices = Enumerable.Range(0, 300).Select(i => ($"inv-{i}", new InvoiceInput(i % 3 == 0 ? "Montaje de paneles Pampa Norte" : i % 3 == 1 ? "mant. salas eléctricas Ministro Hales" : "Materiales OC 4500112233")));
        await foreach (var match in client.Analytics.MatchInvoicesAsync(invoices, Projects, History, cancellationToken: ct))
        {
            batch.Add(match);
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"inv-{i}"), batch.Select(m => m.Id));
        int[] expected = [22, 23, 21]; // by i % 3, as the texts above
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (int?)expected[i % 3]), batch.Select(m => m.MatchedProjectId));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Analytics.MatchInvoiceAsync(new InvoiceInput("x", IssueDate: null, PurchaseOrder: null), [Projects[0], Projects[0]], null, ct));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);

        using var http = new HttpClient { BaseAddress = server.RestAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var legacy = await http.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "Test", projects = Array.Empty<object>() }, ct);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("local", (await legacy.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("engine").GetString());
    }

    [Fact]
    public async Task A_matching_context_is_sent_once_per_server_and_its_id_is_the_same_on_every_server()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?> { ["Auth__ApiKeys__e2e"] = Key, ["Analytics__CacheResponses"] = "false" };
        var context = new MatchingContext(Projects, History);
        var site = new InvoiceInput("mant. salas eléctricas Ministro Hales");
        var order = new InvoiceInput("Suministro de materiales", PurchaseOrder: "OC N° 4500112233");

        await using var first = await ServerProcess.StartAsync(settings, ct);
        using (var client = AiGrpcClientFactory.Create(first.GrpcAddress, Key))
        {
            Assert.Equal(23, (await client.Analytics.MatchInvoiceAsync(site, context, ct)).MatchedProjectId);
            Assert.Matches("^[0-9a-f]{32}$", context.ContextId);
            Assert.Equal(21, (await client.Analytics.MatchInvoiceAsync(order, context, ct)).MatchedProjectId);
        }

        var id = context.ContextId;

        // A second process (a restart, or another replica) has never seen the context: it refuses the id once,
        // the client sends the projects and history again, and the process names them by the same id.
        await using var second = await ServerProcess.StartAsync(settings, ct);
        using (var client = AiGrpcClientFactory.Create(second.GrpcAddress, Key))
        {
            var answer = await client.Analytics.MatchInvoiceAsync(order, context, ct);
            Assert.Equal(21, answer.MatchedProjectId);
            Assert.Equal(23, (await client.Analytics.MatchInvoiceAsync(site, context, ct)).MatchedProjectId);
        }

        Assert.Equal(id, context.ContextId);
        var refused = await AuditLinesAsync(second, "\"grpcStatus\":9", 1, ct);
        Assert.Single(refused);
        Assert.Equal(3, (await AuditLinesAsync(second, "AnalyticsService/MatchInvoice", 3, ct)).Count);
        Assert.Empty(await AuditLinesAsync(first, "\"grpcStatus\":9", 0, ct));
    }

    /// <summary>The audit lines of <paramref name="server"/> containing <paramref name="text"/>: as soon as at least
    /// <paramref name="atLeast"/> are there (the trail writes in batches), else after 5 s; with 0, after 1 s.</summary>
    private static async Task<List<string>> AuditLinesAsync(ServerProcess server, string text, int atLeast, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(atLeast > 0 ? 5 : 1);
        while (true)
        {
            var lines = server.Output.Split('\n').Where(l => l.Contains("\"audit\":1", StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal)).ToList();
            if ((atLeast > 0 && lines.Count >= atLeast) || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(50, ct);
        }
    }
}
