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

    /// <summary>SHA-256 hex of one line (without its line break).</summary>
    public static string Hash(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Span<byte> hex = stackalloc byte[HashLength];
        Hash(Encoding.UTF8.GetBytes(line), hex);
        return Encoding.ASCII.GetString(hex);
    }

    /// <summary>Length of a line's hash in hex digits.</summary>
    public const int HashLength = 2 * SHA256.HashSizeInBytes;

    /// <summary>SHA-256 of one line's UTF-8 bytes, written as <see cref="HashLength"/> lowercase hex digits (ASCII) into <paramref name="hex"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> utf8Line, Span<byte> hex)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8Line, digest);
        if (!Convert.TryToHexStringLower(digest, hex, out _))
        {
            throw new ArgumentException($"needs {HashLength} bytes", nameof(hex));
        }
    }

    /// <summary>
    /// Checks a chain. Lines that are not audit lines (other log output on stdout) are ignored; an
    /// audit line's leading indentation (console log formatters) is ignored. A new chain may start
    /// (prev = genesis, e.g. after a restart with the stdout sink) only where <paramref name="allowRestarts"/>.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<string> lines, bool allowRestarts = true)
    {
        ArgumentNullException.ThrowIfNull(lines);
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
            previousHash = Hash(line);
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

/// <summary>Result of <see cref="AuditChain.Verify"/>.</summary>
/// <param name="Valid">True when every link holds.</param>
/// <param name="AuditLines">Audit lines read (up to the first break).</param>
/// <param name="Chains">Chains found (more than one after restarts on stdout).</param>
/// <param name="FirstBrokenLine">1-based line number of the first break in the input.</param>
/// <param name="Reason">Why the line breaks the chain.</param>
public sealed record AuditVerification(bool Valid, int AuditLines, int Chains, int? FirstBrokenLine, string? Reason);
