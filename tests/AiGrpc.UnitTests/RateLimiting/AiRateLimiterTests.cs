using System.Net;
using AiGrpc.Server.Caching;
using AiGrpc.Server.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AiGrpc.UnitTests.RateLimiting;

/// <summary>The counters a request is checked against (kept per caller, IP and route until the options change) and
/// the paths that are never limited.</summary>
public sealed class AiRateLimiterTests
{
    private static readonly Method<string, string> Validate = new(MethodType.Unary, "aigrpc.validation.v1.ValidationService", "ValidateDte",
        Marshallers.StringMarshaller, Marshallers.StringMarshaller);

    private static readonly Method<string, string> Match = new(MethodType.Unary, "aigrpc.analytics.v1.AnalyticsService", "MatchInvoice",
        Marshallers.StringMarshaller, Marshallers.StringMarshaller);

    [Fact]
    public async Task Counters_follow_caller_ip_and_route_and_change_with_the_options()
    {
        var first = new RateLimitOptions { PerCaller = new() { PerMinute = 20, PerHour = 100 }, PerIp = new() { PerMinute = 50, PerHour = 0 } };
        first.Routes["aigrpc.validation.v1.ValidationService/ValidateDte"] = new() { PerMinute = 5, PerHour = 0 };
        var monitor = new Monitor(first);
        await using var redis = new RedisConnection(Options.Create(new CacheOptions()));
        var time = new FakeTimeProvider();
        var limiter = new AiRateLimiter(monitor, Options.Create(new CacheOptions()), redis, new LocalWindowStore(time), time, NullLogger<AiRateLimiter>.Instance);
        var ip = IPAddress.Parse("2001:db8::7");

        var match = limiter.Counters("odoo", ip, Match);
        Assert.Equal(["c:odoo:60", "c:odoo:3600", "ip:2001_db8__7:60"], match.Select(c => c.Key));
        Assert.Equal([20, 100, 50], match.Select(c => c.Limit));
        Assert.Same(match, limiter.Counters("odoo", IPAddress.Parse("2001:db8::7"), Match)); // kept, for an equal address too

        var validate = limiter.Counters("odoo", ip, Validate);
        Assert.Equal(["c:odoo:r:aigrpc.validation.v1.ValidationService/ValidateDte:60", "ip:2001_db8__7:r:aigrpc.validation.v1.ValidationService/ValidateDte:60"],
            validate.Select(c => c.Key));
        // No valid key: one counter per IP and route family, with the failed-authentication limits.
        Assert.Equal(["anon:10.0.0.1:unrouted:60", "anon:10.0.0.1:unrouted:3600"], limiter.Counters(null, IPAddress.Parse("10.0.0.1"), null).Select(c => c.Key));
        Assert.Equal(["anon:unknown:aigrpc.validation.v1.ValidationService:60", "anon:unknown:aigrpc.validation.v1.ValidationService:3600"],
            limiter.Counters(null, null, Validate).Select(c => c.Key));

        // Reloaded options: the kept sets are dropped, the new limits apply.
        var second = new RateLimitOptions { PerCaller = new() { PerMinute = 7, PerHour = 0 }, PerIp = new() { PerMinute = 0, PerHour = 0 } };
        second.Callers["odoo"] = new() { PerMinute = 9, PerHour = 0 };
        monitor.CurrentValue = second;
        var reloaded = limiter.Counters("odoo", ip, Match);
        Assert.Equal(["c:odoo:60"], reloaded.Select(c => c.Key));
        Assert.Equal([9], reloaded.Select(c => c.Limit));
    }

    [Fact]
    public async Task Past_ten_thousand_kept_sets_counters_are_still_right_but_no_longer_kept()
    {
        var monitor = new Monitor(new RateLimitOptions());
        await using var redis = new RedisConnection(Options.Create(new CacheOptions()));
        var time = new FakeTimeProvider();
        var limiter = new AiRateLimiter(monitor, Options.Create(new CacheOptions()), redis, new LocalWindowStore(time), time, NullLogger<AiRateLimiter>.Instance);
        for (var i = 0; i < 10_000; i++)
        {
            var ip = new IPAddress(BitConverter.GetBytes(0x0A000000 + i));
            Assert.Same(limiter.Counters("odoo", ip, Match), limiter.Counters("odoo", ip, Match));
        }

        var late = IPAddress.Parse("192.0.2.1");
        var first = limiter.Counters("odoo", late, Match);
        Assert.Equal(["c:odoo:60", "c:odoo:3600", "ip:192.0.2.1:60", "ip:192.0.2.1:3600"], first.Select(c => c.Key));
        Assert.NotSame(first, limiter.Counters("odoo", late, Match));
    }

    [Theory]
    [InlineData("/grpc.health.v1.Health/Check", true)]
    [InlineData("/GRPC.HEALTH.V1.HEALTH/Watch", true)]
    [InlineData("/health", true)]
    [InlineData("/Health", true)]
    [InlineData("/health/anything", false)]
    [InlineData("/metrics/costs", false)] // needs an admin key: limited and audited
    [InlineData("/metricsx", false)]
    [InlineData("/api/v1/HEALTH", true)]
    [InlineData("/metrics", true)]
    [InlineData("/swagger/index.html", true)]
    [InlineData("/aigrpc.health.v1.HealthService/Check", true)]
    [InlineData("/aigrpc.analytics.v1.AnalyticsService/MatchInvoice", false)]
    [InlineData("/api/v1/analytics/match", false)]
    [InlineData("/api/ai/analytics/suggest_project", false)]
    [InlineData("/", false)]
    [InlineData("", false)]
    [InlineData("/healt", false)]
    public void Exempt_paths_are_exact_or_prefixes_when_ending_in_a_slash_compared_without_case(string path, bool exempt) =>
        Assert.Equal(exempt, RateLimitOptions.IsExempt(new RateLimitOptions().ExemptPaths, path));

    [Theory]
    [InlineData("/\u212Aey")] // KELVIN SIGN, whose lower case is 'k'
    [InlineData("/\u0130ey")] // capital I with dot
    [InlineData("/Key/x")]
    [InlineData("/kez")]
    [InlineData("/_key")]
    [InlineData("/K")]
    public void The_quick_rejection_agrees_with_the_full_comparison(string path)
    {
        foreach (var entry in new[] { "/key", "/\u212Aey", "/\u0131ey", "/k", "k", "/key/", "/k/" })
        {
            var expected = entry.EndsWith('/') ? path.StartsWith(entry, StringComparison.OrdinalIgnoreCase) : path.Equals(entry, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(expected, RateLimitOptions.IsExempt([entry], path));
        }
    }

    private sealed class Monitor(RateLimitOptions value) : IOptionsMonitor<RateLimitOptions>
    {
        public RateLimitOptions CurrentValue { get; set; } = value;

        public RateLimitOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<RateLimitOptions, string?> listener) => null;
    }
}
