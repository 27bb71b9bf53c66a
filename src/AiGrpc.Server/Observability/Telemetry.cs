using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AiGrpc.Server.Observability;

/// <summary>
/// The service's own spans and metrics (name <c>AiGrpc</c>). Services start spans with <see cref="Source"/> and
/// record through the methods below, so that metric names and label sets live in one place and the alert rules can
/// rely on them; the engines, plain libraries, start theirs on their own sources (<c>AiGrpc.Analytics</c>,
/// <c>AiGrpc.Validation</c>) and their results are counted here. Never put secrets, raw RUTs, descriptions or
/// document contents in a tag.
/// </summary>
public static class Telemetry
{
    /// <summary>ActivitySource and Meter name.</summary>
    public const string Name = "AiGrpc";

    /// <summary>Source of the service's own spans (match, cache, LLM); listened to only when traces are exported.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Matches = Meter.CreateCounter<long>(
        "aigrpc.analytics.matches", "{match}", "Invoice matches answered, by engine (local, llm, cache) and outcome (matched, abstained).");

    private static readonly Histogram<double> MatchConfidence = Meter.CreateHistogram<double>(
        "aigrpc.analytics.confidence", "1", "Confidence (0-1) of answered matches, by engine.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0] });

    private static readonly Counter<long> Validations = Meter.CreateCounter<long>(
        "aigrpc.validation.documents", "{document}", "DTEs validated, by verdict (accept, review, reject) and DTE type.");

    private static readonly Counter<long> Findings = Meter.CreateCounter<long>(
        "aigrpc.validation.findings", "{finding}", "Validation findings, by code and severity.");

    private static readonly Counter<long> LlmTokens = Meter.CreateCounter<long>(
        "aigrpc.llm.tokens", "{token}", "LLM tokens used, by model, operation and direction (input, output).");

    private static readonly Counter<double> LlmCost = Meter.CreateCounter<double>(
        "aigrpc.llm.cost", "USD", "Estimated LLM cost in US dollars, by model and operation.");

    private static readonly Counter<long> LlmCalls = Meter.CreateCounter<long>(
        "aigrpc.llm.calls", "{call}", "LLM second-opinion calls, by outcome (ok, invalid_answer, failed, rejected_by_breaker, timeout).");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "aigrpc.cache.lookups", "{lookup}", "Response cache lookups, by backend (redis, memory) and result (hit, miss, error).");

    private static readonly Histogram<double> RpcDuration = Meter.CreateHistogram<double>(
        "rpc.server.call.duration", "s", "Duration of gRPC calls (native and transcoded REST), by service, method and final gRPC status code.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });

    private static int _circuitOpen;

    static Telemetry()
    {
        Meter.CreateObservableGauge("aigrpc.llm.circuit_open", () => Volatile.Read(ref _circuitOpen), "1",
            "1 while the LLM circuit breaker is open (calls are not attempted), else 0.");
    }

    /// <summary>Records one answered match.</summary>
    public static void RecordMatch(string engine, bool matched, double confidence)
    {
        var engineTag = new KeyValuePair<string, object?>("engine", engine);
        Matches.Add(1, engineTag, new("outcome", matched ? "matched" : "abstained"));
        MatchConfidence.Record(confidence, engineTag);
    }

    /// <summary>Records one validated document and its finding codes.</summary>
    public static void RecordValidation(string verdict, int dteType, IEnumerable<(string Code, string Severity)> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Validations.Add(1, new("verdict", verdict), new("dte_type", dteType));
        foreach (var (code, severity) in findings)
        {
            Findings.Add(1, new("code", code), new("severity", severity));
        }
    }

    /// <summary>Records an LLM call's outcome, tokens and estimated cost.</summary>
    public static void RecordLlmCall(string model, string operation, string outcome, long inputTokens, long outputTokens, double costUsd)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        var operationTag = new KeyValuePair<string, object?>("operation", operation);
        LlmCalls.Add(1, modelTag, operationTag, new("outcome", outcome));
        if (inputTokens > 0)
        {
            LlmTokens.Add(inputTokens, modelTag, operationTag, new("direction", "input"));
        }

        if (outputTokens > 0)
        {
            LlmTokens.Add(outputTokens, modelTag, operationTag, new("direction", "output"));
        }

        if (costUsd > 0)
        {
            LlmCost.Add(costUsd, modelTag, operationTag);
        }
    }

    /// <summary>Records a cache lookup.</summary>
    public static void RecordCacheLookup(string backend, string result) =>
        CacheLookups.Add(1, new("backend", backend), new("result", result));

    /// <summary>Records one finished gRPC call; <paramref name="method"/> is <c>/package.Service/Method</c>.</summary>
    public static void RecordRpc(string method, Grpc.Core.StatusCode status, double seconds)
    {
        ArgumentNullException.ThrowIfNull(method);
        var slash = method.LastIndexOf('/');
        var service = slash > 0 ? method[1..slash] : method;
        var name = slash >= 0 ? method[(slash + 1)..] : method;
        RpcDuration.Record(seconds,
            new("rpc.system", "grpc"), new("rpc.service", service), new("rpc.method", name),
            new("rpc.grpc.status_code", (int)status));
    }

    /// <summary>
    /// Publishes a zero for the counters the alert rules use, so that their series exist from the
    /// first scrape (an alert on a series that does not exist yet never fires and cannot be checked).
    /// </summary>
    public static void PrimeAlertSeries()
    {
        LlmCost.Add(0);
        LlmCalls.Add(0);
        Matches.Add(0);
        Validations.Add(0);
    }

    /// <summary>Sets the LLM circuit breaker state for the gauge.</summary>
    public static void SetCircuitOpen(bool open) => Volatile.Write(ref _circuitOpen, open ? 1 : 0);
}
