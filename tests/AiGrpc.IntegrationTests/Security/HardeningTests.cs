using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AiGrpc.Server.Audit;
using AiGrpc.Validation.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.Security;

/// <summary>Rate limits, scopes, key reload and the audit trail through the in-process host.</summary>
public sealed class HardeningTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly object LegacyBody = AppFactory.LegacyValidateBody;

    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) => app.With(settings);

    [Fact]
    public async Task Rest_over_the_caller_limit_is_429_with_retry_after_and_retry_info_while_health_stays_exempt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = With(("RateLimits:PerCaller:PerMinute", "3"));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.InRange(refused!.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal((int)StatusCode.ResourceExhausted, body.GetProperty("code").GetInt32());
        Assert.Equal("type.googleapis.com/google.rpc.RetryInfo", body.GetProperty("details")[0].GetProperty("@type").GetString());

        for (var i = 0; i < 10; i++)
        {
            using var live = await client.GetAsync("/live", ct);
            using var health = await client.GetAsync("/api/v1/health", ct);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task Grpc_over_the_limit_is_resource_exhausted_with_retry_info_and_a_per_route_limit_has_its_own_counter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = With(("RateLimits:PerCaller:PerMinute", "2"),
            ("RateLimits:Routes:aigrpc.validation.v1.ValidationService/ValidateDte:PerMinute", "5"));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(host.Server.BaseAddress, new() { HttpHandler = host.Server.CreateHandler() });
        var client = new ValidationService.ValidationServiceClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };
        var legacy = new ValidateLegacyRequest { CompanyId = 1, DteData = Google.Protobuf.WellKnownTypes.Struct.Parser.ParseJson("""{"tipo_dte":33}""") };

        Assert.NotEqual(StatusCode.ResourceExhausted, await StatusOf(() => client.ValidateLegacyAsync(legacy, headers, cancellationToken: ct).ResponseAsync));
        Assert.NotEqual(StatusCode.ResourceExhausted, await StatusOf(() => client.ValidateLegacyAsync(legacy, headers, cancellationToken: ct).ResponseAsync));
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ValidateLegacyAsync(legacy, headers, cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var retry = Grpc.Core.RpcExceptionExtensions.GetRpcStatus(refused)!.GetDetail<Google.Rpc.RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan().TotalSeconds, 1, 60);

        // ValidateDte has its own route limit (5) and counters: the exhausted default does not apply.
        var routed = 0;
        for (var i = 0; i < 7; i++)
        {
            if (await StatusOf(() => client.ValidateDteAsync(new ValidateDteRequest(), headers, cancellationToken: ct).ResponseAsync) != StatusCode.ResourceExhausted)
            {
                routed++; // answered (e.g. INVALID_ARGUMENT for the empty document), not limited
            }
        }

        Assert.Equal(5, routed);
    }

    [Fact]
    public async Task Per_ip_limit_applies_across_callers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = With(("RateLimits:PerIp:PerMinute", "3"), ("Auth:ApiKeys:second", "second-key-0123456789"))
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, LoopbackAddress>()));
        using var first = host.CreateClient();
        first.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
        using var second = host.CreateClient();
        second.DefaultRequestHeaders.Authorization = new("Bearer", "second-key-0123456789");

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { first, second, first, second })
        {
            using var response = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_key_without_the_scope_is_refused_on_both_protocols_and_rotated_keys_both_work()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = With(
            ("Auth:Callers:erp:Keys:0", Server.Security.ApiKeyStore.Hash("erp-old-key-0123456789")),
            ("Auth:Callers:erp:Keys:1", "erp-new-key-0123456789"),
            ("Auth:Callers:erp:Scopes:0", "validation"));
        foreach (var key in new[] { "erp-old-key-0123456789", "erp-new-key-0123456789" })
        {
            using var client = host.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            using var allowed = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            using var denied = await client.PostAsJsonAsync("/api/v1/analytics/match", new { }, ct);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            var body = await denied.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal((int)StatusCode.PermissionDenied, body.GetProperty("code").GetInt32());
        }

        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(host.Server.BaseAddress, new() { HttpHandler = host.Server.CreateHandler() });
        var analytics = new AiGrpc.Analytics.V1.AnalyticsService.AnalyticsServiceClient(channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => analytics.MatchInvoiceAsync(new(),
            new Metadata { { "authorization", "Bearer erp-new-key-0123456789" } }, cancellationToken: ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Keys_reload_on_configuration_change_without_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = new ReloadableSource();
        await using var host = app.WithWebHostBuilder(b => b.ConfigureAppConfiguration(c => c.Add(source)));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "rotated-in-key-0123456789");

        using (var before = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        }

        source.Provider.Change("Auth:Callers:rotated:Keys:0", "rotated-in-key-0123456789");
        using (var after = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        source.Provider.Change("Auth:Callers:rotated:Scopes:0", "analytics");
        using (var scoped = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, scoped.StatusCode);
        }
    }

    [Fact]
    public async Task Audit_file_has_one_chained_line_per_call_without_keys_or_contents()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"aigrpc-audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var host = With(("Audit:Sink", "file"), ("Audit:FilePath", file)))
            {
                using var client = host.CreateClient();
                client.DefaultRequestHeaders.Authorization = new("Bearer", AppFactory.ApiKey);
                for (var i = 0; i < 3; i++)
                {
                    using var ok = await client.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct);
                }

                using var anonymous = host.CreateClient();
                using var refused = await anonymous.PostAsJsonAsync("/api/ai/validate", LegacyBody, ct);
                using var live = await client.GetAsync("/live", ct);
            }

            var lines = await File.ReadAllLinesAsync(file, ct);
            Assert.Equal(4, lines.Length);
            Assert.True(AuditChain.Verify(lines, allowRestarts: false).Valid);
            var first = JsonDocument.Parse(lines[0]).RootElement;
            Assert.Equal(AppFactory.Caller, first.GetProperty("caller").GetString());
            Assert.Equal("POST /api/ai/validate", first.GetProperty("method").GetString());
            Assert.Equal(200, first.GetProperty("status").GetInt32());
            Assert.Equal(401, JsonDocument.Parse(lines[3]).RootElement.GetProperty("status").GetInt32());
            var all = string.Join('\n', lines);
            Assert.DoesNotContain(AppFactory.ApiKey, all, StringComparison.Ordinal);
            Assert.DoesNotContain("96790240", all, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_validation_stream_observes_the_callers_deadline()
    {
        var ct = TestContext.Current.CancellationToken;
        using var channel = app.CreateChannel();
        var client = new ValidationService.ValidationServiceClient(channel);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var call = client.ValidateDteStream(new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } },
            deadline: DateTime.UtcNow.AddMilliseconds(300), cancellationToken: ct);

        // The caller sends nothing and never completes: the server must give up at the deadline, not wait forever.
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(ct));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    private static async Task<StatusCode> StatusOf<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    // TestServer leaves RemoteIpAddress null; real connections always have one.
    private sealed class LoopbackAddress : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class ReloadableSource : IConfigurationSource
    {
        public ReloadableProvider Provider { get; } = new();

        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
    }

    private sealed class ReloadableProvider : ConfigurationProvider
    {
        public void Change(string key, string value)
        {
            Data[key] = value;
            OnReload();
        }
    }
}
