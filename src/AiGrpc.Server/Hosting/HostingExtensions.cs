using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Hosting;

/// <summary>Kestrel endpoints and shutdown behaviour.</summary>
public static class HostingExtensions
{
    /// <summary>The runtime's switch for <see cref="ServerOptions.InlineSocketCompletions"/>.</summary>
    internal const string InlineSocketCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

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

        // Read once by the runtime when the first socket is made, which is after this and before Kestrel listens.
        var configured = builder.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        if (configured.InlineSocketCompletions && Environment.GetEnvironmentVariable(InlineSocketCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletionsVariable, "1");
        }

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

    /// <summary>
    /// Checks the options validated at start, then runs. A configuration error (no API key in production, a key too
    /// short, an unknown scope, a bad network list...) is printed as one line per failure on standard error and ends
    /// the process with exit code 2, before the host starts: no stack trace for an operator to read through.
    /// </summary>
    public static int RunOrExplain(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e) when (OwnsKestrel(app))
        {
            foreach (var failure in e.Failures)
            {
                Console.Error.WriteLine($"aigrpc: configuration error: {failure}");
            }

            return 2;
        }

        app.Run();
        return 0;
    }

    /// <summary>True when the app serves through Kestrel, i.e. runs as its own process; an in-memory test host gets the
    /// exception instead, so that the test sees what failed.</summary>
    private static bool OwnsKestrel(WebApplication app) =>
        app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.GetType().Assembly.GetName().Name == "Microsoft.AspNetCore.Server.Kestrel.Core";

    private sealed class ConfigureShutdownTimeout(IOptions<ServerOptions> server) : IConfigureOptions<HostOptions>
    {
        public void Configure(HostOptions options) =>
            options.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.ShutdownTimeoutSeconds);
    }
}
