using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Hosting;

/// <summary>Kestrel endpoints and shutdown behaviour.</summary>
public static class HostingExtensions
{
    /// <summary>
    /// Two endpoints, because Kestrel does not negotiate h2c on a mixed HTTP/1.1 + HTTP/2 port
    /// without TLS: REST callers get HTTP/1.1 on <see cref="ServerOptions.RestPort"/>, gRPC callers
    /// HTTP/2 on <see cref="ServerOptions.GrpcPort"/>.
    /// </summary>
    public static WebApplicationBuilder AddServerEndpoints(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ServerOptions>()
            .BindConfiguration(ServerOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.ListenAddress, out _) || o.ListenAddress is "*" or "localhost",
                "Server:ListenAddress must be an IP address, '*' or 'localhost'.")
            .ValidateOnStart();

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = context.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0; // no WebSockets or other upgrades are served
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Listen(options.ParsedListenAddress, options.RestPort, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Listen(options.ParsedListenAddress, options.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
        });

        builder.Services.AddSingleton<IConfigureOptions<HostOptions>, ConfigureShutdownTimeout>();
        return builder;
    }

    private sealed class ConfigureShutdownTimeout(IOptions<ServerOptions> server) : IConfigureOptions<HostOptions>
    {
        public void Configure(HostOptions options) =>
            options.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.ShutdownTimeoutSeconds);
    }
}
