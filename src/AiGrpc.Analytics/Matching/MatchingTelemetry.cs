using System.Diagnostics;

namespace AiGrpc.Analytics.Matching;

/// <summary>
/// The engine's own spans. The library names its source instead of borrowing the host's, so that it needs nothing
/// from the host; a host that exports traces adds <see cref="SourceName"/>. Never put RUTs, descriptions or other
/// invoice contents in a tag.
/// </summary>
public static class MatchingTelemetry
{
    /// <summary>ActivitySource name of the matching engine.</summary>
    public const string SourceName = "AiGrpc.Analytics";

    /// <summary>Source of the engine's spans (<c>analytics.index</c>).</summary>
    internal static readonly ActivitySource Source = new(SourceName);
}
