using AiGrpc.Server.Audit;
using Microsoft.Extensions.Time.Testing;

namespace AiGrpc.UnitTests.Audit;

public class RefusalAggregatorTests
{
    private static AuditEvent Refused(string ip, int status = 401) =>
        new(DateTimeOffset.UnixEpoch, null, ip, "rest", "POST /x", null, status, null, TimeSpan.Zero, "t");

    [Fact]
    public void The_first_refusal_of_a_window_is_written_and_the_rest_become_one_summary()
    {
        var time = new FakeTimeProvider();
        var refusals = new RefusalAggregator(time, TimeSpan.FromSeconds(60));
        Assert.True(refusals.ShouldWrite(Refused("10.0.0.1"), "svc"));
        for (var i = 0; i < 999; i++)
        {
            Assert.False(refusals.ShouldWrite(Refused("10.0.0.1"), "svc"));
        }

        Assert.True(refusals.ShouldWrite(Refused("10.0.0.2"), "svc")); // another IP
        Assert.True(refusals.ShouldWrite(Refused("10.0.0.1", 429), "svc")); // another status
        Assert.True(refusals.ShouldWrite(Refused("10.0.0.1"), "other")); // another route family
        Assert.Empty(refusals.Drain()); // the window is still open

        time.Advance(TimeSpan.FromSeconds(60));
        var summary = Assert.Single(refusals.Drain());
        Assert.Equal(999, summary.Repeats);
        Assert.Equal("10.0.0.1", summary.ClientIp);
        Assert.True(refusals.ShouldWrite(Refused("10.0.0.1"), "svc")); // a new window writes again
    }

    [Fact]
    public void Memory_is_bounded_when_every_refusal_comes_from_a_new_address()
    {
        var refusals = new RefusalAggregator(new FakeTimeProvider(), TimeSpan.FromSeconds(60));
        var written = 0;
        for (var i = 0; i < RefusalAggregator.MaxKeys + 5_000; i++)
        {
            written += refusals.ShouldWrite(Refused($"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}"), "svc") ? 1 : 0;
        }

        Assert.Equal(RefusalAggregator.MaxKeys + 1, written);
        var overflow = Assert.Single(refusals.Drain(all: true), e => e.Repeats > 0);
        Assert.Equal(4_999, overflow.Repeats);
    }

    [Fact]
    public void A_summary_line_carries_its_count_and_an_aborted_call_says_so()
    {
        var line = AuditTrail.Format(Refused("10.0.0.1") with { Repeats = 41 }, AuditChain.Genesis);
        Assert.Contains("\"repeats\":41", line, StringComparison.Ordinal);
        Assert.DoesNotContain("aborted", line, StringComparison.Ordinal);
        Assert.Contains("\"aborted\":true", AuditTrail.Format(Refused("10.0.0.1") with { Aborted = true }, AuditChain.Genesis), StringComparison.Ordinal);
        Assert.NotNull(AuditChain.ExtractPrev(line));
    }
}
