using System.Diagnostics;
using AiGrpc.TestKit;

namespace AiGrpc.EndToEndTests.Platform;

/// <summary>The README's gRPC commands, run as written against the real server.</summary>
public class ExampleCliTests
{
    private const string Key = "cli-key-7f3a";

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
