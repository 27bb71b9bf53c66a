using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiGrpc.Client;
using AiGrpc.TestKit;
using AiGrpc.TestKit.Validation;

namespace AiGrpc.EndToEndTests.Observability;

/// <summary>
/// A real Prometheus server (Debian <c>prometheus</c>) scrapes the real service on loopback; every
/// metric the alert rules use must exist as a series, so that no alert silently watches nothing.
/// </summary>
public partial class PrometheusScrapeTests
{
    private const string Key = "e2e-prometheus-key-77aa";

    private static readonly HashSet<string> PromQlWords = ["sum", "rate", "max", "min", "avg", "count", "increase", "histogram_quantile", "by", "without", "on", "ignoring", "le", "and", "or", "unless"];

    /// <summary>Metric names referenced by the expressions in k8s/monitoring/aigrpc-alerts.rules.yaml.</summary>
    public static IReadOnlyList<string> AlertMetricNames()
    {
        var rules = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "k8s/monitoring/aigrpc-alerts.rules.yaml"));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match expr in ExprBlock().Matches(rules))
        {
            // Drop label matchers, grouping clauses and numbers; what is left are functions and metric names.
            var text = Braces().Replace(expr.Groups[1].Value, " ");
            text = Grouping().Replace(text, " ");
            foreach (Match word in Identifier().Matches(text))
            {
                if (!PromQlWords.Contains(word.Value))
                {
                    names.Add(word.Value);
                }
            }
        }

        return [.. names];
    }

    [Fact]
    public void The_rule_parser_finds_every_alert_metric()
    {
        var names = AlertMetricNames();
        Assert.Contains("up", names);
        Assert.Contains("rpc_server_call_duration_seconds_count", names);
        Assert.Contains("aigrpc_llm_cost_USD_total", names);
        Assert.DoesNotContain("rpc_grpc_status_code", names);
        Assert.DoesNotContain("sum", names);
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_service_and_every_alert_series_exists()
    {
        var ct = TestContext.Current.CancellationToken;
        if (!File.Exists("/usr/bin/prometheus"))
        {
            Assert.Skip("prometheus is not installed (make deps installs the Debian package)");
        }

        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?> { ["Auth__ApiKeys__e2e"] = Key }, ct);
        using (var client = AiGrpcClientFactory.Create(server.GrpcAddress, Key))
        {
            // Histograms exist once observed: one call records rpc.server.call.duration.
            await client.Validation.ValidateXmlAsync(DteFixtures.Shared.Build(new DteSpec()), ct);
        }

        var directory = Directory.CreateTempSubdirectory("aigrpc-prometheus-");
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Combine(SharedData.RepositoryRoot, "k8s/monitoring/aigrpc-alerts.rules.yaml")}
            scrape_configs:
              - job_name: aigrpc
                metrics_path: /metrics
                static_configs:
                  - targets: ["127.0.0.1:{server.RestPort}"]
            """, ct);
        using var prometheus = Process.Start(new ProcessStartInfo("/usr/bin/prometheus",
        [
            $"--config.file={Path.Combine(directory.FullName, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var missing = AlertMetricNames().ToList();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (missing.Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000, ct);
                foreach (var name in missing.ToList())
                {
                    if (await SeriesCountAsync(http, $"{{__name__=\"{name}\",job=\"aigrpc\"}}", ct) > 0)
                    {
                        missing.Remove(name);
                    }
                }
            }

            Assert.True(missing.Count == 0, "Prometheus has no series for: " + string.Join(", ", missing));
            Assert.Equal(1, await ValueAsync(http, "up{job=\"aigrpc\"}", ct));
            Assert.Equal(0, await ValueAsync(http, "max(aigrpc_llm_circuit_open)", ct));
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync(ct);
            directory.Delete(recursive: true);
        }
    }

    private static async Task<int> SeriesCountAsync(HttpClient http, string selector, CancellationToken ct)
    {
        try
        {
            var json = await http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(selector)}", ct);
            return json.GetProperty("data").GetProperty("result").GetArrayLength();
        }
        catch (HttpRequestException)
        {
            return 0; // not up yet
        }
    }

    private static async Task<double> ValueAsync(HttpClient http, string query, CancellationToken ct)
    {
        var json = await http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}", ct);
        var result = json.GetProperty("data").GetProperty("result");
        Assert.True(result.GetArrayLength() > 0, $"no result for {query}");
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"expr:\s*(?:\|\s*\n)?((?:.|\n)*?)\n\s*(?:for|labels):")]
    private static partial Regex ExprBlock();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\b(?:by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b")]
    private static partial Regex Identifier();
}
