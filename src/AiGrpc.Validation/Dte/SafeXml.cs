using System.Text;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>Why an input could not be read as XML. Maps to a finding, never to an exception for the caller.</summary>
/// <param name="Code">Stable finding code (<c>XML_DTD_FORBIDDEN</c>, <c>XML_TOO_LARGE</c>, <c>XML_MALFORMED</c>, <c>XML_ENCODING_UNSUPPORTED</c>).</param>
/// <param name="Message">Spanish explanation.</param>
public sealed record XmlLoadError(string Code, string Message);

/// <summary>
/// Loads untrusted XML safely: no DTD (so no entity expansion, billion laughs or XXE), no resolver,
/// a size cap, and the encoding the document declares (ISO-8859-1 and windows-1252 are the norm for DTEs).
/// Whitespace is preserved because XML signatures are computed over it.
/// </summary>
public static class SafeXml
{
    static SafeXml() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Makes sure code-page encodings (windows-1252) are registered.</summary>
    public static void EnsureEncodings()
    {
        // The static constructor does the work.
    }

    private static XmlReaderSettings Settings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        // A second guard only: Load checks the same limit on the byte or character count first, and no encoding
        // decodes to more characters than it has bytes, so the reader never reaches it.
        MaxCharactersInDocument = maxCharacters,
        IgnoreWhitespace = false,
        IgnoreComments = false,
        CloseInput = false,
    };

    /// <summary>Loads bytes as received; the XML declaration (or BOM) decides the encoding.</summary>
    public static (XmlDocument? Document, XmlLoadError? Error) Load(ReadOnlyMemory<byte> bytes, long maxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            return (null, TooLarge(bytes.Length, maxBytes));
        }

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return Load(() => XmlReader.Create(stream, Settings(maxBytes)));
    }

    /// <summary>Loads an already decoded string (its XML declaration's encoding is ignored).</summary>
    public static (XmlDocument? Document, XmlLoadError? Error) Load(string xml, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > maxBytes)
        {
            return (null, TooLarge(xml.Length, maxBytes));
        }

        using var text = new StringReader(xml);
        return Load(() => XmlReader.Create(text, Settings(maxBytes)));
    }

    private static XmlLoadError TooLarge(long size, long max) =>
        new("XML_TOO_LARGE", $"El documento tiene {size} bytes y el máximo aceptado es {max}.");

    private static (XmlDocument?, XmlLoadError?) Load(Func<XmlReader> create)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = create();
            document.Load(reader);
            return (document, null);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new XmlLoadError("XML_DTD_FORBIDDEN", "El XML declara un DTD (<!DOCTYPE>); por seguridad no se aceptan DTD ni entidades."));
        }
        catch (XmlException ex) when (ex.InnerException is ArgumentException or NotSupportedException)
        {
            // XmlReader wraps the refusal of an encoding it cannot get (an unknown name, or UTF-7, which .NET disables).
            return (null, new XmlLoadError("XML_ENCODING_UNSUPPORTED", "La codificación declarada en el XML no es soportada."));
        }
        catch (XmlException ex)
        {
            return (null, new XmlLoadError("XML_MALFORMED", $"El XML no está bien formado (línea {ex.LineNumber}, posición {ex.LinePosition})."));
        }
    }
}
