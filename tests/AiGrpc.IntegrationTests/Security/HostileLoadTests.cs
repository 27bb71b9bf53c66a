using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Server.Audit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.IntegrationTests.Security;

/// <summary>What an attacker without a key can make the service do: limited refusals, a bounded audit trail, a terse
/// health answer, 413 for oversized bodies, per-caller cache keys, and the same history limit on every route.</summary>
public sealed class HostileLoadTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object LegacyBody = AppFactory.LegacyValidateBody;

    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) => app.With(settings);

    [Fact]
    public async Task Failed_authentication_is_limited_per_ip_and_route_family_and_its_audit_lines_are_aggregated()
    {
        var file = Path.Combine(Path.GetTempPath(), $"aigrpc-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var host = With(("RateLimits:UnauthenticatedPerIp:PerMinute", "3"), ("Audit:Sink", "file"), ("Audit:FilePath", file)))
            {
                using var attacker = host.CreateClient();
                attacker.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-key-at-all-0000000000");
                var statuses = new List<int>();
                for (var i = 0; i < 40; i++)
                {
                    using var response = await attacker.PostAsJsonAsync("/api/ai/validate" + (i % 2 == 0 ? string.Empty : "?" + new string('x', 8000)), LegacyBody, Ct);
                    statuses.Add((int)response.StatusCode);
                }

                Assert.Equal([401, 401, 401], statuses.Take(3));
                Assert.All(statuses.Skip(3), s => Assert.Equal(429, s));

                // Another route family has its own counter; a valid key is never held back by the attacker's failures.
                using var other = await attacker.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "x" }, Ct);
                Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
                using var caller = host.CreateClient();
                caller.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
                using var ok = await caller.PostAsJsonAsync("/api/ai/validate", LegacyBody, Ct);
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            // Per IP, status and family: the first refusal written, the rest summed into one line at shutdown.
            var lines = await File.ReadAllLinesAsync(file, Ct);
            Assert.True(AuditChain.Verify(lines, allowRestarts: false).Valid);
            var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.InRange(events.Count, 5, 7);
            Assert.Equal(40, events.Where(e => e.GetProperty("rpc").GetString()?.Contains("Validation", StringComparison.Ordinal) == true && e.GetProperty("caller").ValueKind == JsonValueKind.Null)
                .Sum(e => e.TryGetProperty("repeats", out var r) ? r.GetInt64() : 1)); // a summary line stands for its repeats
            Assert.All(lines, l => Assert.True(l.Length < 1024, "an audit line holds a truncated path only"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task With_a_key_the_audit_file_is_an_hmac_chain_that_only_the_key_verifies()
    {
        const string hmacKey = "integration-audit-hmac-key-0123456789abcdef";
        var file = Path.Combine(Path.GetTempPath(), $"aigrpc-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var host = With(("Audit:Sink", "file"), ("Audit:FilePath", file), ("Audit:HmacKey", hmacKey), ("Audit:CheckpointSeconds", "1")))
            {
                using var client = host.CreateClient();
                client.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
                for (var i = 0; i < 3; i++)
                {
                    using var ok = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, Ct);
                }
            }

            var lines = await File.ReadAllLinesAsync(file, Ct);
            Assert.Equal(3, lines.Length);
            Assert.All(lines, l => Assert.Contains(AuditChain.KeyedMarker, l, StringComparison.Ordinal));
            Assert.True(AuditChain.Verify(lines, allowRestarts: false, System.Text.Encoding.UTF8.GetBytes(hmacKey)).Valid);
            Assert.False(AuditChain.Verify(lines, allowRestarts: false).Valid);
            Assert.DoesNotContain(hmacKey, string.Join('\n', lines), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Anonymous_health_shows_status_only_and_probes_dependencies_once_per_cache_period()
    {
        var probes = 0;
        await using var host = With(("Health:CacheSeconds", "60")).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddHealthChecks()
            .AddCheck("fake-store", () =>
            {
                Interlocked.Increment(ref probes);
                return HealthCheckResult.Degraded("fake-store at 10.1.2.3:6379 did not answer (TimeoutException)");
            }, tags: [AiGrpc.Server.Health.DependencyHealth.DependencyTag])));
        using var anonymous = host.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            using var response = await anonymous.GetAsync("/health", Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("10.1.2.3", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.Equal("degraded", JsonDocument.Parse(text).RootElement.GetProperty("dependencies").GetProperty("fake-store").GetProperty("status").GetString());
        }

        using var admin = host.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
        var detailed = await admin.GetFromJsonAsync<JsonElement>("/health", Ct);
        Assert.Contains("10.1.2.3", detailed.GetProperty("dependencies").GetProperty("fake-store").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, probes);
    }

    [Fact]
    public async Task An_oversized_rest_body_is_413_resource_exhausted()
    {
        await using var host = With(("Server:MaxRequestBytes", "4096"));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
        using var content = new StringContent("{\"invoice_description\":\"" + new string('a', 5000) + "\"}", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/analytics/match", content, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((int)Grpc.Core.StatusCode.ResourceExhausted, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_legacy_suggestion_refuses_more_history_than_the_typed_route()
    {
        using var client = app.CreateRestClient();
        var rows = Enumerable.Range(0, 50_001).Select(_ => new { date = "2024-01-01", project_name = "Obra" }).ToArray();
        using var response = await client.PostAsJsonAsync("/api/ai/analytics/suggest_project", new
        {
            invoice_data = new { partner_name = "Ferreteria", amount_total = 1000, lines = new[] { new { description = "cemento" } } },
            projects = new[] { new { id = 1, name = "Obra" } },
            historical_purchases = rows,
            company_id = 1,
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 50000 history rows", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    /// <summary>The in-memory server has no peer address: a test header stands for the TCP peer (a proxy or a client).</summary>
    private sealed class PeerFromHeader : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(inner => context =>
            {
                if (context.Request.Headers.TryGetValue("X-Test-Peer", out var peer))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }

                return inner(context);
            });
            next(app);
        };
    }

    private WebApplicationFactory<Program> Behind(params (string Key, string Value)[] settings) =>
        With(settings).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, PeerFromHeader>()));

    private static async Task<int> CallAsync(HttpClient client, string peer, string? forwardedFor, string path = "/api/ai/validate", string? key = "wrong-key-000000000000000")
    {
        using var request = new HttpRequestMessage(path.StartsWith("/metrics", StringComparison.Ordinal) ? HttpMethod.Get : HttpMethod.Post, path);
        request.Headers.Add("X-Test-Peer", peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        if (request.Method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(LegacyBody);
        }

        using var response = await client.SendAsync(request, Ct);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Forwarded_clients_get_their_own_limits_behind_a_trusted_proxy_and_spoofing_from_elsewhere_is_ignored()
    {
        await using var host = Behind(("Network:TrustedProxies:0", "10.0.0.0/24"), ("RateLimits:UnauthenticatedPerIp:PerMinute", "2"));
        using var client = host.CreateClient();
        var behindProxy = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            behindProxy.Add(await CallAsync(client, "10.0.0.5", "203.0.113.7"));
        }

        Assert.Equal([401, 401, 429], behindProxy);
        Assert.Equal(401, await CallAsync(client, "10.0.0.5", "203.0.113.8")); // another client behind the same proxy

        // Not a trusted proxy: its X-Forwarded-For is ignored, so rotating it buys nothing.
        var spoofed = new List<int>();
        for (var i = 1; i <= 3; i++)
        {
            spoofed.Add(await CallAsync(client, "192.168.1.1", $"198.51.100.{i}"));
        }

        Assert.Equal([401, 401, 429], spoofed);
    }

    [Fact]
    public async Task Admin_routes_follow_the_allow_and_deny_lists()
    {
        await using var host = Behind(("Network:AdminAllow:0", "10.20.0.0/16"), ("Network:AdminDeny:0", "10.20.9.0/24"));
        using var client = host.CreateClient();
        Assert.Equal(200, await CallAsync(client, "10.20.1.1", null, "/metrics/costs", AppFactory.ApiKey));
        Assert.Equal(403, await CallAsync(client, "10.20.9.1", null, "/metrics/costs", AppFactory.ApiKey));
        Assert.Equal(403, await CallAsync(client, "10.30.0.1", null, "/metrics/costs", AppFactory.ApiKey));
        Assert.Equal(200, await CallAsync(client, "10.30.0.1", null, "/api/ai/validate", AppFactory.ApiKey)); // other routes are not admin routes
    }

    [Fact]
    public async Task An_expensive_route_charges_its_callers_server_time_and_other_callers_keep_theirs()
    {
        await using var host = With(("RateLimits:Work:Methods:0", "aigrpc.validation.v1.ValidationService/ValidateLegacy"), ("RateLimits:Work:MsPerMinute", "1"));
        using var first = host.CreateClient();
        first.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
        using var ok = await first.PostAsJsonAsync("/api/ai/validate", LegacyBody, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var over = await first.PostAsJsonAsync("/api/ai/validate", LegacyBody, Ct); // the first call spent more than 1 ms
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.NotNull(over.Headers.RetryAfter);
        Assert.Contains("share of server time", await over.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var cheap = await first.PostAsJsonAsync("/api/v1/analytics/match", new { invoice_description = "cemento", projects = new[] { new { id = 1, name = "Obra" } } }, Ct);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, cheap.StatusCode); // other routes are not charged
    }

    [Fact]
    public async Task One_caller_runs_at_most_its_share_of_expensive_calls_at_once()
    {
        await using var host = With(("RateLimits:Work:MaxConcurrentPerCaller", "1"), ("RateLimits:Work:QueueTimeoutMs", "0"));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(host.Server.BaseAddress, new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = host.Server.CreateHandler() });
        var client = new AiGrpc.Validation.V1.ValidationService.ValidationServiceClient(channel);
        var headers = new Grpc.Core.Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };
        using var open = client.ValidateDteStream(headers, cancellationToken: Ct); // held open: it holds the caller's turn
        await Task.Delay(200, Ct);
        using var second = client.ValidateDteStream(headers, cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await second.ResponseStream.MoveNext(Ct));
        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, refused.StatusCode);
        await open.RequestStream.CompleteAsync();
        Assert.False(await open.ResponseStream.MoveNext(Ct));
    }

    [Theory]
    [InlineData("/api/v1/analytics/match", """{"invoice_description":"cemento","projects":null}""", "a list")]
    [InlineData("/api/v1/validation/dte", """{"document":{"document_type":33,"lines":null}}""", "a list")]
    public async Task Error_texts_name_what_was_expected_not_internal_types(string route, string json, string expected)
    {
        using var client = app.CreateRestClient();
        using var response = await client.PostAsync(route, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("Google.Protobuf", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AiGrpc.", text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(text).RootElement.GetProperty("code").GetInt32());
    }
}
