using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Client;
using AiGrpc.TestKit;
using AiGrpc.TestKit.Validation;

namespace AiGrpc.EndToEndTests.Validation;

public class ValidationProcessTests
{
    private const string Key = "e2e-validation-key-7c1e";

    [Fact]
    public async Task Real_server_validates_through_the_client_library_raw_upload_and_legacy_route()
    {
        var ct = TestContext.Current.CancellationToken;
        var fixtures = DteFixtures.Shared;
        var settings = new Dictionary<string, string?>
        {
            ["Auth__ApiKeys__e2e"] = Key,
            [$"Validation__CafKeys__{DteFixtures.TestIdk}"] = fixtures.SiiPublicKeyPem,
        };
        if (SharedData.Root is { } shared)
        {
            settings["Validation__SchemaDirectory"] = Path.Combine(shared, "sii", "schemas");
        }

        await using var server = await ServerProcess.StartAsync(settings, ct);
        using var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key);

        var accepted = await client.Validation.ValidateXmlAsync(fixtures.Build(new DteSpec()), ct);
        Assert.True(accepted.Verdict == DteVerdict.Accept, string.Join("; ", accepted.Documents.SelectMany(d => d.Findings).Concat(accepted.Findings)));
        Assert.Equal(DteFixtures.SignerRut, accepted.Documents[0].Signature?.SignerRut);

        var rejected = await client.Validation.ValidateXmlAsync(fixtures.Build(new DteSpec { ReceiverRut = "96790240-4" }), ct);
        Assert.Equal(DteVerdict.Reject, rejected.Verdict);
        Assert.Contains(rejected.Documents[0].Findings, f => f is { Code: "RUT_CHECK_DIGIT", Severity: DteFindingSeverity.Error, Actual: "4", Expected: "3" });

        var inputs = Enumerable.Range(0, 5).Select(i => new DteXmlInput($"f{i}", fixtures.Build(new DteSpec { Folio = 40 + i, Total = i == 3 ? 1 : null })));
        var results = new List<DteValidationResult>();
        await foreach (var result in client.Validation.ValidateManyAsync(inputs, cancellationToken: ct))
        {
            results.Add(result);
        }

        Assert.Equal(["f0", "f1", "f2", "f3", "f4"], results.Select(r => r.CorrelationId));
        Assert.Equal(DteVerdict.Reject, results[3].Verdict);
        Assert.All(results.Where((_, i) => i != 3), r => Assert.Equal(DteVerdict.Accept, r.Verdict));

        using var http = new HttpClient { BaseAddress = server.RestAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var xml = new ByteArrayContent(fixtures.Build(new DteSpec()));
        xml.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var upload = await http.PostAsync("/api/v1/validation/dte:xml", xml, ct);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("VERDICT_ACCEPT", (await upload.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("verdict").GetString());

        using var legacy = await http.PostAsJsonAsync("/api/ai/validate", new
        {
            dte_data = new { tipo_dte = 33, rut_emisor = "76354771-K", rut_receptor = "96790240-3", monto_total = 119000, fecha_emision = "2024-03-01" },
            company_id = 1,
            history = new[] { new { error_code = "X" } },
        }, ct);
        var body = await legacy.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("send", body.GetProperty("recommendation").GetString());

        var health = await http.GetFromJsonAsync<JsonElement>("/health", ct);
        var schemas = health.GetProperty("dependencies").GetProperty("sii-schemas").GetProperty("status").GetString();
        Assert.NotNull(schemas);
    }
}
