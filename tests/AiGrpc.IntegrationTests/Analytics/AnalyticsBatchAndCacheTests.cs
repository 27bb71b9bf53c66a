using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.V1;
using Grpc.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AiGrpc.IntegrationTests.Analytics;

/// <summary>The batch stream's promise (one index per stream, results in input order with the caller's ids)
/// and the cache switch, observed on the real engine.</summary>
public class AnalyticsBatchAndCacheTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_builds_one_index_for_the_whole_stream_and_keeps_input_order()
    {
        var counting = new CountingMatcher(new LocalInvoiceMatcher());
        await using var factory = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IInvoiceMatcher>(counting)));
        var channel = Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress, new() { HttpHandler = factory.Server.CreateHandler() });
        var client = new AnalyticsService.AnalyticsServiceClient(channel);

        var template = AnalyticsSamples.Grpc("x");
        var context = new MatchContext();
        context.Projects.Add(template.Projects);
        context.History.Add(template.History);
        string[] texts = ["Materiales según OC 4500112233", "Montaje de paneles fotovoltaicos Pampa Norte María Elena", "mant. salas eléctricas Ministro Hales"];
        int[] expected = [11, 12, 13];

        // Ids deliberately not sorted, so "in input order" cannot pass by sorting.
        var ids = Enumerable.Range(0, 200).Select(i => $"z{(i * 7919) % 1000:D3}-{i}").ToArray();
        using var call = client.MatchInvoices(new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } }, cancellationToken: Ct);
        var writer = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new MatchInvoicesRequest { Context = context }, Ct);
            for (var i = 0; i < ids.Length; i++)
            {
                await call.RequestStream.WriteAsync(new MatchInvoicesRequest { Invoice = new BatchInvoice { Id = ids[i], Invoice = new MatchInvoiceRequest { InvoiceDescription = texts[i % 3] } } }, Ct);
            }

            await call.RequestStream.CompleteAsync();
        }, Ct);

        var results = new List<MatchInvoicesResponse>();
        while (await call.ResponseStream.MoveNext(Ct))
        {
            results.Add(call.ResponseStream.Current);
        }

        await writer;
        Assert.Equal(ids, results.Select(r => r.Id));
        Assert.Equal(ids.Select((_, i) => (int?)expected[i % 3]), results.Select(r => r.Result.MatchedProjectId));
        Assert.Equal(1, counting.Builds);
        Assert.Equal(3, counting.LastProjectCount);
    }

    [Fact]
    public async Task A_context_sent_twice_is_invalid_argument_naming_the_message()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        using var call = client.MatchInvoices(new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } }, cancellationToken: Ct);
        var context = new MatchContext { Projects = { new Project { Id = 1, Name = "A" } } };
        await call.RequestStream.WriteAsync(new MatchInvoicesRequest { Context = context }, Ct);
        await call.RequestStream.WriteAsync(new MatchInvoicesRequest { Context = context }, Ct);
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations, v => v.Field == "requests[1].context");
    }

    [Fact]
    public async Task With_the_cache_switched_off_an_identical_request_is_matched_again()
    {
        await using var factory = app.WithWebHostBuilder(b => b.UseSetting("Analytics:CacheResponses", "false"));
        var channel = Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress, new() { HttpHandler = factory.Server.CreateHandler() });
        var client = new AnalyticsService.AnalyticsServiceClient(channel);
        var request = AnalyticsSamples.Grpc($"Arriendo de grúa horquilla faena Calama {Guid.NewGuid():N}");
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };
        var first = await client.MatchInvoiceAsync(request, headers, cancellationToken: Ct);
        var second = await client.MatchInvoiceAsync(request, headers, cancellationToken: Ct);
        Assert.Equal("local", first.Engine);
        Assert.Equal("local", second.Engine);
        Assert.Equal(first.MatchedProjectId, second.MatchedProjectId);
    }

    [Theory]
    [InlineData("100000", 2)] // default: the second invoice against the same candidates reuses the index
    [InlineData("0", 3)]      // index cache off: every request builds its own
    public async Task Unary_requests_with_the_same_projects_and_history_reuse_one_index(string rows, int expectedBuilds)
    {
        var counting = new CountingMatcher(new LocalInvoiceMatcher());
        await using var factory = app.WithWebHostBuilder(b => b.UseSetting("Analytics:IndexCacheRows", rows).ConfigureTestServices(s => s.AddSingleton<IInvoiceMatcher>(counting)));
        var channel = Grpc.Net.Client.GrpcChannel.ForAddress(factory.Server.BaseAddress, new() { HttpHandler = factory.Server.CreateHandler() });
        var client = new AnalyticsService.AnalyticsServiceClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };

        var byOrder = await client.MatchInvoiceAsync(AnalyticsSamples.Grpc("Materiales", purchaseOrder: "4500112233"), headers, cancellationToken: Ct);
        var bySite = await client.MatchInvoiceAsync(AnalyticsSamples.Grpc("mant. salas eléctricas Ministro Hales"), headers, cancellationToken: Ct);
        var otherProjects = AnalyticsSamples.Grpc("mant. salas eléctricas Ministro Hales");
        otherProjects.Projects.RemoveAt(0);
        var withoutFirst = await client.MatchInvoiceAsync(otherProjects, headers, cancellationToken: Ct);

        // Answers are those of fresh indexes: the cached one is not stale or shared across project lists.
        Assert.Equal(11, byOrder.MatchedProjectId);
        Assert.Equal(13, bySite.MatchedProjectId);
        Assert.Equal(13, withoutFirst.MatchedProjectId);
        Assert.DoesNotContain(withoutFirst.Alternatives, a => a.ProjectId == 11);
        Assert.Equal(expectedBuilds, counting.Builds);
    }

    [Fact]
    public async Task A_cached_index_does_not_skip_the_checks_of_the_invoice()
    {
        var client = new AnalyticsService.AnalyticsServiceClient(app.CreateChannel());
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };
        await client.MatchInvoiceAsync(AnalyticsSamples.Grpc("Materiales"), headers, cancellationToken: Ct);
        var bad = AnalyticsSamples.Grpc("Materiales");
        bad.IssueDate = "2024-02-30";
        var error = await Assert.ThrowsAsync<RpcException>(() => client.MatchInvoiceAsync(bad, headers, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations, v => v.Field == "issue_date");
    }
}
