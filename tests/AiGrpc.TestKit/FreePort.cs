using System.Net;
using System.Net.Sockets;

namespace AiGrpc.TestKit;

/// <summary>Ephemeral loopback ports for processes that must be told their port up front.</summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out on 127.0.0.1 (released before return).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
