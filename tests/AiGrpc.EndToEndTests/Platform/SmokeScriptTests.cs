using System.Diagnostics;
using AiGrpc.TestKit;

namespace AiGrpc.EndToEndTests.Platform;

/// <summary>
/// <c>scripts/smoke.sh</c>, the smoke test that <c>scripts/deploy.sh</c> runs after each rollout, run as the
/// deploy runs it against the real server: it passes on a healthy service and names what failed otherwise.
/// </summary>
public class SmokeScriptTests
{
    private const string Key = "smoke-e2e-key-4f1c0d";

    [Fact]
    public async Task Passes_against_the_real_server_with_the_smoke_callers_key_and_fails_without_it()
    {
        // The smoke caller as the staging and prod overlays configure it: its own key, two scopes.
        await using var server = await ServerProcess.StartAsync(
            new Dictionary<string, string?>
            {
                ["Auth__Callers__smoke__Keys__0"] = Key,
                ["Auth__Callers__smoke__Scopes__0"] = "analytics",
                ["Auth__Callers__smoke__Scopes__1"] = "validation",
            },
            TestContext.Current.CancellationToken);

        var passed = await RunAsync(server.RestAddress.ToString().TrimEnd('/'), $"127.0.0.1:{server.GrpcPort}", Key);
        Assert.True(passed.ExitCode == 0, passed.Output);
        Assert.Contains("smoke: ok: gRPC health SERVING", passed.Output, StringComparison.Ordinal);
        Assert.Contains("smoke: ok: authenticated match (project 31), 401 without the key", passed.Output, StringComparison.Ordinal);
        Assert.Contains("smoke: ok: validation VERDICT_ACCEPT", passed.Output, StringComparison.Ordinal);
        Assert.Contains("smoke: passed", passed.Output, StringComparison.Ordinal);

        var refused = await RunAsync(server.RestAddress.ToString().TrimEnd('/'), $"127.0.0.1:{server.GrpcPort}", "not-the-smoke-key-0000");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("smoke: FAIL: match: HTTP 401", refused.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("smoke: passed", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_when_nothing_answers_readiness_in_time()
    {
        var rest = FreePort.Next();
        var grpc = FreePort.Next();
        var result = await RunAsync($"http://127.0.0.1:{rest}", $"127.0.0.1:{grpc}", Key, wait: 2);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/ready did not answer 200 within 2s", result.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string rest, string grpc, string key, int wait = 20)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(SharedData.RepositoryRoot, "scripts", "smoke.sh"), rest, grpc])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["SMOKE_API_KEY"] = key;
        info.Environment["SMOKE_WAIT"] = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
