using AiGrpc.Server.Analytics.SecondOpinion;
using Microsoft.Extensions.Time.Testing;

namespace AiGrpc.UnitTests.SecondOpinion;

public class LlmCostLedgerTests
{
    [Fact]
    public void Reports_by_period_operation_and_model()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero));
        var ledger = new LlmCostLedger(clock);
        ledger.Record("match_invoice", "claude-sonnet-4-5", 1000, 100, 0.0045);   // Oct 31
        clock.Advance(TimeSpan.FromHours(2));                                       // Nov 1, 01:00
        ledger.Record("match_invoice", "claude-sonnet-4-5", 2000, 50, 0.00675);
        ledger.Record("match_invoice", "claude-haiku-4-5", 500, 10, 0.0005);
        clock.Advance(TimeSpan.FromDays(1));                                        // Nov 2
        ledger.Record("suggest_project", "claude-sonnet-4-5", 100, 10, 0.00045);

        var today = ledger.Report("today");
        Assert.Equal(new DateOnly(2026, 11, 2), today.From);
        var line = Assert.Single(today.Lines);
        Assert.Equal(("suggest_project", 1L, 100L), (line.Operation, line.Calls, line.InputTokens));

        var yesterday = ledger.Report("yesterday");
        Assert.Equal(2, yesterday.Lines.Count);
        Assert.Equal("claude-sonnet-4-5", yesterday.Lines[0].Model); // highest cost first
        Assert.Equal(0.00725, yesterday.CostUsd, 9);
        Assert.Equal(2, yesterday.Calls);

        var month = ledger.Report("this_month");
        Assert.Equal(new DateOnly(2026, 11, 1), month.From);
        Assert.Equal(3, month.Calls);
        Assert.Equal(2600, month.InputTokens);

        var all = ledger.Report("all_time");
        Assert.Null(all.From);
        Assert.Equal(4, all.Calls);
        Assert.Equal(3600, all.InputTokens);
        Assert.Equal(170, all.OutputTokens);
        var sonnetMatches = all.Lines.Single(l => l.Operation == "match_invoice" && l.Model == "claude-sonnet-4-5");
        Assert.Equal((2L, 3000L, 150L), (sonnetMatches.Calls, sonnetMatches.InputTokens, sonnetMatches.OutputTokens));
        Assert.Equal(0.01125, sonnetMatches.CostUsd, 9);
    }

    [Fact]
    public void Empty_and_unknown_periods()
    {
        var ledger = new LlmCostLedger(new FakeTimeProvider());
        Assert.Empty(ledger.Report("today").Lines);
        Assert.Equal(0, ledger.Report("all_time").CostUsd);
        Assert.True(LlmCostLedger.IsPeriod("this_month"));
        Assert.False(LlmCostLedger.IsPeriod("last_week"));
        Assert.Throws<ArgumentException>(() => ledger.Report("last_week"));
    }

    [Fact]
    public async Task Concurrent_records_are_all_counted()
    {
        var ledger = new LlmCostLedger(new FakeTimeProvider());
        await Parallel.ForAsync(0, 1000, TestContext.Current.CancellationToken, (_, _) =>
        {
            ledger.Record("match_invoice", "m", 10, 1, 0.001);
            return ValueTask.CompletedTask;
        });
        var report = ledger.Report("today");
        Assert.Equal((1000L, 10_000L, 1000L), (report.Calls, report.InputTokens, report.OutputTokens));
        Assert.Equal(1.0, report.CostUsd, 9);
    }

    [Fact]
    public void Price_formula()
    {
        var options = new LlmOptions { InputUsdPerMillionTokens = 3, OutputUsdPerMillionTokens = 15 };
        Assert.Equal(0.003 + 0.015, options.CostUsd(1000, 1000), 12);
        Assert.Equal(0, options.CostUsd(0, 0));
    }
}
