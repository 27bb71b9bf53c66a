using System.Text;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="SafeXml"/> on its own: the size limit on both sides of it, no DTD, the text kept exactly as received
/// (signatures are computed over whitespace and comments), and each load error with its code and the facts it states.
/// </summary>
public class SafeXmlTests
{
    private const string Small = "<r>abc</r>"; // 10 characters, 10 bytes

    [Fact]
    public void A_document_exactly_at_the_limit_is_read_and_one_byte_more_is_too_large()
    {
        Assert.NotNull(SafeXml.Load(Small, 10).Document);
        Assert.NotNull(SafeXml.Load(Encoding.UTF8.GetBytes(Small), 10).Document);

        var (document, error) = SafeXml.Load(Small, 9);
        Assert.Null(document);
        Assert.Equal(new XmlLoadError("XML_TOO_LARGE", "El documento tiene 10 bytes y el máximo aceptado es 9."), error);

        var (bytesDocument, bytesError) = SafeXml.Load(Encoding.UTF8.GetBytes(Small), 9);
        Assert.Null(bytesDocument);
        Assert.Equal(new XmlLoadError("XML_TOO_LARGE", "El documento tiene 10 bytes y el máximo aceptado es 9."), bytesError);
    }

    [Fact]
    public void Whitespace_and_comments_are_kept_as_received()
    {
        const string xml = "<r>\n  <a> x </a>\n  <!-- firmado -->\n</r>";
        var (document, error) = SafeXml.Load(xml, 1000);
        Assert.Null(error);
        Assert.Equal(xml, document!.OuterXml);
        Assert.True(document.PreserveWhitespace);

        var (fromBytes, _) = SafeXml.Load(Encoding.UTF8.GetBytes(xml), 1000);
        Assert.Equal(xml, fromBytes!.OuterXml);
    }

    [Theory]
    [InlineData("<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>")]
    [InlineData("<!DOCTYPE r><r/>")]
    public void A_dtd_is_refused_with_its_reason(string xml)
    {
        var (document, error) = SafeXml.Load(xml, 1000);
        Assert.Null(document);
        Assert.Equal(new XmlLoadError("XML_DTD_FORBIDDEN", "El XML declara un DTD (<!DOCTYPE>); por seguridad no se aceptan DTD ni entidades."), error);
        Assert.Equal("XML_DTD_FORBIDDEN", SafeXml.Load(Encoding.UTF8.GetBytes(xml), 1000).Error?.Code);
    }

    [Fact]
    public void Malformed_xml_names_the_line_and_position()
    {
        var (document, error) = SafeXml.Load("<r>\n<a></b>\n</r>", 1000);
        Assert.Null(document);
        Assert.Equal("XML_MALFORMED", error!.Code);
        Assert.Equal("El XML no está bien formado (línea 2, posición 6).", error.Message);
    }

    [Fact]
    public void The_declared_encoding_decides_how_bytes_are_read()
    {
        SafeXml.EnsureEncodings();
        var latin1 = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>Ñandú</r>");
        Assert.Equal("Ñandú", SafeXml.Load(latin1, 1000).Document!.DocumentElement!.InnerText);

        var cp1252 = Encoding.GetEncoding(1252).GetBytes("<?xml version=\"1.0\" encoding=\"windows-1252\"?><r>€ 5</r>");
        Assert.Equal("€ 5", SafeXml.Load(cp1252, 1000).Document!.DocumentElement!.InnerText);
    }

    [Theory]
    [InlineData("x-no-such-encoding")]
    [InlineData("utf-7")] // known to .NET but disabled
    public void An_encoding_that_cannot_be_read_is_unsupported(string encoding)
    {
        var bytes = Encoding.ASCII.GetBytes($"<?xml version=\"1.0\" encoding=\"{encoding}\"?><r/>");
        var (document, error) = SafeXml.Load(bytes, 1000);
        Assert.Null(document);
        Assert.Equal(new XmlLoadError("XML_ENCODING_UNSUPPORTED", "La codificación declarada en el XML no es soportada."), error);

        // A string is already decoded: its declaration's encoding is not read.
        Assert.Equal("r", SafeXml.Load(Encoding.ASCII.GetString(bytes), 1000).Document!.DocumentElement!.Name);
    }

    [Fact]
    public void Bytes_invalid_in_the_declared_encoding_are_malformed_with_their_position()
    {
        // XmlReader reports bytes that do not decode as an XmlException of its own (no inner exception): a document
        // in a supported encoding that it cannot read is malformed, naming where reading stopped.
        byte[] invalid = [.. Encoding.ASCII.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>"), 0xC3, 0x28, 0xFF, .. Encoding.ASCII.GetBytes("</r>")];
        var (document, error) = SafeXml.Load(invalid, 1000);
        Assert.Null(document);
        Assert.Equal(new XmlLoadError("XML_MALFORMED", "El XML no está bien formado (línea 1, posición 42)."), error);
    }

    [Fact]
    public void A_document_exactly_at_the_limit_with_a_declared_single_byte_encoding_is_read()
    {
        // The reader's own character limit is the same number as the byte limit: a Latin-1 document decodes to as many
        // characters as it has bytes, so the reader's limit is never the one that refuses it.
        var latin1 = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>Ñandú</r>");
        Assert.Equal("Ñandú", SafeXml.Load(latin1, latin1.Length).Document!.DocumentElement!.InnerText);
        Assert.Equal("XML_TOO_LARGE", SafeXml.Load(latin1, latin1.Length - 1).Error!.Code);
    }

    [Fact]
    public void A_null_string_is_an_argument_error() =>
        Assert.Throws<ArgumentNullException>(() => SafeXml.Load((string)null!, 10));
}
