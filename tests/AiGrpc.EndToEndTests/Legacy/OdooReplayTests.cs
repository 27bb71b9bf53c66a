using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGrpc.Client;
using AiGrpc.TestKit;

namespace AiGrpc.EndToEndTests.Legacy;

/// <summary>The built server, started once for the replay, with an API key as in production.</summary>
public sealed class OdooReplayServer : IAsyncLifetime
{
    public const string Key = "e2e-odoo-module-key-41d9";

    public ServerProcess Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Server = await ServerProcess.StartAsync(new Dictionary<string, string?> { ["Auth__ApiKeys__odoo"] = Key }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Replays every call of the Odoo module listed in tests/data/legacy/odoo-calls.json (bodies exactly as the module
/// builds them) through the real server over HTTP/1.1, and asserts the meaning the module reads from each answer.
/// </summary>
public sealed class OdooReplayTests(OdooReplayServer fixture) : IClassFixture<OdooReplayServer>
{
    private static readonly JsonArray Cases = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "data", "legacy", "odoo-calls.json")))!["cases"]!.AsArray();

    public static TheoryData<string> CaseNames() => [.. Cases.Select(c => c!["name"]!.GetValue<string>())];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_module_reads_the_right_meaning(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var call = Cases.Single(c => c!["name"]!.GetValue<string>() == name)!;
        var expect = call["expect"]!;
        using var http = new HttpClient { BaseAddress = fixture.Server.RestAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OdooReplayServer.Key);
        using var content = new StringContent(call["body"]!.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(call["path"]!.GetValue<string>(), content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True((int)response.StatusCode == expect["status"]!.GetValue<int>(), $"{name}: HTTP {(int)response.StatusCode} {text}");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal((int)Grpc.Core.StatusCode.InvalidArgument, JsonDocument.Parse(text).RootElement.GetProperty("code").GetInt32());
            return;
        }

        var answer = JsonNode.Parse(text)!.AsObject();
        if (call["call"]!.GetValue<string>() == "suggest_project_for_invoice")
        {
            AssertSuggestion(name, expect, answer);
        }
        else
        {
            AssertValidation(name, expect, answer);
        }
    }

    private static void AssertValidation(string name, JsonNode expect, JsonObject answer)
    {
        var recommendation = answer["recommendation"]!.GetValue<string>();
        var allowed = expect["recommendation"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.True(allowed.Contains(recommendation), $"{name}: recommendation {recommendation}, expected {string.Join(" or ", allowed)}: {answer.ToJsonString()}");
        var confidence = answer["confidence"]!.GetValue<int>();
        Assert.InRange(confidence, recommendation switch { "send" => 85, "review" => 50, _ => 0 }, recommendation switch { "send" => 100, "review" => 84, _ => 49 });
        var said = answer["errors"]!.AsArray().Concat(answer["warnings"]!.AsArray()).Select(s => s!.GetValue<string>()).ToList();
        foreach (var code in expect["codes"]?.AsArray().Select(c => c!.GetValue<string>()) ?? [])
        {
            Assert.True(said.Any(s => s.StartsWith(code + ":", StringComparison.Ordinal)), $"{name}: no {code} in {answer.ToJsonString()}");
        }

        if (recommendation == "send")
        {
            Assert.Empty(answer["errors"]!.AsArray());
        }
    }

    private static void AssertSuggestion(string name, JsonNode expect, JsonObject answer)
    {
        // The old service always sent both keys, null when unsure; the module reads them directly.
        Assert.True(answer.ContainsKey("project_id") && answer.ContainsKey("project_name"), $"{name}: {answer.ToJsonString()}");
        var expected = expect["project_id"];
        var confidence = answer["confidence"]!.GetValue<int>();
        if (expected is null)
        {
            Assert.True(answer["project_id"] is null && answer["project_name"] is null, $"{name}: {answer.ToJsonString()}");
            Assert.InRange(confidence, 0, 69);
        }
        else
        {
            Assert.True(answer["project_id"]?.GetValue<int>() == expected.GetValue<int>(), $"{name}: {answer.ToJsonString()}");
            Assert.False(string.IsNullOrEmpty(answer["project_name"]?.GetValue<string>()));
            Assert.InRange(confidence, 70, 100);
        }

        if (expect["reasoning_contains"]?.GetValue<string>() is { } phrase)
        {
            Assert.Contains(phrase, answer["reasoning"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_modules_connection_test_gets_200_without_a_key()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.RestAddress };
        using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reception_is_also_a_typed_rpc_in_the_client_library()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = AiGrpcClientFactory.Create(fixture.Server.GrpcAddress, OdooReplayServer.Key);
        ReceivedDteInput[] history =
        [
            .. Enumerable.Range(0, 5).Select(i => new ReceivedDteInput(33, 1000 + i, new DateOnly(2025, 5 + i, 3), Total: 1_000_000m + (50_000m * i))),
        ];
        var ordinary = await client.Validation.ValidateReceivedAsync(
            new ReceivedDteInput(33, 1010, new DateOnly(2025, 10, 1), "76.123.456-0", Total: 1_190_000m, Net: 1_000_000m, Vat: 190_000m), history, ct);
        Assert.Equal(DteVerdict.Accept, ordinary.Verdict);
        Assert.Equal(5, ordinary.HistoryCompared);

        var fiftyTimes = await client.Validation.ValidateReceivedAsync(
            new ReceivedDteInput(33, 1011, new DateOnly(2025, 10, 2), "76123456-0", Total: 59_500_000m, Net: 50_000_000m, Vat: 9_500_000m), history, ct);
        Assert.Equal(DteVerdict.Review, fiftyTimes.Verdict);
        Assert.Contains(fiftyTimes.Findings, f => f is { Code: "RECEPTION_AMOUNT_UNUSUAL", Severity: DteFindingSeverity.Warning });
        Assert.True(fiftyTimes.Confidence < ordinary.Confidence);

        var duplicate = await client.Validation.ValidateReceivedAsync(new ReceivedDteInput(33, 1003, new DateOnly(2025, 8, 3), "76123456-0", Total: 1_150_000m), history, ct);
        Assert.Equal(DteVerdict.Reject, duplicate.Verdict);
        Assert.Contains(duplicate.Findings, f => f.Code == "RECEPTION_DUPLICATE_FOLIO");
    }
}
