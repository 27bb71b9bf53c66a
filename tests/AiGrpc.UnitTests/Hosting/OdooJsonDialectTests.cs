using System.Text.Json.Nodes;
using AiGrpc.Analytics.V1;
using AiGrpc.Server.Hosting;
using AiGrpc.Validation.V1;
using Google.Protobuf;

namespace AiGrpc.UnitTests.Hosting;

/// <summary>Odoo's JSON read as proto JSON: what is rewritten, and what is left for transcoding to refuse.</summary>
public class OdooJsonDialectTests
{
    private static readonly JsonParser Strict = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private static JsonObject Normalized(string json, Google.Protobuf.Reflection.MessageDescriptor message)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        OdooJsonDialect.Normalize(node, message);
        return node;
    }

    [Fact]
    public void False_on_a_non_bool_field_is_dropped_numbers_and_text_are_swapped_by_the_declared_type()
    {
        var json = Normalized("""
            {"partner_id": "7", "partner_vat": false, "partner_name": 12345, "company_id": 1.0, "invoice_lines": [{"description": false, "quantity": "2", "price": "1500.5"}],
             "available_projects": [{"id": "13", "name": "X", "code": false, "partner_name": false, "state": "active", "budget": false}], "historical_purchases": false, "unknown": false}
            """, SuggestProjectRequest.Descriptor);
        Assert.False(json.ContainsKey("partner_vat"));
        Assert.Equal("12345", json["partner_name"]!.GetValue<string>());
        Assert.Equal(7, json["partner_id"]!.GetValue<long>());
        Assert.Equal(1, json["company_id"]!.GetValue<long>());
        Assert.False(json.ContainsKey("historical_purchases"));
        Assert.True(json.ContainsKey("unknown"), "keys the message does not have are left to transcoding, which ignores them");
        var line = json["invoice_lines"]![0]!.AsObject();
        Assert.False(line.ContainsKey("description"));
        Assert.Equal(1500.5m, line["price"]!.GetValue<decimal>());
        var project = json["available_projects"]![0]!.AsObject();
        Assert.Equal(13, project["id"]!.GetValue<long>());
        Assert.False(project.ContainsKey("code"));
        Assert.False(project.ContainsKey("budget"));

        // The result is proto JSON the strict parser reads.
        var request = Strict.Parse<SuggestProjectRequest>(json.ToJsonString());
        Assert.Equal(7, request.PartnerId);
        Assert.Equal(13, request.AvailableProjects[0].Id);
        Assert.Equal(2, request.InvoiceLines[0].Quantity);
    }

    [Fact]
    public void Reception_history_items_are_read_with_string_types_and_null_dates()
    {
        var json = Normalized("""
            {"dte_data": {"tipo_dte": "33", "monto_total": false}, "company_id": "1", "mode": "reception",
             "history": [{"tipo_dte": "33", "folio": "1234", "fecha_emision": null, "monto_total": "1190000.0", "monto_neto": false}]}
            """, ValidateLegacyRequest.Descriptor);
        var request = Strict.Parse<ValidateLegacyRequest>(json.ToJsonString());
        Assert.Equal(1, request.CompanyId);
        var item = Assert.Single(request.History);
        Assert.Equal(33, item.TipoDte);
        Assert.Equal(1234, item.Folio);
        Assert.Equal(1190000d, item.MontoTotal);
        Assert.False(item.HasMontoNeto);

        // dte_data is free-form (google.protobuf.Struct): kept as sent, false included, for the reader to judge.
        Assert.False(json["dte_data"]!["monto_total"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"company_id": "uno"}""", "company_id")]
    [InlineData("""{"company_id": 1.5}""", "company_id")]
    [InlineData("""{"company_id": true}""", "company_id")]
    [InlineData("""{"mode": {"a": 1}}""", "mode")]
    [InlineData("""{"history": [{"folio": 1}, {"monto_total": "mucho"}]}""", "history[1].monto_total")]
    [InlineData("""{"history": {"folio": 1}}""", "history")]
    public void Values_that_cannot_mean_the_field_are_left_unchanged_and_named(string body, string field)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        var violations = OdooJsonDialect.Normalize(node, ValidateLegacyRequest.Descriptor);
        Assert.Equal(JsonNode.Parse(body)!.ToJsonString(), node.ToJsonString());
        Assert.ThrowsAny<InvalidProtocolBufferException>(() => Strict.Parse<ValidateLegacyRequest>(node.ToJsonString()));
        Assert.Equal(field, Assert.Single(violations).Field);
    }

    [Fact]
    public void Values_that_proto_json_reads_are_not_reported()
    {
        var node = JsonNode.Parse("""{"company_id": null, "mode": null, "history": [{"monto_total": "NaN", "folio": 2e3, "tipo_dte": "33"}], "dte_data": {"x": [true]}}""")!.AsObject();
        Assert.Empty(OdooJsonDialect.Normalize(node, ValidateLegacyRequest.Descriptor));
        Strict.Parse<ValidateLegacyRequest>(node.ToJsonString());
    }

    [Fact]
    public void Unset_wrapper_fields_of_an_answer_are_written_as_null()
    {
        var answer = JsonNode.Parse("""{"confidence": 40, "reasoning": "…"}""")!.AsObject();
        OdooJsonDialect.AddNulls(answer, SuggestProjectResponse.Descriptor);
        Assert.True(answer.ContainsKey("project_id") && answer["project_id"] is null);
        Assert.True(answer.ContainsKey("project_name") && answer["project_name"] is null);

        var assigned = JsonNode.Parse("""{"project_id": 13, "project_name": "Ministro Hales", "confidence": 90, "reasoning": "…"}""")!.AsObject();
        OdooJsonDialect.AddNulls(assigned, SuggestProjectResponse.Descriptor);
        Assert.Equal(13, assigned["project_id"]!.GetValue<int>());

        var legacy = JsonNode.Parse("""{"confidence": 100, "warnings": [], "errors": [], "recommendation": "send"}""")!.AsObject();
        OdooJsonDialect.AddNulls(legacy, ValidateLegacyResponse.Descriptor);
        Assert.Equal(4, legacy.Count);
    }
}
