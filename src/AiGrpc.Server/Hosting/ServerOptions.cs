using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AiGrpc.Server.Hosting;

/// <summary>Where the service listens. Section <c>Server</c>; environment variables such as <c>Server__RestPort</c>.</summary>
public sealed class ServerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Server";

    /// <summary>Address both endpoints bind to. Loopback by default; containers set 0.0.0.0.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>HTTP/1.1 port: transcoded REST, health, metrics and OpenAPI (the port legacy callers use).</summary>
    [Range(0, 65535)]
    public int RestPort { get; set; } = 8002;

    /// <summary>HTTP/2 cleartext (h2c) port for gRPC.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 50051;

    /// <summary>How long a SIGTERM waits for in-flight calls before the process exits.</summary>
    [Range(1, 600)]
    public int ShutdownTimeoutSeconds { get; set; } = 25;

    /// <summary>Largest request message accepted, on both protocols.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Open connections allowed on both ports together; further connections are refused by Kestrel.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 2_000;

    /// <summary>Concurrent HTTP/2 streams per connection (gRPC calls in flight on one connection).</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Whether socket completions run on the socket engine's own threads rather than being handed to the thread
    /// pool (the runtime's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>, set at start; an explicit environment
    /// variable wins). Requests are still handled on the thread pool: only Kestrel's copy of the bytes into its pipes
    /// moves. Off by default: under many concurrent HTTP/1.1 connections REST answers about 18 % more calls per second,
    /// but in <c>make soak</c>'s mix of eight clients answers were slower (p50 0.94-0.99 ms against 0.86 ms) and the
    /// Redis connection came back about a second after a restart instead of 0.17 s (docs/performance.md).</summary>
    public bool InlineSocketCompletions { get; set; }

    internal IPAddress ParsedListenAddress =>
        ListenAddress is "*" or "0.0.0.0" ? IPAddress.Any
        : ListenAddress is "::" ? IPAddress.IPv6Any
        : ListenAddress is "localhost" ? IPAddress.Loopback
        : IPAddress.Parse(ListenAddress);
}
