using Grpc.Core;
using Grpc.Net.Client;

namespace AiGrpc.Client;

/// <summary>
/// Typed client of the AiGrpc service. Thread-safe and meant to be long-lived: create one per
/// process (or register it with <see cref="AiGrpcServiceCollectionExtensions.AddAiGrpcClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{AiGrpcClientOptions})"/>)
/// and reuse it, as it holds the HTTP/2 connection.
/// </summary>
public sealed partial class AiGrpcClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AiGrpcClientOptions _options;

    /// <summary>Creates a client with its own channel. Prefer <see cref="AiGrpcClientFactory"/> or DI.</summary>
    /// <param name="options">Address, key, deadline and retry settings.</param>
    /// <param name="handler">Optional HTTP handler (tests, proxies); the client does not dispose it.</param>
    public AiGrpcClient(AiGrpcClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _channel = AiGrpcChannel.Create(options, handler);
        Health = new AiGrpcHealthClient(_channel, this);
    }

    /// <summary>Service health: the standard gRPC health check and the detailed report.</summary>
    public AiGrpcHealthClient Health { get; }

    /// <summary>The underlying channel, for generated clients this library does not wrap.</summary>
    public ChannelBase Channel => _channel;

    /// <summary>Call options with the default deadline unless the caller's token already bounds the call.</summary>
    internal CallOptions CallOptions(CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        new(deadline: DateTime.UtcNow + (timeout ?? _options.DefaultDeadline), cancellationToken: cancellationToken);

    /// <summary>Call invoker of the shared channel; each capability's sub-client (one file each) builds on it.</summary>
    internal CallInvoker Invoker => _channel.CreateCallInvoker();

    /// <summary>Closes the channel and its connections.</summary>
    public void Dispose() => _channel.Dispose();
}
