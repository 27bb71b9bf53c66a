using System.Diagnostics;
using System.Net.Sockets;

namespace AiGrpc.TestKit;

/// <summary>
/// A real <c>redis-server</c> process on 127.0.0.1 and an ephemeral port, with no persistence.
/// Tests skip (saying why) when redis-server is not installed; <c>make test</c> installs it.
/// Can be stopped and started again on the same port to test outages.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    /// <summary>Port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,syncTimeout=1000";

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server; skips the test when redis-server is missing.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        Assert.SkipUnless(Executable is not null, "redis-server is not installed (make test installs it with apt-get).");
        var server = new RedisServer(FreePort.Next());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Path of redis-server, or null.</summary>
    public static string? Executable { get; } = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server" }.FirstOrDefault(File.Exists);

    /// <summary>Starts (again) on the same port and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process?.Dispose();
        var info = new ProcessStartInfo(Executable!, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        throw new TimeoutException($"redis-server did not listen on {Port}");
    }

    /// <summary>Kills the server (an outage); <see cref="RestartAsync"/> brings it back.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
