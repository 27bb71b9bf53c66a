using System.Net;
using System.Text;
using System.Text.Json;
using AiGrpc.Validation.V1;
using Grpc.Core;

namespace AiGrpc.IntegrationTests.Legacy;

/// <summary>Odoo's JSON on the legacy routes, through the whole pipeline (authentication, limits, transcoding).</summary>
public class OdooJsonDialectAppTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, byte[] body, string contentType = "application/json")
    {
        using var client = app.CreateRestClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        using var response = await client.PostAsync(path, content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task False_text_numbers_and_number_texts_are_read_by_the_fields_type()
    {
        var (status, body) = await PostAsync("/api/ai/validate", Encoding.UTF8.GetBytes("""
            {"dte_data": {"tipo_dte": "33", "folio": 7, "fecha_emision": "2025-10-01", "rut_emisor": "76354771-K", "monto_total": 1190000.0,
                          "monto_neto": 1000000.0, "monto_iva": 190000.0},
             "company_id": "1", "mode": "reception",
             "history": [{"tipo_dte": "33", "folio": "7", "fecha_emision": false, "monto_total": "1190000.0", "error_code": false}]}
            """));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("reject", body.GetProperty("recommendation").GetString());
        Assert.StartsWith("RECEPTION_DUPLICATE_FOLIO", body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsure_suggestions_carry_explicit_nulls()
    {
        var (status, body) = await PostAsync("/api/ai/analytics/suggest_project", Encoding.UTF8.GetBytes("""
            {"partner_id": 7, "partner_vat": false, "partner_name": "Inmobiliaria Central", "company_id": 1,
             "invoice_lines": [{"description": "Arriendo oficina", "quantity": 1, "price": 2500000}], "available_projects": []}
            """));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("project_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("project_name").ValueKind);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x64, 0x74, 0x65, 0x5F, 0x64, 0x61, 0x74, 0x61, 0x22, 0x3A, 0x7B, 0x22, 0x74, 0x69, 0x70, 0x6F, 0x5F, 0x64, 0x74, 0x65, 0x22, 0x3A, 0x22, 0xE7, 0x22, 0x7D, 0x2C, 0x22, 0x6D, 0x6F, 0x64, 0x65, 0x22, 0x3A, 0x22, 0xA4, 0x22, 0x7D })]
    [InlineData(new byte[] { 0x7B, 0x22, 0x63, 0x6F, 0x6D, 0x70, 0x61, 0x6E, 0x79, 0x5F, 0x69, 0x64, 0x22, 0x3A })]
    public async Task Bodies_that_are_not_json_stay_400_never_500(byte[] body)
    {
        var (status, error) = await PostAsync("/api/ai/validate", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((int)StatusCode.InvalidArgument, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_grpc_contract_stays_idiomatic()
    {
        var client = new ValidationService.ValidationServiceClient(app.CreateChannel());
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };
        var request = new ValidateLegacyRequest { CompanyId = 1, Mode = "reception", DteData = Google.Protobuf.WellKnownTypes.Struct.Parser.ParseJson("""{"tipo_dte":"33","folio":9,"monto_total":100}""") };
        request.History.Add(new LegacyHistoryItem { TipoDte = 33, Folio = 9, MontoTotal = 100 });
        var answer = await client.ValidateLegacyAsync(request, headers, cancellationToken: Ct);
        Assert.Equal("reject", answer.Recommendation);
    }
}
