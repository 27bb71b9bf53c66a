using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AiGrpc.TestKit;

/// <summary>
/// The real built server (<c>src/AiGrpc.Server</c>) as a child process on loopback ephemeral ports,
/// for end-to-end tests. Configuration is passed as environment variables, as in production.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, int restPort, int grpcPort)
    {
        _process = process;
        RestPort = restPort;
        GrpcPort = grpcPort;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
    }

    /// <summary>HTTP/1.1 port (REST, health, metrics).</summary>
    public int RestPort { get; }

    /// <summary>h2c port (gRPC).</summary>
    public int GrpcPort { get; }

    /// <summary>Base address of the REST port.</summary>
    public Uri RestAddress => new($"http://127.0.0.1:{RestPort}");

    /// <summary>Address of the gRPC port.</summary>
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    /// <summary>Everything the process wrote so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the server and waits until <c>/live</c> answers.</summary>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var dll = ServerDll();
        var restPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Server__ListenAddress"] = "127.0.0.1";
        info.Environment["Server__RestPort"] = restPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Server__GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Logging__Console__FormatterName"] = "simple";
        // Explicit and high, so that no test reaches a limit by accident; rate-limit tests pass low ones.
        foreach (var limit in (string[])["RateLimits__PerCaller__PerMinute", "RateLimits__PerCaller__PerHour", "RateLimits__PerIp__PerMinute", "RateLimits__PerIp__PerHour"])
        {
            info.Environment[limit] = "1000000";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, restPort, grpcPort);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilLiveAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return server;
    }

    /// <summary>Working set of the server process in bytes (refreshed on each read).</summary>
    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>Process id.</summary>
    public int Id => _process.Id;

    /// <summary>Time from process start to the first successful <c>/live</c>, measured by <see cref="StartAsync"/>.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Sends SIGTERM, as Kubernetes does when it stops a pod.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(15)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilLiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Server exited with {_process.ExitCode} before it was live:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(RestAddress, "/live"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    StartupTime = started.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"Server not live after {timeout}:\n{Output}");
    }

    /// <summary>Path of the built server assembly, in the same configuration as the tests.</summary>
    public static string ServerDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(SharedData.RepositoryRoot, "src", "AiGrpc.Server", "bin", configuration, "net10.0", "AiGrpc.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the server first (dotnet build AiGrpc.slnx).", dll);
    }

    // libc comes from the system's library paths only, never from the application folder (CA5392).
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    private static partial int Kill(int pid, int signal);
}
