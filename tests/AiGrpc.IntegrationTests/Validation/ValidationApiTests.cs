using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;

namespace AiGrpc.IntegrationTests.Validation;

/// <summary>The app with the test SII key registered for IDK 999, as an operator would with Validation__CafKeys__999.</summary>
public sealed class ValidationAppFactory : AppFactory
{
    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting($"Validation:CafKeys:{DteFixtures.TestIdk}", DteFixtures.Shared.SiiPublicKeyPem);
    }
}

public class ValidationApiTests(ValidationAppFactory app) : IClassFixture<ValidationAppFactory>
{
    private static readonly DteFixtures F = DteFixtures.Shared;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rest_json_with_xml_bytes_validates_a_signed_dte()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/v1/validation/dte", new { xml_bytes = Convert.ToBase64String(F.Build(new DteSpec())) }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("VERDICT_ACCEPT", body.GetProperty("verdict").GetString());
        var document = body.GetProperty("documents")[0];
        Assert.Equal(33, document.GetProperty("documentType").GetInt32());
        Assert.Equal(42, document.GetProperty("folio").GetInt64());
        Assert.Equal(DteFixtures.SignerRut, document.GetProperty("signature").GetProperty("signerRut").GetString());
        Assert.Contains("ted", document.GetProperty("checksRun").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Rest_json_with_a_wrong_iva_is_review_with_expected_and_actual()
    {
        using var client = app.CreateRestClient();
        var xml = Encoding.Latin1.GetString(F.Build(new DteSpec { Vat = 64126, Total = 401626 }));
        using var response = await client.PostAsJsonAsync("/api/v1/validation/dte", new { xml }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("VERDICT_REVIEW", body.GetProperty("verdict").GetString());
        var finding = body.GetProperty("documents")[0].GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "TOTALS_VAT_MISMATCH");
        Assert.Equal("SEVERITY_WARNING", finding.GetProperty("severity").GetString());
        Assert.Equal("64125", finding.GetProperty("expected").GetString());
        Assert.Equal("64126", finding.GetProperty("actual").GetString());
    }

    [Fact]
    public async Task Raw_xml_upload_is_validated_from_the_bytes_as_received()
    {
        using var client = app.CreateRestClient();
        using var content = new ByteArrayContent(F.Build(new DteSpec()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var response = await client.PostAsync("/api/v1/validation/dte:xml", content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("VERDICT_ACCEPT", body.GetProperty("verdict").GetString());
        Assert.Equal("DTE", body.GetProperty("root").GetString());
    }

    [Theory]
    [InlineData("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>", "XML_DTD_FORBIDDEN")]
    [InlineData("<DTE><Documento>", "XML_MALFORMED")]
    public async Task Hostile_xml_is_a_reject_verdict_never_a_500(string xml, string code)
    {
        using var client = app.CreateRestClient();
        using var content = new StringContent(xml, Encoding.UTF8, "application/xml");
        using var response = await client.PostAsync("/api/v1/validation/dte:xml", content, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("VERDICT_REJECT", body.GetProperty("verdict").GetString());
        Assert.Equal(code, body.GetProperty("findings")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Structured_document_is_validated_without_ted_or_signature()
    {
        using var client = app.CreateRestClient();
        var request = new
        {
            document = new
            {
                document_type = 33,
                folio = 7,
                issue_date = "2024-03-01",
                issuer = new { rut = "76354771-K", name = "Emisor" },
                receiver = new { rut = "96790240-4", name = "Receptor" },
                lines = new[] { new { name = "Servicio", quantity = 2, price = 50000, amount = 100000 } },
                totals = new { net = 100000, vat_rate = 19, vat = 19000, total = 119000 },
            },
        };
        using var response = await client.PostAsJsonAsync("/api/v1/validation/dte", request, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("VERDICT_REJECT", body.GetProperty("verdict").GetString());
        var document = body.GetProperty("documents")[0];
        Assert.Equal(["RUT_CHECK_DIGIT"], document.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        Assert.Contains("signature", document.GetProperty("checksSkipped").EnumerateArray().Select(s => s.GetProperty("check").GetString()));
    }

    [Fact]
    public async Task Empty_request_is_400_with_a_field_violation()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/v1/validation/dte", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("input", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_requires_an_api_key()
    {
        using var client = app.CreateRestClient(apiKey: null);
        using var response = await client.PostAsJsonAsync("/api/ai/validate", new { company_id = 1 }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static object LegacyRequest(object? fechaEmision, object[]? history = null) => new
    {
        dte_data = new Dictionary<string, object?>
        {
            ["tipo_dte"] = 33,
            ["rut_emisor"] = "76354771-K",
            ["rut_receptor"] = "96790240-3",
            ["monto_total"] = 119000,
            ["monto_neto"] = 100000,
            ["iva"] = 19000,
            ["fecha_emision"] = fechaEmision,
            ["glosa_extra"] = "campos extra se ignoran",
        },
        company_id = 1,
        history = history ?? [],
    };

    [Fact]
    public async Task Legacy_route_answers_the_old_shape_in_snake_case()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/ai/validate",
            LegacyRequest("2024-03-01", [new { error_code = "RUT_CHECK_DIGIT" }, new { message = "sin código" }, new { }]), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["confidence", "warnings", "errors", "recommendation"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("send", body.GetProperty("recommendation").GetString());
        Assert.InRange(body.GetProperty("confidence").GetInt32(), 85, 100);
    }

    [Theory]
    [InlineData("20240301")]
    [InlineData("{\"year\":2024}")]
    [InlineData("[2024,3,1]")]
    [InlineData("true")]
    public async Task Legacy_dates_in_odd_json_types_are_400_not_500(string rawDate)
    {
        using var client = app.CreateRestClient();
        var json = JsonSerializer.Serialize(LegacyRequest("PLACEHOLDER")).Replace("\"PLACEHOLDER\"", rawDate, StringComparison.Ordinal);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/ai/validate", content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("fecha_emision", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Legacy_bad_check_digit_is_reject_with_errors()
    {
        using var client = app.CreateRestClient();
        var json = JsonSerializer.Serialize(LegacyRequest("2024-03-01")).Replace("76354771-K", "76354771-1", StringComparison.Ordinal);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/ai/validate", content, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("reject", body.GetProperty("recommendation").GetString());
        Assert.Contains(body.GetProperty("errors").EnumerateArray(), e => e.GetString()!.StartsWith("RUT_CHECK_DIGIT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grpc_unary_and_bidirectional_stream()
    {
        using var channel = app.CreateChannel();
        var client = new ValidationService.ValidationServiceClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };

        var unary = await client.ValidateDteAsync(new ValidateDteRequest { XmlBytes = ByteString.CopyFrom(F.Build(new DteSpec())) }, headers, cancellationToken: Ct);
        Assert.Equal(Verdict.Accept, unary.Verdict);

        using var call = client.ValidateDteStream(headers, cancellationToken: Ct);
        var inputs = new[] { new DteSpec(), new DteSpec { Folio = 500 }, new DteSpec { Folio = 43 } };
        for (var i = 0; i < inputs.Length; i++)
        {
            await call.RequestStream.WriteAsync(new ValidateDteStreamRequest { CorrelationId = $"doc-{i}", XmlBytes = ByteString.CopyFrom(F.Build(inputs[i])) }, Ct);
        }

        await call.RequestStream.CompleteAsync();
        var results = new List<ValidateDteStreamResponse>();
        while (await call.ResponseStream.MoveNext(Ct))
        {
            results.Add(call.ResponseStream.Current);
        }

        Assert.Equal(["doc-0", "doc-1", "doc-2"], results.Select(r => r.CorrelationId));
        Assert.Equal([Verdict.Accept, Verdict.Reject, Verdict.Accept], results.Select(r => r.Verdict));
        Assert.Contains(results[1].Documents[0].Findings, f => f.Code == "CAF_FOLIO_OUT_OF_RANGE");
    }

    [Fact]
    public async Task Grpc_without_input_is_invalid_argument()
    {
        using var channel = app.CreateChannel();
        var client = new ValidationService.ValidationServiceClient(channel);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.ValidateDteAsync(new ValidateDteRequest(),
            new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }
}

public class ValidationClientTests(ValidationAppFactory app) : IClassFixture<ValidationAppFactory>
{
    [Fact]
    public async Task Typed_client_validates_xml_and_structured_documents()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = app.CreateTypedClient();
        var xml = await client.Validation.ValidateXmlAsync(DteFixtures.Shared.Build(new DteSpec()), ct);
        Assert.Equal(AiGrpc.Client.DteVerdict.Accept, xml.Verdict);
        Assert.Equal("as-received", xml.Documents[0].Signature?.Variant);

        var note = new AiGrpc.Client.DteDocumentInput(61, 9, new DateOnly(2024, 3, 10), "76354771-K", "Emisor", "96790240-3", "Receptor",
            [new("Descuento por pronto pago", 10000, 1, 10000)], new(11900, Net: 10000, VatRate: 19, Vat: 1900),
            [new("33", "0", new DateOnly(2024, 3, 1), "3")]);
        var result = await client.Validation.ValidateDocumentAsync(note, ct);
        Assert.Equal(AiGrpc.Client.DteVerdict.Reject, result.Verdict);
        var finding = Assert.Single(result.Documents[0].Findings);
        Assert.Equal(("REFERENCE_FOLIO_ZERO", AiGrpc.Client.DteFindingSeverity.Error), (finding.Code, finding.Severity));

        var fixedNote = note with { References = [new("33", "41", new DateOnly(2024, 3, 1), "3")] };
        Assert.Equal(AiGrpc.Client.DteVerdict.Accept, (await client.Validation.ValidateDocumentAsync(fixedNote, ct)).Verdict);
    }
}
