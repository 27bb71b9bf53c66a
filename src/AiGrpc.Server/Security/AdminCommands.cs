using AiGrpc.Server.Audit;

namespace AiGrpc.Server.Security;

/// <summary>
/// Operator commands run instead of the server: <c>hash-key [KEY]</c> prints the <c>sha256:</c> form
/// of a key for configuration (reads the key from standard input when not given, so it stays out of
/// shell history); <c>audit-verify FILE [--strict] [--checkpoints LOGFILE]</c> checks an audit trail's chain, keyed
/// with <c>AIGRPC_AUDIT_HMAC_KEY</c> when it is, against the checkpoints found in a log file.
/// </summary>
public static class AdminCommands
{
    /// <summary>True when <paramref name="args"/> names a command.</summary>
    public static bool IsCommand(string[] args) => args is ["hash-key", ..] or ["audit-verify", ..];

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        switch (args)
        {
            case ["hash-key"]:
                var key = input.ReadLine()?.Trim();
                return string.IsNullOrEmpty(key) ? Usage(output) : Print(output, ApiKeyStore.Hash(key));
            case ["hash-key", var given] when !string.IsNullOrWhiteSpace(given):
                return Print(output, ApiKeyStore.Hash(given.Trim()));
            case ["audit-verify", var file, .. var rest] when AuditVerifyOptions.TryParse(rest, out var verify):
                return AuditVerify(file, verify, output);
            default:
                return Usage(output);
        }
    }

    /// <summary>Environment variable holding the audit chain's HMAC key for <c>audit-verify</c> (never an argument:
    /// arguments end up in shell history and process lists).</summary>
    public const string HmacKeyVariable = "AIGRPC_AUDIT_HMAC_KEY";

    private static int AuditVerify(string file, AuditVerifyOptions verify, TextWriter output)
    {
        foreach (var path in (string?[])[file, verify.Checkpoints])
        {
            if (path is not null && !File.Exists(path))
            {
                output.WriteLine($"audit-verify: no such file: {path}");
                return 2;
            }
        }

        var key = Environment.GetEnvironmentVariable(HmacKeyVariable) is { Length: > 0 } k ? System.Text.Encoding.UTF8.GetBytes(k) : null;
        var checkpoints = verify.Checkpoints is null ? null : AuditCheckpoint.Parse(File.ReadLines(verify.Checkpoints));
        var result = AuditChain.Verify(File.ReadLines(file), allowRestarts: !verify.Strict, key, checkpoints);
        output.WriteLine(result.Valid
            ? $"audit-verify: OK, {result.AuditLines} audit line(s) in {result.Chains} chain(s){(checkpoints is null ? string.Empty : $", {checkpoints.Count} checkpoint(s) found in it")}"
            : result.FirstBrokenLine is { } broken
                ? $"audit-verify: BROKEN at line {broken}: {result.Reason} ({result.AuditLines - 1} line(s) verified before it)"
                : $"audit-verify: BROKEN: {result.Reason}");
        return result.Valid ? 0 : 1;
    }

    /// <summary>Flags of <c>audit-verify</c>: <c>--strict</c>, <c>--checkpoints FILE</c>.</summary>
    private sealed record AuditVerifyOptions(bool Strict, string? Checkpoints)
    {
        public static bool TryParse(string[] rest, out AuditVerifyOptions options)
        {
            var strict = false;
            string? checkpoints = null;
            for (var i = 0; i < rest.Length; i++)
            {
                switch (rest[i])
                {
                    case "--strict":
                        strict = true;
                        break;
                    case "--checkpoints" when i + 1 < rest.Length:
                        checkpoints = rest[++i];
                        break;
                    default:
                        options = new(false, null);
                        return false;
                }
            }

            options = new(strict, checkpoints);
            return true;
        }
    }

    private static int Print(TextWriter output, string text)
    {
        output.WriteLine(text);
        return 0;
    }

    private static int Usage(TextWriter output)
    {
        output.WriteLine("usage: AiGrpc.Server hash-key [KEY]   (reads KEY from stdin when omitted)");
        output.WriteLine("       AiGrpc.Server audit-verify FILE [--strict] [--checkpoints LOGFILE]   (key of a keyed chain in " + HmacKeyVariable + ")");
        return 2;
    }
}
