using System.Net;
using IPNetwork = System.Net.IPNetwork;

namespace AiGrpc.Server.Security;

/// <summary>
/// Where calls come from (section <c>Network</c>): which proxies may say who the client is, and which client
/// networks may call admin routes. Entries are addresses (<c>10.0.0.5</c>) or CIDR networks (<c>10.0.0.0/8</c>).
/// </summary>
public sealed class NetworkOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Network";

    /// <summary>
    /// Proxies (e.g. the Kubernetes ingress's pod network) whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>
    /// are believed, so that per-IP limits, admin lists and the audit trail see the real client. Empty (default):
    /// forwarded headers are ignored, whoever sends them, loopback included.
    /// </summary>
    public List<string> TrustedProxies { get; } = [];

    /// <summary>Client networks allowed to call admin-scoped routes (reflection, LLM costs); empty = any network.</summary>
    public List<string> AdminAllow { get; } = [];

    /// <summary>Client networks refused on admin-scoped routes, even when <see cref="AdminAllow"/> holds them.</summary>
    public List<string> AdminDeny { get; } = [];

    /// <summary>Parses an address or a CIDR network; false when it is neither.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (IPNetwork.TryParse(value, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    internal IEnumerable<string> AllEntries => TrustedProxies.Concat(AdminAllow).Concat(AdminDeny);

    internal static List<IPNetwork> Parse(IEnumerable<string> entries) =>
        [.. entries.Select(e => TryParseNetwork(e, out var n) ? n : throw new FormatException($"Not an address or CIDR network: {e}"))];

    /// <summary>True when <paramref name="client"/> may call an admin route under these lists.</summary>
    internal static bool AdminAllowed(IPAddress? client, IReadOnlyList<IPNetwork> allow, IReadOnlyList<IPNetwork> deny)
    {
        if (allow.Count == 0 && deny.Count == 0)
        {
            return true;
        }

        if (client is null)
        {
            return false;
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return !deny.Any(n => n.Contains(address)) && (allow.Count == 0 || allow.Any(n => n.Contains(address)));
    }

    /// <summary>Forwarded-header settings trusting exactly <see cref="TrustedProxies"/>.</summary>
    internal ForwardedHeadersOptions ForwardedHeaders()
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        options.KnownIPNetworks.Clear(); // the defaults trust loopback
        options.KnownProxies.Clear();
        foreach (var network in Parse(TrustedProxies))
        {
            options.KnownIPNetworks.Add(network);
        }

        return options;
    }
}
