using AiGrpc.Analytics.Matching;
using AiGrpc.Server.Analytics.SecondOpinion;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary>Wires the Analytics capability: options, local engine, response cache, LLM second opinion, gRPC service and REST routes.</summary>
public static class AnalyticsExtensions
{
    /// <summary>Registers options (section <c>Analytics</c>), the local engine, the orchestration, the response cache and the second opinion.</summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddOptions<AnalyticsOptions>()
            .BindConfiguration(AnalyticsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IInvoiceMatcher>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value;
            return new LocalInvoiceMatcher(MatchWeights.Default, new AbstentionPolicy(options.MinConfidence, options.MinMargin));
        });
        services.AddHostedService<KnowledgeLoader>();
        services.AddSingleton<AnalyticsRequestReader>();
        services.AddSingleton<MatchIndexCache>();
        services.AddSingleton<RestContextReuse>();
        services.AddSingleton<MatchContexts>();
        services.AddSingleton<InvoiceMatchingService>();
        services.AddOdooJsonRoute("/api/ai/analytics/suggest_project", AiGrpc.Analytics.V1.SuggestProjectRequest.Descriptor, AiGrpc.Analytics.V1.SuggestProjectResponse.Descriptor);
        services.AddResponseCache();
        services.AddSecondOpinion();
        return services;
    }

    /// <summary>REST MatchInvoice calls repeating a context their caller sent before are served as by <c>context_id</c>
    /// (<see cref="RestContextReuse"/>): after authentication, before the transcoder.</summary>
    public static WebApplication UseRestContextReuse(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var reuse = app.Services.GetRequiredService<RestContextReuse>();
        app.Use((http, next) => reuse.InvokeAsync(http, next));
        return app;
    }

    /// <summary>Maps <c>aigrpc.analytics.v1.AnalyticsService</c> (gRPC and its transcoded REST routes) and the LLM cost report.</summary>
    public static WebApplication MapAnalytics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcService<AnalyticsGrpcService>();
        app.MapLlmCosts();
        return app;
    }
}
