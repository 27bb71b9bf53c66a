using System.Globalization;
using System.Text.Json;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Errors;
using AiGrpc.Server.Security;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.RateLimiting;

/// <summary>Rate limits per caller and per client IP (see <see cref="RateLimitOptions"/>).</summary>
public static class RateLimitingExtensions
{
    /// <summary>Registers options (validated on start), the limiter and its stores.</summary>
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Callers.Values.Concat(o.Routes.Values).All(l => l.PerMinute >= 0 && l.PerHour >= 0), "Rate limits must be >= 0.")
            .ValidateOnStart();
        services.AddRedisConnection();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LocalWindowStore>();
        services.AddSingleton<AiRateLimiter>();
        return services;
    }

    /// <summary>Adds the limiter to the pipeline; place it after authentication so the caller is known.</summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) => app.UseMiddleware<RateLimitMiddleware>();

    /// <summary>Adds the work limits (<see cref="WorkLimitOptions"/>); place it after the access requirements.</summary>
    public static IApplicationBuilder UseWorkLimits(this IApplicationBuilder app) => app.UseMiddleware<WorkLimitMiddleware>();
}

/// <summary>Refuses requests over the limit: 429 + Retry-After (REST), RESOURCE_EXHAUSTED + RetryInfo (gRPC).</summary>
public sealed class RateLimitMiddleware(RequestDelegate next, AiRateLimiter limiter, IOptionsMonitor<RateLimitOptions> options)
{
    /// <summary>Checks and counts the request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.CurrentValue;
        var endpoint = context.GetEndpoint();
        var path = context.Request.Path.Value ?? string.Empty;
        if (!o.Enabled || endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || RateLimitOptions.IsExempt(o.ExemptPaths, path))
        {
            await next(context);
            return;
        }

        var counters = limiter.Counters(ApiKeyAuthenticationHandler.CallerOf(context.User), context.Connection.RemoteIpAddress,
            endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method);
        var decision = await limiter.AcquireAsync(counters, context.RequestAborted);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        await RefuseAsync(context, decision);
    }

    private static Task RefuseAsync(HttpContext context, RateDecision decision)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        var scope = decision.Counter!.StartsWith("ip:", StringComparison.Ordinal) ? "client IP" : "caller";
        var message = string.Create(CultureInfo.InvariantCulture, $"Rate limit exceeded for this {scope}; retry after {seconds} s.");
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Request.IsGrpc())
        {
            var status = new Google.Rpc.Status { Code = (int)StatusCode.ResourceExhausted, Message = message };
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.RetryInfo
            {
                RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)),
            }));
            return GrpcTrailersOnly.WriteAsync(context, StatusCode.ResourceExhausted, message, status);
        }

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("code", (int)StatusCode.ResourceExhausted);
            json.WriteString("message", message);
            json.WriteStartArray("details");
            json.WriteStartObject();
            json.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
            json.WriteString("retryDelay", string.Create(CultureInfo.InvariantCulture, $"{seconds}s"));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).AsTask();
    }
}
