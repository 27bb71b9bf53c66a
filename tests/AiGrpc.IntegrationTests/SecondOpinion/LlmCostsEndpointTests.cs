using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Server.Analytics.SecondOpinion;
using AiGrpc.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.SecondOpinion;

/// <summary>
/// <c>GET /metrics/costs</c> with the real API-key authentication, on a host that maps just this route
/// (Program.cs wires it once the lead adds <c>app.MapLlmCosts()</c>).
/// </summary>
public sealed class LlmCostsEndpointTests : IAsyncLifetime
{
    private const string ValidationOnlyKey = "validation-only-test-key-0123456789";

    private WebApplication? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[$"Auth:ApiKeys:{AppFactory.Caller}"] = AppFactory.ApiKey;
        builder.Configuration["Auth:Callers:checker:Keys:0"] = ValidationOnlyKey;
        builder.Configuration["Auth:Callers:checker:Scopes:0"] = "validation";
        builder.Services.AddApiKeyAuthentication();
        builder.Services.AddSecondOpinion();
        _app = builder.Build();
        _app.UseApiKeyAuthentication();
        _app.UseAccessRequirements();
        _app.MapLlmCosts();
        await _app.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private HttpClient Client(string? key = AppFactory.ApiKey)
    {
        var client = _app!.GetTestClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return client;
    }

    [Fact]
    public async Task Requires_an_api_key()
    {
        using var client = Client(key: null);
        using var response = await client.GetAsync("/metrics/costs?period=today", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Requires_the_admin_scope()
    {
        using var client = Client(ValidationOnlyKey);
        using var response = await client.GetAsync("/metrics/costs?period=today", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Reports_tokens_and_cost_per_operation_and_model_in_snake_case()
    {
        var ledger = _app!.Services.GetRequiredService<LlmCostLedger>();
        ledger.Record("match_invoice", "claude-sonnet-4-5", 1000, 50, 0.00375);
        ledger.Record("match_invoice", "claude-sonnet-4-5", 2000, 100, 0.0075);
        using var client = Client();

        foreach (var period in new[] { "today", "this_month", "all_time" })
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/metrics/costs?period={period}", Ct);
            Assert.Equal(period, body.GetProperty("period").GetString());
            Assert.Equal(2, body.GetProperty("total_calls").GetInt64());
            Assert.Equal(3000, body.GetProperty("total_input_tokens").GetInt64());
            Assert.Equal(150, body.GetProperty("total_output_tokens").GetInt64());
            Assert.Equal(0.01125, body.GetProperty("total_cost_usd").GetDouble(), 9);
            var line = Assert.Single(body.GetProperty("by_operation_model").EnumerateArray());
            Assert.Equal("match_invoice", line.GetProperty("operation").GetString());
            Assert.Equal("claude-sonnet-4-5", line.GetProperty("model").GetString());
        }

        var yesterday = await client.GetFromJsonAsync<JsonElement>("/metrics/costs?period=yesterday", Ct);
        Assert.Equal(0, yesterday.GetProperty("total_calls").GetInt64());
        var byDefault = await client.GetFromJsonAsync<JsonElement>("/metrics/costs", Ct);
        Assert.Equal("today", byDefault.GetProperty("period").GetString());
    }

    [Fact]
    public async Task An_unknown_period_is_400_naming_the_choices()
    {
        using var client = Client();
        using var response = await client.GetAsync("/metrics/costs?period=last_week", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(3, body.GetProperty("code").GetInt32());
        Assert.Contains("this_month", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
