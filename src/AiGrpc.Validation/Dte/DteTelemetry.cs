using System.Diagnostics;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// The engine's own spans (<c>validation.document</c>, <c>validation.&lt;group&gt;</c>, <c>validation.schema</c>...). The
/// library names its source instead of borrowing the host's, so that it needs nothing from the host; a host that exports
/// traces adds <see cref="SourceName"/>. Its metrics are the host's to count from the reports. Never put RUTs, names or
/// document contents in a tag.
/// </summary>
public static class DteTelemetry
{
    /// <summary>ActivitySource name of the DTE validation engine.</summary>
    public const string SourceName = "AiGrpc.Validation";

    /// <summary>Source of the engine's spans.</summary>
    internal static readonly ActivitySource Source = new(SourceName);
}
