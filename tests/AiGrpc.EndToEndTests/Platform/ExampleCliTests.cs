using System.Diagnostics;
using AiGrpc.TestKit;

namespace AiGrpc.EndToEndTests.Platform;

/// <summary>The README's gRPC commands, run as written against the real server.</summary>
public class ExampleCliTests
{
    private const string Key = "cli-example-key-7f3a0c";

    [Fact]
    public async Task Health_prints_SERVING_and_report_needs_the_key()
    {
        await using var server = await ServerProcess.StartAsync(
            new Dictionary<string, string?> { ["Auth__ApiKeys__cli"] = Key }, TestContext.Current.CancellationToken);

        var health = await RunAsync("health", "--address", server.GrpcAddress.ToString());
        Assert.Equal(0, health.ExitCode);
        Assert.Equal("SERVING", health.Output.Trim());

        var denied = await RunAsync("report", "--address", server.GrpcAddress.ToString());
        Assert.Equal(3, denied.ExitCode);
        Assert.Contains("Unauthenticated", denied.Output, StringComparison.Ordinal);

        var report = await RunAsync("report", "--address", server.GrpcAddress.ToString(), "--key", Key);
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("\"Status\": \"Healthy\"", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analytics_match_reads_a_rest_shaped_file_and_prints_the_match()
    {
        await using var server = await ServerProcess.StartAsync(
            new Dictionary<string, string?> { ["Auth__ApiKeys__cli"] = Key }, TestContext.Current.CancellationToken);
        var good = Path.GetTempFileName();
        var bad = Path.GetTempFileName();
        try
        {
            const string projects = """
                [{"id": 31, "code": "PRJ-2024-001", "name": "Ampliación Subestación Alto Jahuel 220 kV", "keywords": ["OC-4500112233"]},
                 {"id": 32, "code": "PRJ-2023-030", "name": "Mantención eléctrica Mina Ministro Hales", "location": "Calama", "start_date": "2023-01-01"}]
                """;
            await File.WriteAllTextAsync(good, $$"""{"invoice_description": "Suministro de materiales", "purchase_order": "OC N° 4500112233", "issue_date": "2024-05-02", "projects": {{projects}}}""", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(bad, """{"invoice_description": "x", "projects": [{"id": 1, "name": "A"}, {"id": 1, "name": "B"}]}""", TestContext.Current.CancellationToken);

            var match = await RunAsync("analytics", "match", "--file", good, "--address", server.GrpcAddress.ToString(), "--key", Key);
            Assert.Equal(0, match.ExitCode);
            Assert.Contains("\"MatchedProjectId\": 31", match.Output, StringComparison.Ordinal);
            Assert.Contains("\"Engine\": \"Local\"", match.Output, StringComparison.Ordinal);
            Assert.Contains("Ampliación Subestación", match.Output, StringComparison.Ordinal); // UTF-8, not \u00F3 escapes
            Assert.DoesNotContain("\\u00", match.Output, StringComparison.Ordinal);

            // The README's example file, as shipped.
            var shipped = await RunAsync("analytics", "match", "--file", Path.Combine(SharedData.RepositoryRoot, "examples", "requests", "match-invoice.json"),
                "--address", server.GrpcAddress.ToString(), "--key", Key);
            Assert.Equal(0, shipped.ExitCode);
            Assert.Contains("\"MatchedProjectId\": 31", shipped.Output, StringComparison.Ordinal);

            var invalid = await RunAsync("analytics", "match", "--file", bad, "--address", server.GrpcAddress.ToString(), "--key", Key);
            Assert.Equal(3, invalid.ExitCode);
            Assert.Contains("InvalidArgument", invalid.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(good);
            File.Delete(bad);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var configuration = ServerProcess.ServerDll().Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(SharedData.RepositoryRoot, "examples", "AiGrpc.Examples.Cli", "bin", configuration, "net10.0", "aigrpc.dll");
        var info = new ProcessStartInfo("dotnet", [dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
