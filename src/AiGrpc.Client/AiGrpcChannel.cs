using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace AiGrpc.Client;

/// <summary>Builds the one <see cref="GrpcChannel"/> a client shares for all its calls.</summary>
internal static class AiGrpcChannel
{
    public static GrpcChannel Create(AiGrpcClientOptions options, HttpMessageHandler? handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.DefaultDeadline, TimeSpan.Zero);

        var channelOptions = new GrpcChannelOptions
        {
            // As grpc-dotnet recommends for long-lived channels: keep connections warm, open more
            // HTTP/2 connections when one reaches its stream limit.
            HttpHandler = handler ?? new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                EnableMultipleHttp2Connections = true,
            },
            DisposeHttpClient = handler is null,
            MaxReceiveMessageSize = options.MaxReceiveMessageBytes,
            ServiceConfig = RetryOnUnavailable(options.MaxAttempts),
            UnsafeUseInsecureChannelCallCredentials = options.AllowApiKeyOverCleartext,
        };

        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            var bearer = "Bearer " + options.ApiKey;
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", bearer);
                return Task.CompletedTask;
            });
            channelOptions.Credentials = options.Address.Scheme == Uri.UriSchemeHttps
                ? ChannelCredentials.Create(new SslCredentials(), credentials)
                : ChannelCredentials.Create(ChannelCredentials.Insecure, credentials);
        }

        return GrpcChannel.ForAddress(options.Address, channelOptions);
    }

    private static ServiceConfig? RetryOnUnavailable(int maxAttempts)
    {
        if (maxAttempts <= 1)
        {
            return null;
        }

        return new ServiceConfig
        {
            MethodConfigs =
            {
                new MethodConfig
                {
                    Names = { MethodName.Default },
                    RetryPolicy = new RetryPolicy
                    {
                        MaxAttempts = maxAttempts,
                        InitialBackoff = TimeSpan.FromMilliseconds(200),
                        MaxBackoff = TimeSpan.FromSeconds(2),
                        BackoffMultiplier = 2,
                        RetryableStatusCodes = { StatusCode.Unavailable },
                    },
                },
            },
        };
    }
}
