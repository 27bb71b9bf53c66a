using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AiGrpc.Analytics.V1;
using Google.Rpc;
using Grpc.Core;

namespace AiGrpc.IntegrationTests.Analytics;

public class AnalyticsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The old service's documented acceptance test, as its README states it.
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("invalid", HttpStatusCode.Unauthorized)]
    [InlineData(AppFactory.ApiKey, HttpStatusCode.OK)]
    public async Task Documented_acceptance_test(string? key, HttpStatusCode expected)
    {
        using var client = app.CreateRestClient(key);
        using var response = await client.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "Test", projects = Array.Empty<object>() }, Ct);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(!body.TryGetProperty("matched_project_id", out var id) || id.ValueKind == JsonValueKind.Null);
            Assert.Equal("local", body.GetProperty("engine").GetString());
        }
    }

    [Fact]
    public async Task Legacy_route_speaks_snake_case_both_ways_and_matches_by_purchase_order()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/v1/analytics/match", new
        {
            invoice_description = "Suministro de materiales según orden de compra",
            purchase_order = "4500112233",
            supplier_rut = "77.777.777-7",
            issue_date = "2024-10-01",
            amount = 2_500_000,
            projects = AnalyticsSamples.RestProjects,
        }, Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(raw);
        var body = json.RootElement;
        Assert.Equal(11, body.GetProperty("matched_project_id").GetInt32());
        Assert.InRange(body.GetProperty("confidence").GetDouble(), 0.5, 1.0);
        Assert.Contains("4500112233", body.GetProperty("reasoning").GetString(), StringComparison.Ordinal);
        Assert.All(body.GetProperty("alternatives").EnumerateArray(), a => Assert.True(a.TryGetProperty("project_id", out _)));
        Assert.All(PropertyNames(body), name => Assert.Matches("^[a-z][a-z0-9_]*$", name));
        Assert.DoesNotContain("matchedProjectId", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("projectId", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rest_answer_goes_out_whole_with_its_length()
    {
        // Held and written once (HeldRestResponses): a Content-Length instead of a chunked body.
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "cemento", projects = AnalyticsSamples.RestProjects }, Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(bytes).RootElement.ValueKind);
    }

    [Fact]
    public async Task Versioned_route_serves_the_same_rpc()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/v1/analytics/invoices:match", new { invoice_description = "mant. preventiva salas elec. faena Calama", projects = AnalyticsSamples.RestProjects }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(13, body.GetProperty("matched_project_id").GetInt32());
    }

    [Fact]
    public async Task A_wrong_rut_check_digit_is_a_warning_not_an_error()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "Servicio", supplier_rut = "76.234.567-1", projects = AnalyticsSamples.RestProjects }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("dígito verificador", body.GetProperty("reasoning").GetString(), StringComparison.Ordinal);
        Assert.Single(body.GetProperty("warnings").EnumerateArray());
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"invoice_description":"x","projects":[{"id":1,"name":"A"},{"id":1,"name":"B"}]}""", "projects[1].id" },
        { """{"invoice_description":"x","projects":[{"id":0,"name":"A"}]}""", "projects[0].id" },
        { """{"invoice_description":"x","projects":[{"id":3}]}""", "projects[0].name" },
        { """{"invoice_description":"x","issue_date":"25/11/2026"}""", "issue_date" },
        { """{"invoice_description":"x","projects":[{"id":1,"name":"A","start_date":"2024-13-01"}]}""", "projects[0].start_date" },
        { """{"invoice_description":"x","amount":-5}""", "amount" },
        { """{"invoice_description":"x","supplier_rut":"abc-1"}""", "supplier_rut" },
        { """{"invoice_description":"x","history":[{"supplier_rut":"76-ABC","description":"y"}]}""", "history[0].supplier_rut" },
        { """{}""", "invoice_description" },
        { "{\"invoice_description\":\"" + new string('a', 10_001) + "\"}", "invoice_description" },
        { """{"invoice_description":"x","lines":[{"description":"y","unit_price":-1}]}""", "lines[0].unit_price" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_400_naming_the_field(string json, string field)
    {
        using var client = app.CreateRestClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/analytics/match", content, Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, raw);
        var body = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(3, body.GetProperty("code").GetInt32());
        var violations = body.GetProperty("details").EnumerateArray().Single().GetProperty("fieldViolations").EnumerateArray();
        Assert.Contains(violations, v => v.GetProperty("field").GetString() == field);
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_over_grpc_is_invalid_argument_with_the_field_in_bad_request_details(string json, string field)
    {
        // The same JSON, parsed as the proto message (proto field names), sent over gRPC.
        var request = Google.Protobuf.JsonParser.Default.Parse<MatchInvoiceRequest>(json);
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var error = await Assert.ThrowsAsync<RpcException>(() => client.MatchInvoiceAsync(request, Headers(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, v => v.Field == field);
    }

    [Fact]
    public async Task More_than_5000_projects_is_400()
    {
        var projects = Enumerable.Range(1, 5001).Select(i => new { id = i, name = "P" + i }).ToArray();
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "x", projects }, Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 5000 projects", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_400_with_a_message()
    {
        using var client = app.CreateRestClient();
        using var content = new StringContent("{\"invoice_description\": ", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/analytics/match", content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Grpc_bad_input_is_invalid_argument_with_bad_request_details()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var request = AnalyticsSamples.Grpc("x");
        request.Projects.Add(new Project { Id = 11, Name = "again" });
        var error = await Assert.ThrowsAsync<RpcException>(() => client.MatchInvoiceAsync(request, Headers(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var details = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.Contains(details.FieldViolations, v => v.Field == "projects[3].id" && v.Description.Contains("duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grpc_supplier_history_decides_a_generic_invoice()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var response = await client.MatchInvoiceAsync(AnalyticsSamples.Grpc("Servicio de transporte de personal mes de septiembre"), Headers(), cancellationToken: Ct);
        Assert.Equal(13, response.MatchedProjectId);
        Assert.Contains("proveedor", response.Reasoning, StringComparison.Ordinal);
        Assert.Equal(2, response.Alternatives.Count);
    }

    [Fact]
    public async Task An_identical_request_is_answered_from_the_cache()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var request = AnalyticsSamples.Grpc($"Arriendo de grúa horquilla faena Calama {Guid.NewGuid():N}");
        var first = await client.MatchInvoiceAsync(request, Headers(), cancellationToken: Ct);
        var second = await client.MatchInvoiceAsync(request, Headers(), cancellationToken: Ct);
        Assert.Equal("local", first.Engine);
        Assert.Equal("cache", second.Engine);
        Assert.Equal(first.MatchedProjectId, second.MatchedProjectId);
        Assert.Equal(first.Confidence, second.Confidence);
    }

    [Fact]
    public async Task Legacy_suggest_project_keeps_the_odoo_shapes()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/ai/analytics/suggest_project", new
        {
            partner_id = 7,
            partner_vat = AnalyticsSamples.SupplierRut,
            partner_name = "Transportes Hualpén SpA",
            invoice_lines = new[] { new { description = "Transporte de personal turnos Ministro Hales noviembre", quantity = 1, price = 1_200_000 } },
            company_id = 1,
            available_projects = new object[]
            {
                new { id = 11, name = "Ampliación Subestación Alto Jahuel 220 kV", code = "PRJ-2024-001", partner_name = "Transelec", state = "active", budget = 0 },
                new { id = 13, name = "Mantención eléctrica Mina Ministro Hales", code = "PRJ-2023-030", partner_name = "Codelco", state = "active", budget = 0 },
                new { id = 14, name = "Proyecto cerrado", code = "OLD", partner_name = "X", state = "closed", budget = 0 },
            },
            historical_purchases = Enumerable.Repeat(new { date = "2024-08-01", project_name = "Mantención eléctrica Mina Ministro Hales", amount = 1_100_000 }, 5).ToArray(),
        }, Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(raw).RootElement;
        Assert.True(body.TryGetProperty("project_id", out var projectId) && projectId.ValueKind == JsonValueKind.Number, raw);
        Assert.Equal(13, projectId.GetInt32());
        Assert.Equal("Mantención eléctrica Mina Ministro Hales", body.GetProperty("project_name").GetString());
        var confidence = body.GetProperty("confidence").GetInt32();
        Assert.InRange(confidence, 70, 100);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("reasoning").GetString()));
    }

    [Fact]
    public async Task Legacy_suggest_project_answers_null_below_70()
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsJsonAsync("/api/ai/analytics/suggest_project", new
        {
            partner_vat = "96.797.979-1",
            partner_name = "Proveedor nuevo",
            invoice_lines = new[] { new { description = "Servicios varios", quantity = 1, price = 10_000 } },
            available_projects = new object[]
            {
                new { id = 11, name = "Ampliación Subestación Alto Jahuel 220 kV", state = "active", budget = 0 },
                new { id = 13, name = "Mantención eléctrica Mina Ministro Hales", state = "active", budget = 0 },
            },
        }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(!body.TryGetProperty("project_id", out var id) || id.ValueKind == JsonValueKind.Null);
        Assert.InRange(body.GetProperty("confidence").GetInt32(), 0, 69);
    }

    [Fact]
    public async Task Batch_stream_indexes_once_and_answers_in_order_with_ids()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        using var call = client.MatchInvoices(Headers(), cancellationToken: Ct);
        var template = AnalyticsSamples.Grpc("x");
        var context = new MatchContext();
        context.Projects.Add(template.Projects);
        context.History.Add(template.History);
        await call.RequestStream.WriteAsync(new MatchInvoicesRequest { Context = context }, Ct);
        var invoices = new[]
        {
            ("a", "Materiales según OC 4500112233"),
            ("b", "Montaje de paneles fotovoltaicos Pampa Norte María Elena"),
            ("c", "mant. salas eléctricas Ministro Hales"),
        };
        foreach (var (id, text) in invoices)
        {
            await call.RequestStream.WriteAsync(new MatchInvoicesRequest { Invoice = new BatchInvoice { Id = id, Invoice = new MatchInvoiceRequest { InvoiceDescription = text } } }, Ct);
        }

        await call.RequestStream.CompleteAsync();
        var results = new List<MatchInvoicesResponse>();
        while (await call.ResponseStream.MoveNext(Ct))
        {
            results.Add(call.ResponseStream.Current);
        }

        Assert.Equal(["a", "b", "c"], results.Select(r => r.Id));
        Assert.Equal([11, 12, 13], results.Select(r => r.Result.MatchedProjectId));
        Assert.All(results, r => Assert.Equal("local", r.Result.Engine));
    }

    [Fact]
    public async Task Batch_stream_without_context_first_is_invalid_argument()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        using var call = client.MatchInvoices(Headers(), cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new MatchInvoicesRequest { Invoice = new BatchInvoice { Id = "a", Invoice = new MatchInvoiceRequest { InvoiceDescription = "x" } } }, Ct);
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("context", error.Status.Detail, StringComparison.Ordinal);
    }

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };

    private static Metadata Headers() => new() { { "authorization", "Bearer " + AppFactory.ApiKey } };
}
