using System.Diagnostics;
using System.Text.Json;
using AiGrpc.Server.Hosting;
using AiGrpc.TestKit;
using YamlDotNet.RepresentationModel;

namespace AiGrpc.UnitTests.Deployment;

/// <summary>
/// The manifests as <c>kubectl kustomize</c> renders them, checked against the app's own settings:
/// ports, probes, graceful termination, security context, and that no secret value is in the repo.
/// </summary>
[Collection(KubectlCollection.Name)]
public class KubernetesManifestTests
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<YamlMappingNode>> Rendered = new();

    public static TheoryData<string> Overlays => ["k8s/base", "k8s/overlays/dev", "k8s/overlays/staging", "k8s/overlays/prod"];

    public static TheoryData<string> ProductionOverlays => ["k8s/overlays/staging", "k8s/overlays/prod"];

    private static readonly ServerOptions Defaults = new();

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Container_ports_probes_and_termination_match_the_app(string overlay)
    {
        var documents = Render(overlay);
        var deployment = Single(documents, "Deployment", "aigrpc");
        var pod = Map(Map(Map(deployment, "spec"), "template"), "spec");
        var container = Seq(pod, "containers").Cast<YamlMappingNode>().Single(c => Text(c, "name") == "aigrpc");
        var ports = Seq(container, "ports").Cast<YamlMappingNode>().ToDictionary(p => Text(p, "name"), p => int.Parse(Text(p, "containerPort"), System.Globalization.CultureInfo.InvariantCulture));

        var appsettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "src/AiGrpc.Server/appsettings.json"))).RootElement.GetProperty("Server");
        Assert.Equal(Defaults.RestPort, appsettings.GetProperty("RestPort").GetInt32());
        Assert.Equal(Defaults.GrpcPort, appsettings.GetProperty("GrpcPort").GetInt32());
        Assert.Equal(Defaults.RestPort, ports["http"]);
        Assert.Equal(Defaults.GrpcPort, ports["grpc"]);

        var config = Map(Single(documents, "ConfigMap", "aigrpc-config"), "data");
        Assert.Equal(Defaults.RestPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(config, "Server__RestPort"));
        Assert.Equal(Defaults.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(config, "Server__GrpcPort"));
        Assert.Equal("0.0.0.0", Text(config, "Server__ListenAddress"));

        // Probes: HTTP ones on the REST port and a route the app maps anonymously; gRPC ones on the gRPC port.
        foreach (var probeName in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            var probe = Map(container, probeName);
            if (probe.Children.ContainsKey("httpGet"))
            {
                var get = Map(probe, "httpGet");
                Assert.Contains(Text(get, "path"), new[] { "/live", "/ready" });
                var port = Text(get, "port");
                Assert.True(port == "http" || port == Defaults.RestPort.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{probeName} port {port}");
            }
            else
            {
                Assert.Equal(Defaults.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(Map(probe, "grpc"), "port"));
            }
        }

        Assert.Equal("/ready", Text(Map(Map(container, "readinessProbe"), "httpGet"), "path"));
        Assert.Equal("/live", Text(Map(Map(container, "livenessProbe"), "httpGet"), "path"));

        // Grace period covers the preStop sleep plus the app's own shutdown timeout.
        var preStop = Seq(Map(Map(Map(container, "lifecycle"), "preStop"), "exec"), "command").Select(n => ((YamlScalarNode)n).Value).ToList();
        var sleep = int.Parse(preStop[^1]!, System.Globalization.CultureInfo.InvariantCulture);
        var grace = int.Parse(Text(pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(grace > Defaults.ShutdownTimeoutSeconds + sleep, $"grace {grace} <= {Defaults.ShutdownTimeoutSeconds} + {sleep}");

        // Non-root, read-only root with a writable /tmp.
        Assert.Equal("true", Text(Map(pod, "securityContext"), "runAsNonRoot"));
        Assert.Equal("true", Text(Map(container, "securityContext"), "readOnlyRootFilesystem"));
        Assert.Contains(Seq(container, "volumeMounts").Cast<YamlMappingNode>(), m => Text(m, "mountPath") == "/tmp");

        // Scrape annotations point at the REST port's /metrics.
        var annotations = Map(Map(Map(deployment, "spec"), "template"), "metadata");
        Assert.Equal(Defaults.RestPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(Map(annotations, "annotations"), "prometheus.io/port"));
        Assert.Equal("/metrics", Text(Map(annotations, "annotations"), "prometheus.io/path"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Services_expose_rest_on_clusterip_and_grpc_headless(string overlay)
    {
        var documents = Render(overlay);
        var rest = Map(Single(documents, "Service", "aigrpc"), "spec");
        var grpc = Map(Single(documents, "Service", "aigrpc-grpc"), "spec");
        Assert.Equal("None", Text(grpc, "clusterIP"));
        Assert.Equal("grpc", Text((YamlMappingNode)Seq(grpc, "ports")[0], "targetPort"));
        Assert.Equal(Defaults.GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Text((YamlMappingNode)Seq(grpc, "ports")[0], "port"));
        Assert.Equal("http", Text((YamlMappingNode)Seq(rest, "ports")[0], "targetPort"));
        Assert.NotNull(Single(documents, "HorizontalPodAutoscaler", "aigrpc"));
        // The PDB protects the app's pods (a policy/v1 PDB without a selector protects none).
        var pdb = Map(Single(documents, "PodDisruptionBudget", "aigrpc"), "spec");
        var podLabels = Map(Map(Map(Map(Single(documents, "Deployment", "aigrpc"), "spec"), "template"), "metadata"), "labels");
        Assert.True(pdb.Children.ContainsKey("selector") && Selects(Map(Map(pdb, "selector"), "matchLabels"), podLabels), "the PDB selects the Deployment's pods");
        var policy = Map(Single(documents, "NetworkPolicy", "aigrpc"), "spec");
        Assert.Equal("aigrpc", Text(Map(Map(policy, "podSelector"), "matchLabels"), "app.kubernetes.io/name"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void No_secret_values_in_the_manifests(string overlay)
    {
        var documents = Render(overlay);
        Assert.DoesNotContain(documents, d => Text(d, "kind") == "Secret");
        var secretish = new[] { "key", "secret", "password", "token" };
        foreach (var document in documents)
        {
            foreach (var env in AllNodes(document).OfType<YamlMappingNode>().Where(m => m.Children.ContainsKey("name") && (m.Children.ContainsKey("value") || m.Children.ContainsKey("valueFrom"))))
            {
                var name = Text(env, "name");
                if (secretish.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)))
                {
                    Assert.False(env.Children.ContainsKey("value"), $"{name} has a literal value: use secretKeyRef");
                    Assert.True(Map(env, "valueFrom").Children.ContainsKey("secretKeyRef"), $"{name} must come from a Secret");
                }
            }

            if (Text(document, "kind") == "ConfigMap")
            {
                foreach (var key in Map(document, "data").Children.Keys.Cast<YamlScalarNode>())
                {
                    Assert.False(secretish.Any(s => key.Value!.Contains(s, StringComparison.OrdinalIgnoreCase)), $"ConfigMap key {key.Value} belongs in a Secret");
                }
            }

            // Shapes of real credentials: an Anthropic key, a Redis password in a connection string.
            Assert.DoesNotContain(AllNodes(document).OfType<YamlScalarNode>(), n =>
                n.Value is { } v && (v.StartsWith("sk-", StringComparison.Ordinal) || v.Contains("password=", StringComparison.OrdinalIgnoreCase)));
        }
    }

    [Theory]
    [MemberData(nameof(ProductionOverlays))]
    public void Production_overlays_size_scale_and_disrupt_safely(string overlay)
    {
        var documents = Render(overlay);
        var deployment = Map(Single(documents, "Deployment", "aigrpc"), "spec");
        var replicas = Int(deployment, "replicas");
        var hpa = Map(Single(documents, "HorizontalPodAutoscaler", "aigrpc"), "spec");
        Assert.Equal("aigrpc", Text(Map(hpa, "scaleTargetRef"), "name"));
        // kubectl apply sets spec.replicas: at the HPA's floor it never scales the Deployment below it.
        Assert.Equal(Int(hpa, "minReplicas"), replicas);
        Assert.True(Int(hpa, "maxReplicas") > replicas, "the HPA has room to scale up");
        Assert.True(replicas >= 2, "at least two pods, so one can be disrupted");

        var container = Seq(Map(Map(deployment, "template"), "spec"), "containers").Cast<YamlMappingNode>().Single(c => Text(c, "name") == "aigrpc");
        var resources = Map(container, "resources");
        Assert.NotEmpty(Text(Map(resources, "requests"), "cpu"));
        Assert.NotEmpty(Text(Map(resources, "requests"), "memory"));
        // AiGrpcHighMemory (k8s/monitoring) is written against a 1 GiB limit.
        Assert.Equal("1Gi", Text(Map(resources, "limits"), "memory"));

        // The PDB lets a drain take a pod, and never the last one.
        var pdb = Map(Single(documents, "PodDisruptionBudget", "aigrpc"), "spec");
        if (pdb.Children.ContainsKey("maxUnavailable"))
        {
            Assert.InRange(Int(pdb, "maxUnavailable"), 1, replicas - 1);
        }
        else
        {
            Assert.InRange(Int(pdb, "minAvailable"), 1, replicas - 1);
        }
    }

    [Theory]
    [MemberData(nameof(ProductionOverlays))]
    public void Production_overlays_take_every_secret_from_the_external_secret_and_require_redis(string overlay)
    {
        var documents = Render(overlay);
        var external = Map(Single(documents, "ExternalSecret", "aigrpc-secrets"), "spec");
        Assert.Equal("aigrpc-secrets", Text(Map(external, "target"), "name"));
        var provided = Seq(external, "data").Cast<YamlMappingNode>().Select(d => Text(d, "secretKey")).ToHashSet();

        var deployments = documents.Where(d => Text(d, "kind") == "Deployment").ToList();
        Assert.NotEmpty(deployments);
        foreach (var deployment in deployments)
        {
            var env = Seq(Seq(Map(Map(Map(deployment, "spec"), "template"), "spec"), "containers").Cast<YamlMappingNode>().Single(), "env")
                .Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"));
            foreach (var (name, entry) in env)
            {
                var reference = Map(Map(entry, "valueFrom"), "secretKeyRef");
                Assert.Equal("aigrpc-secrets", Text(reference, "name"));
                Assert.True(provided.Contains(Text(reference, "key")), $"{name}: key {Text(reference, "key")} is not in the ExternalSecret");
            }

            // The shared Redis is not optional here: without it rate limits would be per pod.
            var redis = Map(Map(env["Cache__Redis"], "valueFrom"), "secretKeyRef");
            Assert.Equal("redis-connection", Text(redis, "key"));
            Assert.Equal("false", Text(redis, "optional"));
            Assert.True(env.ContainsKey("Auth__Callers__smoke__Keys__0"), "the smoke test's caller key");
        }

        var config = Map(Single(documents, "ConfigMap", "aigrpc-config"), "data");
        Assert.False(config.Children.ContainsKey("Cache__Redis"), "the Redis address comes from the Secret");
        Assert.Equal(["analytics", "validation"], [Text(config, "Auth__Callers__smoke__Scopes__0"), Text(config, "Auth__Callers__smoke__Scopes__1")]);
    }

    [Fact]
    public void Prod_canary_starts_empty_matches_the_stable_pods_and_never_overlaps_them()
    {
        var documents = Render("k8s/overlays/prod");
        var stable = Map(Single(documents, "Deployment", "aigrpc"), "spec");
        var canary = Map(Single(documents, "Deployment", "aigrpc-canary"), "spec");
        Assert.Equal(0, Int(canary, "replicas"));

        var stableSelector = Map(Map(stable, "selector"), "matchLabels");
        var canarySelector = Map(Map(canary, "selector"), "matchLabels");
        Assert.Equal("stable", Text(stableSelector, "track"));
        Assert.Equal("canary", Text(canarySelector, "track"));
        var stableLabels = Map(Map(Map(stable, "template"), "metadata"), "labels");
        var canaryLabels = Map(Map(Map(canary, "template"), "metadata"), "labels");
        Assert.False(Selects(stableSelector, canaryLabels), "the stable Deployment would own canary pods");
        Assert.False(Selects(canarySelector, stableLabels), "the canary Deployment would own stable pods");

        // Both kinds of pod get traffic from both Services, and are covered by the PDB and the NetworkPolicy.
        foreach (var service in new[] { "aigrpc", "aigrpc-grpc" })
        {
            var selector = Map(Map(Single(documents, "Service", service), "spec"), "selector");
            Assert.True(Selects(selector, stableLabels) && Selects(selector, canaryLabels), $"Service {service} selects both tracks");
        }

        Assert.True(Selects(Map(Map(Map(Single(documents, "PodDisruptionBudget", "aigrpc"), "spec"), "selector"), "matchLabels"), canaryLabels));
        Assert.True(Selects(Map(Map(Map(Single(documents, "NetworkPolicy", "aigrpc"), "spec"), "podSelector"), "matchLabels"), canaryLabels));
        Assert.DoesNotContain(documents, d => Text(d, "kind") == "HorizontalPodAutoscaler" && Text(Map(Map(d, "spec"), "scaleTargetRef"), "name") == "aigrpc-canary");

        // Same pod spec: the canary tries the new image, nothing else.
        Assert.Equal(Yaml(Map(Map(stable, "template"), "spec")), Yaml(Map(Map(canary, "template"), "spec")));
    }

    private static bool Selects(YamlMappingNode selector, YamlMappingNode labels) =>
        selector.Children.All(p => Text(labels, ((YamlScalarNode)p.Key).Value!) == ((YamlScalarNode)p.Value).Value);

    private static int Int(YamlMappingNode node, string key) => int.Parse(Text(node, key), System.Globalization.CultureInfo.InvariantCulture);

    private static string Yaml(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    // Rendered once per overlay: kubectl is a separate process, and CPU-bound neighbours (timing tests) feel it.
    private static List<YamlMappingNode> Render(string overlay) => Rendered.GetOrAdd(overlay, RenderNow);

    private static List<YamlMappingNode> RenderNow(string overlay)
    {
        var info = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(SharedData.RepositoryRoot, overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start (make deps installs it)");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {error}");
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Single(IEnumerable<YamlMappingNode> documents, string kind, string name) =>
        Assert.Single(documents, d => Text(d, "kind") == kind && Text(Map(d, "metadata"), "name") == name);

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? string.Empty : string.Empty;

    private static IEnumerable<YamlNode> AllNodes(YamlNode node) => node.AllNodes;
}

/// <summary>Runs the kubectl tests alone, not alongside the timing-sensitive tests of other classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KubectlCollection
{
    public const string Name = "kubectl";
}
