using System.Security.Cryptography;
using System.Text;

namespace AiGrpc.Server.Audit;

/// <summary>
/// The hash chain of the audit trail: each line carries, in <c>prev</c>, the SHA-256 (hex) of the
/// previous audit line's exact text; the first line of a chain carries <see cref="Genesis"/>.
/// Editing, removing, inserting or reordering a line breaks the link of the line after it.
/// Plain C#: used by the server and by the <c>audit-verify</c> command.
/// </summary>
public static class AuditChain
{
    /// <summary>Every audit line starts with this text.</summary>
    public const string LinePrefix = "{\"audit\":1,";

    /// <summary><c>prev</c> of the first line of a chain.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Link of one line (without its line break): SHA-256 hex, or HMAC-SHA256 hex under <paramref name="key"/>.</summary>
    public static string Hash(string line, byte[]? key = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        Span<byte> hex = stackalloc byte[HashLength];
        Hash(Encoding.UTF8.GetBytes(line), hex, key);
        return Encoding.ASCII.GetString(hex);
    }

    /// <summary>Length of a line's hash in hex digits.</summary>
    public const int HashLength = 2 * SHA256.HashSizeInBytes;

    /// <summary>Field a keyed line carries before <c>prev</c>: its link is an HMAC, which only the key's holder can recompute.</summary>
    public const string KeyedMarker = "\"link\":\"hmac\"";

    /// <summary>The link of one line's UTF-8 bytes, written as <see cref="HashLength"/> lowercase hex digits (ASCII)
    /// into <paramref name="hex"/>: SHA-256, or HMAC-SHA256 when a <paramref name="key"/> is given. A plain hash only
    /// shows that lines were changed by someone who did not recompute the later links; an HMAC needs the key to do so.</summary>
    public static void Hash(ReadOnlySpan<byte> utf8Line, Span<byte> hex, byte[]? key = null)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (key is null)
        {
            SHA256.HashData(utf8Line, digest);
        }
        else
        {
            HMACSHA256.HashData(key, utf8Line, digest);
        }

        if (!Convert.TryToHexStringLower(digest, hex, out _))
        {
            throw new ArgumentException($"needs {HashLength} bytes", nameof(hex));
        }
    }

    /// <summary>Signature of a checkpoint: HMAC-SHA256 hex of <c>checkpoint|time|lines|head</c> under the key.</summary>
    public static string CheckpointSignature(byte[] key, string time, long lines, string head) =>
        Hash(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"checkpoint|{time}|{lines}|{head}"), key);

    /// <summary>
    /// Checks a chain. Lines that are not audit lines (other log output on stdout) are ignored; an
    /// audit line's leading indentation (console log formatters) is ignored. A new chain may start
    /// (prev = genesis, e.g. after a restart with the stdout sink) only where <paramref name="allowRestarts"/>.
    /// Keyed lines need <paramref name="key"/>. Each of <paramref name="checkpoints"/> (taken from the log stream or
    /// Redis, where the file's writer cannot reach) must name the link of a line in the file: otherwise lines up to
    /// it were removed, or the file was cut after it.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<string> lines, bool allowRestarts = true, byte[]? key = null, IReadOnlyList<AuditCheckpoint>? checkpoints = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var wanted = new Dictionary<string, AuditCheckpoint>(StringComparer.Ordinal);
        foreach (var checkpoint in checkpoints ?? [])
        {
            if (key is not null && checkpoint.Signature != CheckpointSignature(key, checkpoint.Time, checkpoint.Lines, checkpoint.Head))
            {
                return new AuditVerification(false, 0, 0, null, $"the checkpoint of {checkpoint.Time} is not signed by this key (forged or from another key)");
            }

            wanted.TryAdd(checkpoint.Head, checkpoint);
        }

        string? previousHash = null;
        var number = 0;
        var audited = 0;
        var chains = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (!line.StartsWith(LinePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            audited++;
            var keyed = line.Contains(KeyedMarker, StringComparison.Ordinal);
            if (keyed && key is null)
            {
                return new AuditVerification(false, audited, chains, number, "the chain is keyed (HMAC): give its key in AIGRPC_AUDIT_HMAC_KEY");
            }

            var prev = ExtractPrev(line);
            if (prev is null)
            {
                return new AuditVerification(false, audited, chains, number, "no 'prev' field");
            }

            var starts = prev == Genesis;
            if (previousHash is null ? !starts : prev != previousHash && !(starts && allowRestarts))
            {
                return new AuditVerification(false, audited, chains, number,
                    previousHash is null ? "the first line does not start a chain (lines before it were removed)" : "'prev' does not match the previous line (a line was edited, removed, inserted or moved)");
            }

            chains += starts ? 1 : 0;
            previousHash = Hash(line, keyed ? key : null);
            wanted.Remove(previousHash);
        }

        if (wanted.Count > 0)
        {
            var missing = wanted.Values.OrderBy(c => c.Time, StringComparer.Ordinal).First();
            return new AuditVerification(false, audited, chains, null,
                $"no line matches the checkpoint of {missing.Time} ({missing.Lines} lines): lines up to it were removed or the file was cut after it");
        }

        return new AuditVerification(true, audited, chains, null, null);
    }

    /// <summary>The value of the last <c>"prev":"…"</c> field (written last, after any caller-supplied text).</summary>
    public static string? ExtractPrev(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        const string field = ",\"prev\":\"";
        var at = line.LastIndexOf(field, StringComparison.Ordinal);
        if (at < 0 || line.Length < at + field.Length + 66 || !line.EndsWith("\"}", StringComparison.Ordinal))
        {
            return null;
        }

        var value = line.Substring(at + field.Length, 64);
        return line.Length == at + field.Length + 66 ? value : null;
    }
}

/// <summary>A signed note of the chain's head, sent where the audit file's writer cannot rewrite it (the log stream,
/// Redis): <c>{"auditCheckpoint":1,"time":…,"lines":…,"head":…,"sig":…}</c>.</summary>
/// <param name="Time">When it was taken (UTC, round-trip format).</param>
/// <param name="Lines">Lines written by this writer when it was taken.</param>
/// <param name="Head">Link of the last line written.</param>
/// <param name="Signature">HMAC of the other fields under the audit key (empty without a key).</param>
public sealed record AuditCheckpoint(string Time, long Lines, string Head, string Signature)
{
    /// <summary>Every checkpoint line contains this text.</summary>
    public const string Marker = "{\"auditCheckpoint\":1,";

    /// <summary>The line written for it.</summary>
    public string ToLine() => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["auditCheckpoint"] = 1, ["time"] = Time, ["lines"] = Lines, ["head"] = Head, ["sig"] = Signature,
    });

    /// <summary>The checkpoints found in log output (any prefix before the JSON is ignored).</summary>
    public static List<AuditCheckpoint> Parse(IEnumerable<string> logLines)
    {
        ArgumentNullException.ThrowIfNull(logLines);
        var found = new List<AuditCheckpoint>();
        foreach (var raw in logLines)
        {
            var at = raw.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(raw[at..].Trim());
                var r = json.RootElement;
                found.Add(new AuditCheckpoint(r.GetProperty("time").GetString()!, r.GetProperty("lines").GetInt64(), r.GetProperty("head").GetString()!, r.GetProperty("sig").GetString() ?? string.Empty));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Not a whole checkpoint (a wrapped log line): skipped.
            }
        }

        return found;
    }
}

/// <summary>Result of <see cref="AuditChain.Verify"/>.</summary>
/// <param name="Valid">True when every link holds.</param>
/// <param name="AuditLines">Audit lines read (up to the first break).</param>
/// <param name="Chains">Chains found (more than one after restarts on stdout).</param>
/// <param name="FirstBrokenLine">1-based line number of the first break in the input.</param>
/// <param name="Reason">Why the line breaks the chain.</param>
public sealed record AuditVerification(bool Valid, int AuditLines, int Chains, int? FirstBrokenLine, string? Reason);
