using System.Diagnostics.Metrics;
using AiGrpc.Server.Analytics.SecondOpinion;
using AiGrpc.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiGrpc.UnitTests.SecondOpinion;

/// <summary>Builds the second opinion as the app registers it, pointed at a fake Anthropic server.</summary>
internal static class LlmServices
{
    public const string ApiKey = "sk-ant-test-0123456789abcdef";

    /// <summary>Settings for a fast test: short timeouts and delays, a model name unique to the test (to filter metrics).</summary>
    public static Dictionary<string, string?> Settings(FakeAnthropicServer fake, string model) => new()
    {
        ["Llm:Anthropic:ApiKey"] = ApiKey,
        ["Llm:Anthropic:BaseUrl"] = fake.BaseUrl,
        ["Llm:Anthropic:Model"] = model,
        ["Llm:TimeoutMs"] = "2000",
        ["Llm:TotalTimeoutMs"] = "5000",
        ["Llm:MaxRetries"] = "2",
        ["Llm:RetryBaseDelayMs"] = "10",
        ["Llm:RetryMaxDelayMs"] = "50",
    };

    public static ServiceProvider Build(IDictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSecondOpinion();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static async Task<HealthReportEntry> HealthAsync(IServiceProvider services)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "anthropic", TestContext.Current.CancellationToken);
        return report.Entries["anthropic"];
    }

    public static SecondOpinionRequest Request(string text = "Mantención preventiva transformador subestación Los Andes, OC 4500123") => new(
        text,
        "Servicios Eléctricos del Norte SpA",
        1_250_000m,
        "2026-03-14",
        [
            new SecondOpinionCandidate(11, "PRJ-LA-01", "Subestación Los Andes", "Codelco", 0.46),
            new SecondOpinionCandidate(12, "PRJ-LA-02", "Línea Los Andes - Saladillo", "Codelco", 0.41),
            new SecondOpinionCandidate(20, "PRJ-AN-07", "Parque Solar Antofagasta", "Enel", 0.05),
        ],
        [
            new SecondOpinionExample("Mantención transformador S/E Los Andes", 11),
            new SecondOpinionExample("Arriendo camioneta", null),
        ]);
}

/// <summary>Collects <c>aigrpc.llm.*</c> measurements of one model (tests run in parallel; each uses its own model name).</summary>
internal sealed class LlmMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    public LlmMetrics(string model)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "AiGrpc" && instrument.Name.StartsWith("aigrpc.llm.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dictionary = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                dictionary[tag.Key] = tag.Value;
            }

            if (Equals(dictionary.GetValueOrDefault("model"), model))
            {
                lock (_measurements)
                {
                    _measurements.Add((instrument.Name, value, dictionary));
                }
            }
        }

        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => OnMeasurement(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => OnMeasurement(i, v, t));
        _listener.Start();
    }

    public double Sum(string instrument, string? tag = null, string? value = null)
    {
        lock (_measurements)
        {
            return _measurements
                .Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value)))
                .Sum(m => m.Value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
