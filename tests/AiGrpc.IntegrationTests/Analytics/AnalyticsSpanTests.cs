using System.Collections.Concurrent;
using System.Diagnostics;
using AiGrpc.Analytics.V1;
using Grpc.Core;

namespace AiGrpc.IntegrationTests.Analytics;

/// <summary>The orchestration's span: who answered, how sure, how many projects; never the invoice's text or RUTs.</summary>
public class AnalyticsSpanTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task One_span_per_match_with_engine_band_and_project_count_and_no_raw_text()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Server.Observability.Telemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.OperationName == "analytics.match_invoice") { spans.Enqueue(a); } },
        };
        ActivitySource.AddActivityListener(listener);

        // Seven projects: a count no other test uses, so spans of parallel tests are told apart.
        var marker = $"Servicio {Guid.NewGuid():N}";
        var request = AnalyticsSamples.Grpc(marker, purchaseOrder: "4500112233");
        for (var i = 0; i < 4; i++)
        {
            request.Projects.Add(new Project { Id = 100 + i, Name = "Proyecto de relleno " + i });
        }

        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };
        var first = await client.MatchInvoiceAsync(request, headers, cancellationToken: TestContext.Current.CancellationToken);
        var second = await client.MatchInvoiceAsync(request, headers, cancellationToken: TestContext.Current.CancellationToken);

        var mine = spans.Where(s => Equals(s.GetTagItem("aigrpc.projects.count"), 7)).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal([first.Engine, second.Engine], mine.Select(s => (string?)s.GetTagItem("aigrpc.match.engine")));
        Assert.Equal(["local", "cache"], mine.Select(s => (string?)s.GetTagItem("aigrpc.match.engine")));
        Assert.All(mine, s => Assert.Equal("high", s.GetTagItem("aigrpc.match.confidence_band")));
        Assert.All(mine, s => Assert.Equal("matched", s.GetTagItem("aigrpc.match.outcome")));
        var values = mine.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? string.Empty).ToList();
        Assert.DoesNotContain(values, v => v.Contains(marker, StringComparison.Ordinal) || v.Contains("76.234.567", StringComparison.Ordinal) || v.Contains("4500112233", StringComparison.Ordinal));
    }
}
