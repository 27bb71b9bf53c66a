using System.Text.Json;
using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using AiGrpc.Server.Caching;
using AiGrpc.Server.Payroll;
using AiGrpc.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>The month writer the Redis store keeps months with: every shipped month reads back as it was.</summary>
public class IndicatorFileWriteTests
{
    [Fact]
    public void Every_shipped_month_is_written_and_read_back_unchanged()
    {
        foreach (var (period, month) in IndicatorFile.Shipped)
        {
            var written = IndicatorFile.WriteMonth(month);
            using var document = JsonDocument.Parse(written);
            var read = IndicatorFile.ParseMonth(period, document.RootElement);
            Assert.Equal(written, IndicatorFile.WriteMonth(read));
            Assert.Equal(month.Sources(), read.Sources());
            Assert.Equal(month.Missing(), read.Missing());
            Assert.Equal(month.MinimumWageLaw, read.MinimumWageLaw);
        }

        var october = IndicatorFile.Shipped[new PayrollPeriod(2025, 10)];
        using var again = JsonDocument.Parse(IndicatorFile.WriteMonth(october));
        var copy = IndicatorFile.ParseMonth(october.Period, again.RootElement);
        Assert.Equal(october.UfLastDay, copy.UfLastDay);
        Assert.Equal(october.UnemploymentInsurance!.Value, copy.UnemploymentInsurance!.Value);
        Assert.Equal(october.IncomeTaxBrackets!.Value, copy.IncomeTaxBrackets!.Value);
        Assert.Equal(october.AfpCommissionsPercent!.Value, copy.AfpCommissionsPercent!.Value);
        Assert.Contains("Código Tributario", IndicatorFile.WriteMonth(october), StringComparison.Ordinal); // readable, not \u-escaped
    }
}

/// <summary>The Redis-backed indicator store against a real redis-server: shared upserts, and reads that never fail.</summary>
public sealed class RedisIndicatorStoreTests
{
    private static readonly PayrollPeriod January2019 = new(2019, 1);
    private static readonly PayrollPeriod October2025 = new(2025, 10);

    private static MonthlyIndicators Month(PayrollPeriod period, decimal minimumWage) => MonthlyIndicators.Empty(period) with
    {
        MinimumWage = new Sourced<decimal>(minimumWage, "Prueba: decreto ficticio para el test", "in_force"),
        Utm = new Sourced<decimal>(48353m, "Prueba: SII", "observed", "nota"),
    };

    private static (RedisIndicatorStore Store, RedisConnection Connection) Create(RedisServer redis, int operationTimeoutMs = 250)
    {
        var options = new CacheOptions { Redis = redis.ConnectionString, OperationTimeoutMs = operationTimeoutMs };
        var connection = new RedisConnection(Options.Create(options));
        return (new RedisIndicatorStore(IndicatorFile.Shipped, connection, options, NullLogger<RedisIndicatorStore>.Instance, TimeProvider.System), connection);
    }

    private static async Task ConnectedAsync(RedisConnection connection)
    {
        var multiplexer = await connection.GetAsync().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        for (var i = 0; i < 500 && !multiplexer.IsConnected; i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(multiplexer.IsConnected);
    }

    [Fact]
    public async Task An_upsert_in_one_store_is_read_by_another_on_the_same_redis_under_the_key_prefix()
    {
        await using var redis = await RedisServer.StartAsync();
        var (a, connectionA) = Create(redis);
        var (b, connectionB) = Create(redis);
        await using var _ = connectionA;
        await using var __ = connectionB;
        await ConnectedAsync(connectionA);
        await ConnectedAsync(connectionB);

        Assert.False(b.Get(January2019).Found);
        Assert.Contains("2019-01", b.Get(January2019).Reason, StringComparison.Ordinal);
        Assert.Equal(IndicatorFile.Shipped.Count, b.Months.Count);

        a.Upsert(Month(January2019, 288000m));
        var seen = b.Get(January2019).Month!;
        Assert.Equal(288000m, seen.MinimumWage!.Value);
        Assert.Equal("nota", seen.Utm!.Note);
        Assert.Equal(January2019, b.Months[0]);

        // An upsert of a shipped month wins over the file, on every replica.
        a.Upsert(IndicatorFile.Shipped[October2025] with { MinimumWage = new Sourced<decimal>(600000m, "Prueba: corrección", "in_force") });
        Assert.Equal(600000m, b.Get(October2025).Month!.MinimumWage!.Value);
        Assert.Equal(69265m, b.Get(October2025).Month!.Utm!.Value);

        var database = (await connectionA.GetAsync()).GetDatabase();
        Assert.Equal(2, await database.HashLengthAsync("aigrpc:" + RedisIndicatorStore.HashKey));
    }

    [Fact]
    public async Task Reads_never_fail_when_redis_is_down_and_upserts_say_so_then_both_come_back()
    {
        await using var redis = await RedisServer.StartAsync();
        var (store, connection) = Create(redis);
        await using var _ = connection;
        await ConnectedAsync(connection);
        store.Upsert(Month(January2019, 288000m));
        Assert.True(store.Get(January2019).Found);

        await redis.StopAsync();
        var started = DateTime.UtcNow;
        Assert.Equal(288000m, store.Get(January2019).Month!.MinimumWage!.Value); // the last upsert this replica saw
        Assert.Equal(529000m, store.Get(October2025).Month!.MinimumWage!.Value); // shipped
        Assert.False(store.Get(new PayrollPeriod(2019, 2)).Found);
        Assert.Contains(January2019, store.Months);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "reads during the outage must be bounded");

        var payslip = PayslipJson.Read(PayslipCases.All["ok-full-month-habitat-fonasa"].Body);
        Assert.Equal(Recommendation.Approve, PayslipValidator.Validate(payslip, store).Recommendation);

        var refused = Assert.Throws<IndicatorStoreUnavailableException>(() => store.Upsert(Month(new PayrollPeriod(2019, 2), 288000m)));
        Assert.Contains("2019-02", refused.Message, StringComparison.Ordinal);

        await redis.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                store.Upsert(Month(new PayrollPeriod(2019, 2), 290000m));
                break;
            }
            catch (IndicatorStoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(290000m, store.Get(new PayrollPeriod(2019, 2)).Month!.MinimumWage!.Value);
        // redis-server restarted empty (no persistence): January is the shipped file's answer again, i.e. not held.
        Assert.False(store.Get(January2019).Found);
    }

    [Fact]
    public async Task An_unreadable_month_in_redis_falls_back_and_a_figure_without_source_is_refused()
    {
        await using var redis = await RedisServer.StartAsync();
        var (store, connection) = Create(redis);
        await using var _ = connection;
        await ConnectedAsync(connection);
        var database = (await connection.GetAsync()).GetDatabase();
        await database.HashSetAsync("aigrpc:" + RedisIndicatorStore.HashKey, "2025-10", "{\"utm\": {\"value\": 1}}");

        Assert.Equal(69265m, store.Get(October2025).Month!.Utm!.Value);

        var unsourced = MonthlyIndicators.Empty(January2019) with { Utm = new Sourced<decimal>(1m, " ", "observed") };
        Assert.Throws<ArgumentException>(() => store.Upsert(unsourced));
        Assert.False(await database.HashExistsAsync("aigrpc:" + RedisIndicatorStore.HashKey, "2019-01"));
    }

    [Fact]
    public async Task Without_a_reachable_redis_a_store_still_answers_from_the_file()
    {
        var options = new CacheOptions { Redis = "127.0.0.1:1,abortConnect=false,connectTimeout=200", OperationTimeoutMs = 100 };
        await using var connection = new RedisConnection(Options.Create(options));
        var store = new RedisIndicatorStore(IndicatorFile.Shipped, connection, options, NullLogger<RedisIndicatorStore>.Instance, TimeProvider.System);
        Assert.Equal(529000m, store.Get(October2025).Month!.MinimumWage!.Value);
        Assert.Equal(IndicatorFile.Shipped.Count, store.Months.Count);
        Assert.Throws<IndicatorStoreUnavailableException>(() => store.Upsert(Month(January2019, 1m)));
    }
}
