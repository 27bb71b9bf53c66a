namespace AiGrpc.Client;

/// <summary>Creates <see cref="AiGrpcClient"/> instances for callers without dependency injection.</summary>
public static class AiGrpcClientFactory
{
    /// <summary>Creates a client for <paramref name="address"/> with an API key and default settings.</summary>
    /// <param name="address">gRPC address, e.g. <c>http://localhost:50051</c>.</param>
    /// <param name="apiKey">API key, or null for a server in development mode.</param>
    public static AiGrpcClient Create(Uri address, string? apiKey) =>
        Create(new AiGrpcClientOptions { Address = address, ApiKey = apiKey });

    /// <summary>Creates a client from options. Keep and reuse it; it owns a connection.</summary>
    /// <param name="options">Client settings.</param>
    /// <param name="handler">Optional HTTP handler (tests, proxies); not disposed by the client.</param>
    public static AiGrpcClient Create(AiGrpcClientOptions options, HttpMessageHandler? handler = null) =>
        new(options, handler);
}
