using System.Diagnostics;
using System.Reflection;

namespace AiGrpc.Server.Hosting;

/// <summary>Name, version and start time of this process, as reported by health and telemetry.</summary>
public sealed class ServiceInfo(TimeProvider time)
{
    /// <summary>Service name reported to callers and monitoring.</summary>
    public const string Name = "aigrpc-dte-intelligence";

    private readonly long _startedAt = time.GetTimestamp();

    /// <summary>Informational version of the running build.</summary>
    public static string Version { get; } =
        typeof(ServiceInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Time since the service was created (process start, for practical purposes).</summary>
    public TimeSpan Uptime => time.GetElapsedTime(_startedAt);

    /// <summary>Current UTC time from the service's clock.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Trace id of the current request, if any, for error messages and logs.</summary>
    public static string? CurrentTraceId => Activity.Current?.TraceId.ToHexString();
}
