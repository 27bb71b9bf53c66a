using System.Reflection;
using AiGrpc.Analytics.Matching;
using AiGrpc.Client;
using AiGrpc.Common;
using AiGrpc.Payroll.Rules;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Architecture;

/// <summary>
/// The rule of docs/architecture.md, read from the built assemblies: engines are plain C# (no host, transport, contracts
/// or storage), the capabilities do not import each other, the client never sees the server. References are what the
/// compiler kept (a project reference nothing uses does not count; one that is used does), followed through the
/// project's own assemblies, so an engine cannot reach the host through another library either.
/// </summary>
public class ProjectReferencesTests
{
    private static readonly Assembly Common = typeof(Rut).Assembly;

    private static readonly Assembly[] Capabilities =
        [typeof(LocalInvoiceMatcher).Assembly, typeof(DteValidator).Assembly, typeof(PayslipValidator).Assembly];

    /// <summary>What only the host may use: ASP.NET Core, gRPC, protobuf and the generated contracts, Redis, the server.</summary>
    private static readonly string[] HostOnly =
        ["Microsoft.AspNetCore.", "Grpc.", "Google.Protobuf", "Google.Api.", "StackExchange.Redis", "AiGrpc.Contracts", "AiGrpc.Server"];

    public static TheoryData<string> Engines => [.. Capabilities.Append(Common).Select(a => a.GetName().Name!)];

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_engine_references_no_host_transport_contract_or_storage(string engine)
    {
        var forbidden = Closure(Assembly.Load(engine))
            .SelectMany(a => a.GetReferencedAssemblies().Select(r => (From: a.GetName().Name, To: r.Name ?? string.Empty)))
            .Where(edge => HostOnly.Any(prefix => edge.To.StartsWith(prefix, StringComparison.Ordinal)))
            .Select(edge => $"{edge.From} -> {edge.To}");
        Assert.Empty(forbidden);
    }

    [Fact]
    public void The_capabilities_do_not_reference_each_other()
    {
        var names = Capabilities.Select(a => a.GetName().Name!).ToHashSet(StringComparer.Ordinal);
        var crossings = Capabilities.SelectMany(c => Closure(c).Skip(1)
            .Where(a => names.Contains(a.GetName().Name!)).Select(a => $"{c.GetName().Name} -> {a.GetName().Name}"));
        Assert.Empty(crossings);

        // What they may share is plain: the shared library references no project assembly at all.
        Assert.Equal([Common], Closure(Common));
        Assert.Contains(Common, Closure(typeof(LocalInvoiceMatcher).Assembly)); // the walk does see project references
    }

    [Fact]
    public void The_client_reaches_the_contracts_and_never_the_server_or_an_engine()
    {
        var reached = Closure(typeof(AiGrpcClient).Assembly).Select(a => a.GetName().Name).ToList();
        Assert.Equal(["AiGrpc.Client", "AiGrpc.Contracts"], reached.Order(StringComparer.Ordinal));
    }

    /// <summary><paramref name="root"/> first, then every project assembly (AiGrpc.*) it references, directly or not.</summary>
    private static List<Assembly> Closure(Assembly root)
    {
        var seen = new List<Assembly> { root };
        for (var i = 0; i < seen.Count; i++)
        {
            foreach (var reference in seen[i].GetReferencedAssemblies())
            {
                if (reference.Name?.StartsWith("AiGrpc.", StringComparison.Ordinal) == true && seen.All(a => a.GetName().Name != reference.Name))
                {
                    seen.Add(Assembly.Load(reference));
                }
            }
        }

        return seen;
    }
}
