using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// The step-by-step inclusive-C14N verification used for envelope signatures: it verifies a real envelope signature
/// (SHA-1 and SHA-256) with the right key and refuses, with -1, a wrong key, changed content, a second element with
/// the signed ID (signature wrapping), a missing or unreadable SignatureValue; a key that is not RSA is passed over.
/// </summary>
public class InclusiveSignatureTests
{
    private static readonly DteFixtures F = DteFixtures.Shared;

    private static XmlElement EnvelopeSignature(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        return document.DocumentElement!.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature");
    }

    private static string Envelope() => Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec()]));

    private static RSA SignerPublic()
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(F.SignerKey.ExportParameters(false));
        return rsa;
    }

    [Fact]
    public void An_envelope_signature_verifies_with_the_signers_key_only()
    {
        using var signer = SignerPublic();
        using var other = RSA.Create(2048);
        var signature = EnvelopeSignature(Envelope());
        Assert.Equal(0, InclusiveSignature.Verify(signature, [signer]));
        Assert.Equal(1, InclusiveSignature.Verify(signature, [other, signer]));
        Assert.Equal(-1, InclusiveSignature.Verify(signature, [other]));
        Assert.Equal(-1, InclusiveSignature.Verify(signature, []));
    }

    [Fact]
    public void A_key_that_is_not_rsa_is_passed_over()
    {
        using var signer = SignerPublic();
        using var ecdsa = ECDsa.Create();
        Assert.Equal(1, InclusiveSignature.Verify(EnvelopeSignature(Envelope()), [ecdsa, signer]));
    }

    [Fact]
    public void Changed_content_fails_its_digest()
    {
        using var signer = SignerPublic();
        var changed = Envelope().Replace("<RutReceptor>60803000-K</RutReceptor>", "<RutReceptor>96790240-3</RutReceptor>", StringComparison.Ordinal);
        Assert.Equal(-1, InclusiveSignature.Verify(EnvelopeSignature(changed), [signer]));
    }

    [Fact]
    public void A_second_element_with_the_signed_id_is_refused()
    {
        // Signature wrapping: the signed SetDTE stays as it was, a forged one with the same ID sits beside it.
        using var signer = SignerPublic();
        var xml = Envelope();
        var wrapped = xml.Replace("</SetDTE>", "</SetDTE><Extra><SetDTE ID=\"SetDoc\"><Caratula/></SetDTE></Extra>", StringComparison.Ordinal);
        Assert.NotEqual(xml, wrapped);
        Assert.Equal(-1, InclusiveSignature.Verify(EnvelopeSignature(wrapped), [signer]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no es base64 !!")]
    public void A_missing_or_unreadable_signature_value_fails(string value)
    {
        using var signer = SignerPublic();
        var xml = Envelope();
        var signatureStart = xml.LastIndexOf("<SignatureValue>", StringComparison.Ordinal);
        var signatureEnd = xml.IndexOf("</SignatureValue>", signatureStart, StringComparison.Ordinal) + "</SignatureValue>".Length;
        var replaced = xml[..signatureStart] + (value.Length == 0 ? string.Empty : $"<SignatureValue>{value}</SignatureValue>") + xml[signatureEnd..];
        Assert.Equal(-1, InclusiveSignature.Verify(EnvelopeSignature(replaced), [signer]));
    }

    [Fact]
    public void A_sha256_signature_verifies_and_fails_with_changed_content()
    {
        using var key = RSA.Create(2048);
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml("<EnvioDTE xmlns=\"http://www.sii.cl/SiiDte\"><SetDTE ID=\"SetDoc\"><Caratula>uno</Caratula></SetDTE></EnvioDTE>");
        var signed = new SignedXml(document) { SigningKey = key };
        signed.SignedInfo!.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        signed.SignedInfo.CanonicalizationMethod = SignedXml.XmlDsigC14NTransformUrl;
        signed.AddReference(new Reference("#SetDoc") { DigestMethod = SignedXml.XmlDsigSHA256Url });
        signed.ComputeSignature();
        document.DocumentElement!.AppendChild(document.ImportNode(signed.GetXml(), true));
        var xml = document.OuterXml;

        Assert.Equal(0, InclusiveSignature.Verify(EnvelopeSignature(xml), [key]));
        Assert.Equal(-1, InclusiveSignature.Verify(EnvelopeSignature(xml.Replace(">uno<", ">dos<", StringComparison.Ordinal)), [key]));
    }

    private const string TwoParts = "<EnvioDTE xmlns=\"http://www.sii.cl/SiiDte\"><SetDTE ID=\"SetDoc\"><Caratula>uno</Caratula></SetDTE><Otro ID=\"Otro\">dos</Otro></EnvioDTE>";

    /// <summary><paramref name="xml"/> signed by <see cref="SignedXml"/> (RSA-SHA256, C14N) with <paramref name="references"/>,
    /// the Signature appended to the element with ID <paramref name="inside"/> (the root if null).</summary>
    private static string SignedBy(RSA key, string xml, string? inside, params Reference[] references)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        var signed = new SignedXml(document) { SigningKey = key };
        signed.SignedInfo!.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        signed.SignedInfo.CanonicalizationMethod = SignedXml.XmlDsigC14NTransformUrl;
        foreach (var reference in references)
        {
            signed.AddReference(reference);
        }

        signed.ComputeSignature();
        var parent = inside is null ? document.DocumentElement! : (XmlElement)document.SelectSingleNode($"//*[@ID='{inside}']")!;
        parent.AppendChild(document.ImportNode(signed.GetXml(), true));
        return document.OuterXml;
    }

    private static Reference Sha256Reference(string uri, params Transform[] transforms)
    {
        var reference = new Reference(uri) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        foreach (var transform in transforms)
        {
            reference.AddTransform(transform);
        }

        return reference;
    }

    /// <summary>The first ds:Signature of <paramref name="xml"/>, wherever it is.</summary>
    private static XmlElement SignatureIn(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        return (XmlElement)document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[0]!;
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        using var signer = SignerPublic();
        Assert.Throws<ArgumentNullException>(() => InclusiveSignature.Verify(null!, [signer]));
        Assert.Throws<ArgumentNullException>(() => InclusiveSignature.Verify(EnvelopeSignature(Envelope()), null!));
    }

    [Fact]
    public void Every_reference_must_match_not_just_one()
    {
        using var key = RSA.Create(2048);
        var xml = SignedBy(key, TwoParts, null, Sha256Reference("#SetDoc"), Sha256Reference("#Otro"));
        Assert.Equal(0, InclusiveSignature.Verify(SignatureIn(xml), [key]));

        // The first reference still matches; the second one's element changed.
        Assert.Equal(-1, InclusiveSignature.Verify(SignatureIn(xml.Replace(">dos<", ">tres<", StringComparison.Ordinal)), [key]));
    }

    [Fact]
    public void A_signature_inside_the_element_it_signs_is_left_out_by_the_enveloped_transform()
    {
        using var key = RSA.Create(2048);
        var xml = SignedBy(key, TwoParts, "SetDoc", Sha256Reference("#SetDoc", new XmlDsigEnvelopedSignatureTransform(), new XmlDsigC14NTransform()));
        Assert.Contains("</Signature></SetDTE>", xml, StringComparison.Ordinal);
        Assert.Equal(0, InclusiveSignature.Verify(SignatureIn(xml), [key]));
        Assert.Equal(-1, InclusiveSignature.Verify(SignatureIn(xml.Replace(">uno<", ">dos<", StringComparison.Ordinal)), [key]));
    }

    [Fact]
    public void A_transform_other_than_inclusive_c14n_or_enveloped_is_not_verified_here()
    {
        // Exclusive C14N gives the same bytes as inclusive here (SetDTE uses the only namespace in scope), so the
        // signature is valid for SignedXml; this verifier only refuses it, as it does not implement that transform.
        using var key = RSA.Create(2048);
        var xml = SignedBy(key, TwoParts, null, Sha256Reference("#SetDoc", new XmlDsigExcC14NTransform()));
        var signature = SignatureIn(xml);
        var platform = new SignedXml(signature.OwnerDocument);
        platform.LoadXml(signature);
        Assert.True(platform.CheckSignature(key));

        Assert.Equal(-1, InclusiveSignature.Verify(signature, [key]));
    }
}
