using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Server.Analytics.SecondOpinion;
using AiGrpc.TestKit;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.SecondOpinion;

public class AnthropicHealthAppTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> AnthropicHealthAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/health", Ct)).GetProperty("dependencies").GetProperty("anthropic");

    [Fact]
    public async Task Not_configured_without_a_key()
    {
        // AddSecondOpinion is idempotent: valid whether or not Program.cs registers it already.
        await using var plain = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSecondOpinion()));
        using var client = plain.CreateClient();
        Assert.IsType<DisabledSecondOpinion>(plain.Services.GetRequiredService<ISecondOpinion>());
        Assert.Equal("not_configured", (await AnthropicHealthAsync(client)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Configured_from_settings_asks_the_llm_and_degrades_while_the_breaker_is_open()
    {
        await using var fake = await FakeAnthropicServer.StartAsync();
        fake.DefaultReply = FakeAnthropicReply.Error(503);
        await using var configured = app.WithWebHostBuilder(b => b
            .UseSetting("Llm:Anthropic:ApiKey", "sk-ant-integration-0123456789")
            .UseSetting("Llm:Anthropic:BaseUrl", fake.BaseUrl)
            .UseSetting("Llm:MaxRetries", "0")
            .UseSetting("Llm:CircuitMinimumThroughput", "2")
            .ConfigureTestServices(s => s.AddSecondOpinion()));
        using var client = configured.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey); // the description is for admin keys
        var llm = Assert.IsType<AnthropicSecondOpinion>(configured.Services.GetRequiredService<ISecondOpinion>());
        var health = await AnthropicHealthAsync(client);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.DoesNotContain("sk-ant", health.GetProperty("description").GetString(), StringComparison.Ordinal);

        var request = new SecondOpinionRequest("Arriendo grúa horquilla", null, null, null, [new SecondOpinionCandidate(1, "P1", "Planta", null, 0.4)], []);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(SecondOpinionOutcome.Unavailable, (await llm.AskAsync(request, Ct)).Outcome);
        }

        Assert.Equal("degraded", (await AnthropicHealthAsync(client)).GetProperty("status").GetString());
        Assert.Equal(2, fake.RequestCount);
    }
}
