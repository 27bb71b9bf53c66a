namespace AiGrpc.Client;

/// <summary>Settings of <see cref="AiGrpcClient"/>. Bind from configuration section <c>AiGrpc</c> or set in code.</summary>
public sealed class AiGrpcClientOptions
{
    /// <summary>Default configuration section name.</summary>
    public const string SectionName = "AiGrpc";

    /// <summary>
    /// The service's gRPC address, e.g. <c>http://ai-service:50051</c> (h2c) or <c>https://...</c>.
    /// Use <c>dns:///ai-service-grpc:50051</c> with a headless Service for client-side load balancing.
    /// </summary>
    public Uri Address { get; set; } = new("http://localhost:50051");

    /// <summary>API key sent as <c>Authorization: Bearer</c> on every call. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Deadline applied to calls that do not pass their own. Default 10 s (the legacy callers' timeout).</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Attempts per call, the first included, for calls that fail with <c>UNAVAILABLE</c> (all of the
    /// service's RPCs are side-effect free, so a retry is safe). 1 disables retries. Default 3.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Send the API key over a cleartext (http://) channel. True by default because in-cluster gRPC
    /// runs as h2c behind the mesh or NetworkPolicy; set false to refuse keys on cleartext.
    /// </summary>
    public bool AllowApiKeyOverCleartext { get; set; } = true;

    /// <summary>Largest response message accepted, in bytes. Default 16 MiB.</summary>
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;
}
