using System.Text;
using System.Xml;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="WrittenForm"/>: each TED/DD remembered as written (whitespace between tags removed, nothing else
/// changed), nothing remembered when the written and parsed DDs cannot be paired, and the bytes decoded in the
/// encoding the document declares.
/// </summary>
public class WrittenFormTests
{
    private static XmlDocument Load(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        return document;
    }

    private static List<XmlElement> Dds(XmlDocument document) =>
        [.. document.GetElementsByTagName("DD").OfType<XmlElement>()];

    [Fact]
    public void Each_dd_is_remembered_as_written_without_the_whitespace_between_tags()
    {
        const string xml = "<DTE><TED><DD>\n  <RE>1-9</RE>\n  <RSR>A &#39;B&#39;  C</RSR>\n</DD></TED><TED><DD><F>2</F></DD></TED></DTE>";
        var document = Load(xml);
        WrittenForm.Remember(document, xml);
        var dds = Dds(document);
        Assert.Equal("<DD><RE>1-9</RE><RSR>A &#39;B&#39;  C</RSR></DD>", WrittenForm.Of(dds[0]));
        Assert.Equal("<DD><F>2</F></DD>", WrittenForm.Of(dds[1]));
    }

    [Fact]
    public void Nothing_is_remembered_when_the_written_and_parsed_dds_cannot_be_paired()
    {
        // A DD outside a TED is not a timbre's: the text has two, the document one timbre.
        const string other = "<DTE><X><DD><A>1</A></DD></X><TED><DD><B>2</B></DD></TED></DTE>";
        var document = Load(other);
        WrittenForm.Remember(document, other);
        Assert.All(Dds(document), dd => Assert.Null(WrittenForm.Of(dd)));

        // A DD written with a prefix is not found in the text.
        const string prefixed = "<DTE xmlns:s=\"urn:s\"><TED><s:DD><A>1</A></s:DD></TED></DTE>";
        var withPrefix = Load(prefixed);
        WrittenForm.Remember(withPrefix, prefixed);
        Assert.Null(WrittenForm.Of((XmlElement)withPrefix.DocumentElement!.FirstChild!.FirstChild!));

        // A text without <DD> at all.
        var document3 = Load("<DTE><TED><DD/></TED></DTE>");
        WrittenForm.Remember(document3, "<DTE><TED><DD/></TED></DTE>");
        Assert.Null(WrittenForm.Of(Dds(document3)[0]));
    }

    [Fact]
    public void Only_the_dd_of_a_ted_is_paired()
    {
        const string xml = "<DTE><TED><DD><B>2</B></DD></TED></DTE>";
        var document = Load(xml);
        WrittenForm.Remember(document, xml);
        Assert.Equal("<DD><B>2</B></DD>", WrittenForm.Of(Dds(document)[0]));
        Assert.Throws<ArgumentNullException>(() => WrittenForm.Remember(null!, xml));
        Assert.Throws<ArgumentNullException>(() => WrittenForm.Remember(document, null!));
    }

    [Fact]
    public void Bytes_are_decoded_in_the_declared_encoding_without_their_bom()
    {
        SafeXml.EnsureEncodings();
        const string latin = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>Ñandú</r>";
        Assert.Equal(latin, WrittenForm.Decode(Encoding.Latin1.GetBytes(latin), SafeXml.Load(Encoding.Latin1.GetBytes(latin), 1000).Document!));

        const string plain = "<r>Ñandú</r>";
        byte[] withBom = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(plain)];
        Assert.Equal(plain, WrittenForm.Decode(withBom, Load(plain)));
        Assert.Equal(plain, WrittenForm.Decode(Encoding.UTF8.GetBytes(plain), Load(plain)));
    }

    [Fact]
    public void An_unknown_declared_encoding_gives_no_text()
    {
        var document = Load("<?xml version=\"1.0\" encoding=\"x-no-such-encoding\"?><r/>");
        Assert.Null(WrittenForm.Decode("<r/>"u8, document));
        Assert.Throws<ArgumentNullException>(() => WrittenForm.Decode("<r/>"u8, null!));
    }
}
