using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.V1;
using AiGrpc.Client;
using AiGrpc.Server.Analytics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.Analytics;

/// <summary><c>context_id</c>: projects and history sent once, named by id afterwards, only by the key that sent them.</summary>
public class AnalyticsContextTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string OtherCaller = "other";
    private const string OtherKey = "other-integration-key-9876543210";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata Key(string key = AppFactory.ApiKey) => new() { { "authorization", "Bearer " + key } };

    [Fact]
    public async Task The_odoo_suggestion_builds_its_index_once_for_the_same_projects_and_purchases()
    {
        var counting = new CountingMatcher(new LocalInvoiceMatcher());
        await using var factory = app.WithWebHostBuilder(b => b.UseSetting("Analytics:CacheResponses", "false").ConfigureTestServices(s => s.AddSingleton<IInvoiceMatcher>(counting)));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
        object Body(string line, string vat = "76.234.567-6") => new
        {
            partner_vat = vat,
            partner_name = "Ferretería Norte",
            invoice_lines = new[] { new { description = line, quantity = 1, price = 1000 } },
            available_projects = new[] { new { id = 13, name = "Obra Norte", code = "ON" }, new { id = 14, name = "Oficina Central", code = "OC" } },
            historical_purchases = new[] { new { date = "2025-01-10", project_name = "Obra Norte" } },
            company_id = 1,
        };

        foreach (var line in new[] { "cemento obra norte", "fierro obra norte", "papel oficina" })
        {
            using var response = await client.PostAsJsonAsync("/api/ai/analytics/suggest_project", Body(line), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, counting.Builds);
        using var otherPartner = await client.PostAsJsonAsync("/api/ai/analytics/suggest_project", Body("cemento", vat: "96790240-3"), Ct);
        Assert.Equal(2, counting.Builds); // the purchases are that partner's history: another context
    }

    [Fact]
    public async Task A_rest_match_repeating_its_callers_context_is_served_by_id_with_the_same_answer()
    {
        var counting = new CountingMatcher(new LocalInvoiceMatcher());
        await using var factory = app.WithWebHostBuilder(b => b.UseSetting("Analytics:CacheResponses", "false").UseSetting($"Auth:ApiKeys:{OtherCaller}", OtherKey)
            .ConfigureTestServices(s => s.AddSingleton<IInvoiceMatcher>(counting)));
        var reuse = factory.Services.GetRequiredService<RestContextReuse>();
        var history = Enumerable.Repeat(new { supplier_rut = AnalyticsSamples.SupplierRut, description = "transporte de personal turnos", project_id = 13 }, 4).ToArray();
        string Body(string description, object? projects = null) => JsonSerializer.Serialize(new
        {
            invoice_description = description,
            supplier_rut = AnalyticsSamples.SupplierRut,
            issue_date = "2024-09-10",
            projects = projects ?? AnalyticsSamples.RestProjects,
            history,
        });
        async Task<JsonElement> Post(string body, string key = AppFactory.ApiKey)
        {
            using var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/v1/analytics/match", content, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        }

        var first = await Post(Body("Materiales, OC 4500112233"));
        var second = await Post(Body("mant. salas eléctricas Ministro Hales"));
        Assert.Equal(1, reuse.Reused); // the second call named the context by id
        Assert.Equal(11, first.GetProperty("matched_project_id").GetInt32());
        Assert.Equal(13, second.GetProperty("matched_project_id").GetInt32());
        Assert.Equal(first.GetProperty("context_id").GetString(), second.GetProperty("context_id").GetString());

        // The same projects written differently, or by another key: read in full, same answer.
        var reordered = Enumerable.Reverse((object[])AnalyticsSamples.RestProjects).ToArray();
        var other = await Post(Body("mant. salas eléctricas Ministro Hales", reordered));
        var otherKey = await Post(Body("mant. salas eléctricas Ministro Hales"), OtherKey);
        Assert.Equal(1, reuse.Reused);
        Assert.Equal(second.GetProperty("reasoning").GetString(), other.GetProperty("reasoning").GetString());
        Assert.Equal(second.GetProperty("reasoning").GetString(), otherKey.GetProperty("reasoning").GetString());
        Assert.Equal(2, counting.Builds); // the reordered list is another context; the other key reused the first index
    }

    [Fact]
    public async Task A_context_id_answers_as_the_full_request_would_without_building_the_index_again()
    {
        var counting = new CountingMatcher(new LocalInvoiceMatcher());
        await using var factory = app.WithWebHostBuilder(b => b.UseSetting("Analytics:CacheResponses", "false").ConfigureTestServices(s => s.AddSingleton<IInvoiceMatcher>(counting)));
        var client = new AnalyticsService.AnalyticsServiceClient(Channel(factory));

        var first = await client.MatchInvoiceAsync(AnalyticsSamples.Grpc("Materiales", purchaseOrder: "4500112233"), Key(), cancellationToken: Ct);
        Assert.Matches("^[0-9a-f]{32}$", first.ContextId);

        var byId = new MatchInvoiceRequest { InvoiceDescription = "mant. salas eléctricas Ministro Hales", ContextId = first.ContextId };
        var named = await client.MatchInvoiceAsync(byId, Key(), cancellationToken: Ct);
        var full = AnalyticsSamples.Grpc("mant. salas eléctricas Ministro Hales");
        full.SupplierRut = full.SupplierName = full.IssueDate = string.Empty;
        full.Amount = null;
        var sent = await client.MatchInvoiceAsync(full, Key(), cancellationToken: Ct);

        Assert.Equal(11, first.MatchedProjectId);
        Assert.Equal(13, named.MatchedProjectId);
        Assert.Equal(sent.MatchedProjectId, named.MatchedProjectId);
        Assert.Equal(sent.Confidence, named.Confidence);
        Assert.Equal(sent.Reasoning, named.Reasoning);
        Assert.Equal(first.ContextId, named.ContextId);
        Assert.Equal(first.ContextId, sent.ContextId);
        Assert.Equal(1, counting.Builds);
    }

    [Fact]
    public async Task A_context_id_the_server_does_not_hold_is_failed_precondition_with_reason_context_not_found()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var request = new MatchInvoiceRequest { InvoiceDescription = "Materiales", ContextId = "0123456789abcdef0123456789abcdef" };
        var error = await Assert.ThrowsAsync<RpcException>(() => client.MatchInvoiceAsync(request, Key(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>();
        Assert.Equal(MatchContexts.ContextNotFoundReason, info.Reason);
        Assert.Equal(request.ContextId, info.Metadata["context_id"]);

        // REST (the versioned route): a 4xx a caller can act on, never a 500.
        using var rest = app.CreateRestClient();
        using var response = await rest.PostAsJsonAsync("/api/v1/analytics/invoices:match", new { invoice_description = "Materiales", context_id = request.ContextId }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("CONTEXT_NOT_FOUND", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_key_that_sent_the_projects_and_history_may_name_them()
    {
        await using var factory = app.WithWebHostBuilder(b => b.UseSetting($"Auth:ApiKeys:{OtherCaller}", OtherKey));
        var client = new AnalyticsService.AnalyticsServiceClient(Channel(factory));
        var owner = await client.MatchInvoiceAsync(AnalyticsSamples.Grpc($"Materiales {Guid.NewGuid():N}"), Key(), cancellationToken: Ct);
        var byId = new MatchInvoiceRequest { InvoiceDescription = "mant. salas eléctricas Ministro Hales", ContextId = owner.ContextId };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.MatchInvoiceAsync(byId, Key(OtherKey), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);

        // Once the other key has sent the same content itself, it may name it too.
        var sent = await client.MatchInvoiceAsync(AnalyticsSamples.Grpc("Materiales"), Key(OtherKey), cancellationToken: Ct);
        Assert.Equal(owner.ContextId, sent.ContextId);
        Assert.Equal(13, (await client.MatchInvoiceAsync(byId, Key(OtherKey), cancellationToken: Ct)).MatchedProjectId);
    }

    [Fact]
    public async Task A_context_id_with_projects_is_invalid_argument_naming_context_id()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var request = AnalyticsSamples.Grpc("Materiales");
        request.ContextId = "0123456789abcdef0123456789abcdef";
        var error = await Assert.ThrowsAsync<RpcException>(() => client.MatchInvoiceAsync(request, Key(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations, v => v.Field == "context_id");
    }

    [Theory]
    [InlineData("not-a-context")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    public async Task A_context_id_that_is_not_one_is_invalid_argument_naming_context_id(string contextId)
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var request = new MatchInvoiceRequest { InvoiceDescription = "Materiales", ContextId = contextId };
        var error = await Assert.ThrowsAsync<RpcException>(() => client.MatchInvoiceAsync(request, Key(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations, v => v.Field == "context_id");
    }

    [Fact]
    public async Task The_legacy_rest_route_returns_the_context_id_in_snake_case()
    {
        using var rest = app.CreateRestClient();
        using var response = await rest.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "Materiales OC 4500112233", projects = AnalyticsSamples.RestProjects }, Ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var contextId = json.RootElement.GetProperty("context_id").GetString();
        Assert.Matches("^[0-9a-f]{32}$", contextId);

        using var named = await rest.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "mant. salas eléctricas Ministro Hales", context_id = contextId }, Ct);
        named.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(await named.Content.ReadAsStringAsync(Ct));
        Assert.Equal(13, answer.RootElement.GetProperty("matched_project_id").GetInt32());
    }

    [Fact]
    public async Task The_client_sends_a_context_once_and_again_by_itself_when_a_server_does_not_hold_it()
    {
        var seen = new RecordingInterceptor();
        await using var first = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(seen).Configure<GrpcServiceOptions>(o => o.Interceptors.Add<RecordingInterceptor>())));
        var request = AnalyticsSamples.Grpc("x");
        var context = new MatchingContext(
            request.Projects.Select(p => new ProjectInput(p.Id, p.Name, p.Code, Client: p.Client, Location: p.Location, Keywords: [.. p.Keywords])),
            request.History.Select(h => new PastInvoiceInput(h.ProjectId, h.SupplierRut, h.SupplierName, h.Description)));

        using (var client = Typed(first))
        {
            var a = await client.Analytics.MatchInvoiceAsync(new InvoiceInput("Materiales", PurchaseOrder: "4500112233"), context, Ct);
            var b = await client.Analytics.MatchInvoiceAsync(new InvoiceInput("mant. salas eléctricas Ministro Hales"), context, Ct);
            Assert.Equal(11, a.MatchedProjectId);
            Assert.Equal(13, b.MatchedProjectId);
        }

        Assert.NotNull(context.ContextId);
        Assert.Equal([3, 0], seen.Requests.Select(r => r.Projects.Count));
        Assert.Equal([string.Empty, context.ContextId], seen.Requests.Select(r => r.ContextId));

        // A server that never saw the context (a restart, another replica): one refused call, then the content again.
        var elsewhere = new RecordingInterceptor();
        await using var second = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(elsewhere).Configure<GrpcServiceOptions>(o => o.Interceptors.Add<RecordingInterceptor>())));
        using (var client = Typed(second))
        {
            var c = await client.Analytics.MatchInvoiceAsync(new InvoiceInput("Montaje de paneles fotovoltaicos Pampa Norte María Elena"), context, Ct);
            Assert.Equal(12, c.MatchedProjectId);
        }

        Assert.Equal([0, 3], elsewhere.Requests.Select(r => r.Projects.Count));
    }

    private static Grpc.Net.Client.GrpcChannel Channel(WebApplicationFactory<Program> factory) =>
        Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress, new() { HttpHandler = factory.Server.CreateHandler() });

    private static AiGrpcClient Typed(WebApplicationFactory<Program> factory) =>
        AiGrpcClientFactory.Create(new AiGrpcClientOptions { Address = factory.Server.BaseAddress, ApiKey = AppFactory.ApiKey }, factory.Server.CreateHandler());

    /// <summary>The MatchInvoice requests as the server received them.</summary>
    private sealed class RecordingInterceptor : Interceptor
    {
        private readonly List<MatchInvoiceRequest> _requests = [];

        public IReadOnlyList<MatchInvoiceRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            if (request is MatchInvoiceRequest match)
            {
                lock (_requests)
                {
                    _requests.Add(match.Clone());
                }
            }

            return continuation(request, context);
        }
    }
}
