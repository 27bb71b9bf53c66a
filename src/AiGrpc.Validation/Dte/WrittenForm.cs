using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// The timbre's data (<c>TED/DD</c>) as the issuer wrote it. The issuer signs FRMT over the DD exactly as it appears
/// in the document, whitespace between tags removed, in ISO-8859-1: a character reference such as <c>&amp;#39;</c> in a
/// receiver's name is signed as those five characters, which no re-serialisation of the parsed element reproduces. The
/// validator remembers each DD's text next to its parsed element (for the duration of the validation: the table holds
/// the elements weakly), and the TED check verifies over it first.
/// </summary>
internal static partial class WrittenForm
{
    private static readonly ConditionalWeakTable<XmlElement, string> Dds = [];

    /// <summary>Pairs the <c>TED/DD</c> elements of <paramref name="document"/> with their text in
    /// <paramref name="text"/>, in document order; nothing is remembered when the counts differ (a DD written with a
    /// prefix or attributes), and the check then falls back to re-serialising.</summary>
    public static void Remember(XmlDocument document, string text)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("<DD>", StringComparison.Ordinal))
        {
            return;
        }

        var written = DdElements().Matches(text);
        var parsed = new List<XmlElement>(written.Count);
        foreach (XmlNode node in document.GetElementsByTagName("*"))
        {
            if (node is XmlElement { LocalName: "DD" } dd && dd.ParentNode is XmlElement { LocalName: "TED" })
            {
                parsed.Add(dd);
            }
        }

        if (parsed.Count != written.Count)
        {
            return;
        }

        for (var i = 0; i < parsed.Count; i++)
        {
            Dds.AddOrUpdate(parsed[i], BetweenTags().Replace(written[i].Value, "><"));
        }
    }

    /// <summary>The DD as written (whitespace between tags removed), or null when it is not known.</summary>
    public static string? Of(XmlElement dd) => Dds.TryGetValue(dd, out var text) ? text : null;

    /// <summary>The text of XML bytes in the encoding they declare (as the parser read them).</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            var declared = (document.FirstChild as XmlDeclaration)?.Encoding;
            var encoding = string.IsNullOrEmpty(declared) ? Encoding.UTF8 : Encoding.GetEncoding(declared);
            var preamble = encoding.Preamble;
            return encoding.GetString(bytes.StartsWith(preamble) ? bytes[preamble.Length..] : bytes);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex("<DD>.*?</DD>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex DdElements();

    [GeneratedRegex(@">\s+<", RegexOptions.CultureInvariant)]
    private static partial Regex BetweenTags();
}
