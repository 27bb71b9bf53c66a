using AiGrpc.Server.Audit;
using AiGrpc.Server.Security;

namespace AiGrpc.UnitTests.Audit;

/// <summary>The HMAC-keyed chain and its checkpoints against each kind of tampering by someone who can write the file
/// but does not hold the key.</summary>
public class KeyedAuditChainTests
{
    private static readonly byte[] Key = "audit-hmac-key-for-tests-0123456789abcdef"u8.ToArray();

    private static AuditEvent Event(int i) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(i), "odoo", "10.0.0.1", "rest", "POST /api/ai/validate", null, 200, null, TimeSpan.FromMilliseconds(i), $"trace{i}");

    /// <summary>A chain of <paramref name="count"/> lines linked with <paramref name="key"/> (plain SHA-256 when null).</summary>
    private static List<string> Chain(int count, byte[]? key, IReadOnlyList<string>? start = null)
    {
        var lines = new List<string>(start ?? []);
        var prev = lines.Count == 0 ? AuditChain.Genesis : AuditChain.Hash(lines[^1], key);
        for (var i = lines.Count; i < count; i++)
        {
            var line = AuditTrail.Format(Event(i), prev, keyed: key is not null);
            lines.Add(line);
            prev = AuditChain.Hash(line, key);
        }

        return lines;
    }

    private static AuditCheckpoint CheckpointAfter(List<string> lines, int count, byte[] key)
    {
        var head = AuditChain.Hash(lines[count - 1], key);
        var time = $"2026-12-06T10:{count:00}:00.0000000Z";
        return new AuditCheckpoint(time, count, head, AuditChain.CheckpointSignature(key, time, count, head));
    }

    [Fact]
    public void A_keyed_chain_verifies_with_its_key_only()
    {
        var lines = Chain(10, Key);
        Assert.All(lines, l => Assert.Contains(AuditChain.KeyedMarker, l, StringComparison.Ordinal));
        Assert.True(AuditChain.Verify(lines, allowRestarts: false, Key).Valid);
        Assert.Contains("keyed", AuditChain.Verify(lines).Reason, StringComparison.Ordinal);
        Assert.False(AuditChain.Verify(lines, allowRestarts: false, "another-key-of-enough-length-0123456789"u8.ToArray()).Valid);
    }

    [Fact]
    public void An_edit_with_the_later_links_recomputed_without_the_key_is_detected()
    {
        var lines = Chain(10, Key);
        // The attacker edits line 4 and recomputes every later link with plain SHA-256, as a plain chain allows.
        var forged = lines.Take(3).ToList();
        forged.Add(lines[3].Replace("\"status\":200", "\"status\":403", StringComparison.Ordinal));
        for (var i = 4; i < 10; i++)
        {
            forged.Add(AuditTrail.Format(Event(i), AuditChain.Hash(forged[^1]), keyed: true));
        }

        var result = AuditChain.Verify(forged, allowRestarts: false, Key);
        Assert.False(result.Valid);
        Assert.Equal(5, result.FirstBrokenLine);

        // The same rewrite passes a plain chain: the reason for the key.
        var plain = Chain(10, null);
        plain[3] = plain[3].Replace("\"status\":200", "\"status\":403", StringComparison.Ordinal);
        var rewritten = Chain(10, null, plain.Take(4).ToList());
        Assert.True(AuditChain.Verify(rewritten, allowRestarts: false).Valid);
    }

    [Fact]
    public void Deleted_inserted_and_moved_lines_are_detected()
    {
        var deleted = Chain(10, Key);
        deleted.RemoveAt(5);
        Assert.Equal(6, AuditChain.Verify(deleted, false, Key).FirstBrokenLine);

        var inserted = Chain(10, Key);
        inserted.Insert(5, AuditTrail.Format(Event(99), AuditChain.Hash(inserted[4], Key), keyed: true));
        Assert.Equal(7, AuditChain.Verify(inserted, false, Key).FirstBrokenLine);

        var moved = Chain(10, Key);
        (moved[2], moved[7]) = (moved[7], moved[2]);
        Assert.Equal(3, AuditChain.Verify(moved, false, Key).FirstBrokenLine);
    }

    [Fact]
    public void A_file_cut_after_a_checkpoint_is_detected_and_one_cut_after_the_last_checkpoint_is_not()
    {
        var lines = Chain(10, Key);
        AuditCheckpoint[] checkpoints = [CheckpointAfter(lines, 4, Key), CheckpointAfter(lines, 7, Key)];
        Assert.True(AuditChain.Verify(lines, false, Key, checkpoints).Valid);

        var cut = AuditChain.Verify(lines.Take(6), false, Key, checkpoints);
        Assert.False(cut.Valid);
        Assert.Contains("(7 lines)", cut.Reason, StringComparison.Ordinal);

        // Documented limit: lines after the last checkpoint can be cut unseen.
        Assert.True(AuditChain.Verify(lines.Take(8), false, Key, checkpoints).Valid);
    }

    [Fact]
    public void A_forged_checkpoint_is_refused()
    {
        var lines = Chain(10, Key);
        var real = CheckpointAfter(lines, 7, Key);
        var forged = real with { Lines = 3 };
        Assert.Contains("not signed", AuditChain.Verify(lines, false, Key, [forged]).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_verify_command_reads_the_key_from_the_environment_and_checkpoints_from_a_log()
    {
        var file = Path.GetTempFileName();
        var log = Path.GetTempFileName();
        try
        {
            var lines = Chain(10, Key);
            File.WriteAllLines(file, lines.Take(5));
            File.WriteAllLines(log, ["info: AiGrpc.AuditCheckpoint[0]", "      " + CheckpointAfter(lines, 8, Key).ToLine()]);
            Environment.SetEnvironmentVariable(AdminCommands.HmacKeyVariable, System.Text.Encoding.UTF8.GetString(Key));
            using var output = new StringWriter();
            Assert.Equal(1, AdminCommands.Run(["audit-verify", file, "--strict", "--checkpoints", log], TextReader.Null, output));
            Assert.Contains("was cut", output.ToString(), StringComparison.Ordinal);

            File.WriteAllLines(file, lines);
            using var ok = new StringWriter();
            Assert.Equal(0, AdminCommands.Run(["audit-verify", file, "--strict", "--checkpoints", log], TextReader.Null, ok));
            Assert.Contains("1 checkpoint(s)", ok.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(AdminCommands.HmacKeyVariable, null);
            File.Delete(file);
            File.Delete(log);
        }
    }
}
