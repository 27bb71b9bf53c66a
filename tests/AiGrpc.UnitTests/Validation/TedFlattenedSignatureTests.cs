using System.Security.Cryptography;
using System.Text;
using System.Xml;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>The TED's flattened-form signature check, each branch: the form as written, the quote-escaped fallback, and
/// a wrong signature over text that has quotes (the fallback must verify, not merely differ).</summary>
public class TedFlattenedSignatureTests
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    private static XmlElement Dd(string receiverName)
    {
        var doc = new XmlDocument();
        doc.LoadXml($"<DD><RE>76086428-5</RE><TD>33</TD><F>12</F><RR>96790240-3</RR><RSR>{receiverName}</RSR><MNT>119000</MNT></DD>");
        return doc.DocumentElement!;
    }

    private static (string Signature, RSAParameters Key) Sign(string text)
    {
        using var rsa = RSA.Create(1024);
        var signature = rsa.SignData(Latin1.GetBytes(text), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        return (Convert.ToBase64String(signature), rsa.ExportParameters(includePrivateParameters: false));
    }

    [Fact]
    public void A_signature_over_the_form_as_written_verifies()
    {
        var dd = Dd("Comercial O'Higgins Ltda");
        var (signature, key) = Sign(TedChecks.Flatten(dd));
        Assert.True(TedChecks.VerifyFlattened(dd, signature, key));
    }

    [Fact]
    public void A_signature_over_the_quote_escaped_form_verifies_through_the_fallback()
    {
        var dd = Dd("Comercial O'Higgins \"Ltda\"");
        var escaped = TedChecks.Flatten(dd, escapeQuotes: true);
        Assert.NotEqual(TedChecks.Flatten(dd), escaped);
        var (signature, key) = Sign(escaped);
        Assert.True(TedChecks.VerifyFlattened(dd, signature, key));
    }

    [Fact]
    public void A_wrong_signature_over_text_with_quotes_fails_both_forms()
    {
        // The quote-escaped form differs from the plain one here: only its signature check may make it pass.
        var dd = Dd("Comercial O'Higgins \"Ltda\"");
        var (signature, key) = Sign("<DD>otro documento</DD>");
        Assert.False(TedChecks.VerifyFlattened(dd, signature, key));
    }

    [Fact]
    public void A_signature_that_is_not_base64_fails()
    {
        var dd = Dd("Comercial Los Andes");
        var (_, key) = Sign(TedChecks.Flatten(dd));
        Assert.False(TedChecks.VerifyFlattened(dd, "no es base64 !!", key));
    }
}
