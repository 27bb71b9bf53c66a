using AiGrpc.Server.Audit;

namespace AiGrpc.Server.Security;

/// <summary>
/// Operator commands run instead of the server: <c>hash-key [KEY]</c> prints the <c>sha256:</c> form
/// of a key for configuration (reads the key from standard input when not given, so it stays out of
/// shell history); <c>audit-verify FILE [--strict]</c> checks an audit trail's hash chain.
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
            case ["audit-verify", var file, .. var rest] when rest.Length == 0 || rest is ["--strict"]:
                if (!File.Exists(file))
                {
                    output.WriteLine($"audit-verify: no such file: {file}");
                    return 2;
                }

                var result = AuditChain.Verify(File.ReadLines(file), allowRestarts: rest.Length == 0);
                output.WriteLine(result.Valid
                    ? $"audit-verify: OK, {result.AuditLines} audit line(s) in {result.Chains} chain(s)"
                    : $"audit-verify: BROKEN at line {result.FirstBrokenLine}: {result.Reason} ({result.AuditLines - 1} line(s) verified before it)");
                return result.Valid ? 0 : 1;
            default:
                return Usage(output);
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
        output.WriteLine("       AiGrpc.Server audit-verify FILE [--strict]");
        return 2;
    }
}
