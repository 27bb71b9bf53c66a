using AiGrpc.Server.Audit;
using AiGrpc.Server.RateLimiting;
using AiGrpc.Server.Security;
using Microsoft.Extensions.Time.Testing;

namespace AiGrpc.UnitTests.Audit;

public class AuditChainTests
{
    private static List<string> Chain(int count)
    {
        var lines = new List<string>();
        var prev = AuditChain.Genesis;
        for (var i = 0; i < count; i++)
        {
            var line = AuditTrail.Format(new AuditEvent(DateTimeOffset.UnixEpoch.AddSeconds(i), $"caller{i % 3}", "127.0.0.1", "rest",
                $"POST /api/ai/validate?\"prev\":\"{i}\"", null, 200, null, TimeSpan.FromMilliseconds(i), $"trace{i}"), prev);
            lines.Add(line);
            prev = AuditChain.Hash(line);
        }

        return lines;
    }

    [Fact]
    public void An_intact_chain_verifies_and_other_log_lines_are_ignored()
    {
        var lines = Chain(10);
        lines.Insert(4, "info: Microsoft.Hosting.Lifetime[0] Application started");
        var result = AuditChain.Verify(lines);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(10, result.AuditLines);
    }

    [Fact]
    public void An_edited_line_is_detected_at_the_line_after_it()
    {
        var lines = Chain(10);
        lines[3] = lines[3].Replace("\"status\":200", "\"status\":403", StringComparison.Ordinal);
        var result = AuditChain.Verify(lines);
        Assert.False(result.Valid);
        Assert.Equal(5, result.FirstBrokenLine);
    }

    [Fact]
    public void A_deleted_line_is_detected()
    {
        var lines = Chain(10);
        lines.RemoveAt(6);
        Assert.Equal(7, AuditChain.Verify(lines).FirstBrokenLine);
        var headless = Chain(10).Skip(1);
        Assert.Equal(1, AuditChain.Verify(headless).FirstBrokenLine);
    }

    [Fact]
    public void Reordered_lines_are_detected()
    {
        var lines = Chain(10);
        (lines[2], lines[3]) = (lines[3], lines[2]);
        Assert.Equal(3, AuditChain.Verify(lines).FirstBrokenLine);
    }

    [Fact]
    public void A_restarted_chain_is_accepted_only_when_restarts_are_allowed()
    {
        var lines = Chain(3).Concat(Chain(2)).ToList();
        Assert.Equal(2, AuditChain.Verify(lines).Chains);
        Assert.Equal(4, AuditChain.Verify(lines, allowRestarts: false).FirstBrokenLine);
    }

    [Fact]
    public void Audit_verify_command_reports_the_first_broken_line_and_hash_key_prints_the_digest()
    {
        var file = Path.GetTempFileName();
        try
        {
            var lines = Chain(5);
            lines[1] = lines[1].Replace("caller1", "callerX", StringComparison.Ordinal);
            File.WriteAllLines(file, lines);
            using var output = new StringWriter();
            Assert.Equal(1, AdminCommands.Run(["audit-verify", file], TextReader.Null, output));
            Assert.Contains("BROKEN at line 3", output.ToString(), StringComparison.Ordinal);

            using var hashed = new StringWriter();
            Assert.Equal(0, AdminCommands.Run(["hash-key"], new StringReader("abc\n"), hashed));
            Assert.Equal(ApiKeyStore.Hash("abc"), hashed.ToString().Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Local_windows_count_only_admitted_requests_and_reopen_after_the_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new LocalWindowStore(time);
        WindowCounter[] counters = [new("c:a:60", 2, TimeSpan.FromMinutes(1)), new("c:a:3600", 3, TimeSpan.FromHours(1))];
        Assert.True(store.TryAcquire(counters).Allowed);
        Assert.True(store.TryAcquire(counters).Allowed);
        var refused = store.TryAcquire(counters);
        Assert.False(refused.Allowed);
        Assert.Equal("c:a:60", refused.Counter);
        Assert.Equal(TimeSpan.FromMinutes(1), refused.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(store.TryAcquire(counters).Allowed);
        Assert.Equal("c:a:3600", store.TryAcquire(counters).Counter);
    }
}
