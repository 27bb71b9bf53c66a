using AiGrpc.Client;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiGrpc.IntegrationTests;

/// <summary>The app in-process with one known API key. gRPC goes through the test server's handler.</summary>
public class AppFactory : WebApplicationFactory<Program>
{
    /// <summary>Caller name of <see cref="ApiKey"/>.</summary>
    public const string Caller = "integration";

    /// <summary>A valid key.</summary>
    public const string ApiKey = "integration-test-key-0123456789";

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting($"Auth:ApiKeys:{Caller}", ApiKey);
        builder.UseSetting("Auth:AllowAnonymous", "false");
        // Explicit and high, so that no test reaches a limit by accident; rate-limit tests set low ones.
        builder.UseSetting("RateLimits:PerCaller:PerMinute", "1000000");
        builder.UseSetting("RateLimits:PerCaller:PerHour", "1000000");
        builder.UseSetting("RateLimits:PerIp:PerMinute", "1000000");
        builder.UseSetting("RateLimits:PerIp:PerHour", "1000000");
        builder.UseSetting("Audit:Sink", "logger");
        builder.UseSetting("Health:CacheSeconds", "0"); // tests change dependencies and look at once
    }

    /// <summary>An HttpClient for REST, with or without the key.</summary>
    public HttpClient CreateRestClient(string? apiKey = ApiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A raw gRPC channel over the test server (no credentials).</summary>
    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    /// <summary>The real client library over the test server.</summary>
    public AiGrpcClient CreateTypedClient(string? apiKey = ApiKey) =>
        AiGrpcClientFactory.Create(new AiGrpcClientOptions { Address = Server.BaseAddress, ApiKey = apiKey }, Server.CreateHandler());
}
