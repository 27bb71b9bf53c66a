using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// XML-DSig verification with inclusive C14N done step by step: each reference's digest over the referenced element
/// canonicalised in place (every namespace declaration in scope), then the signature over SignedInfo canonicalised in
/// place. <see cref="SignedXml"/> canonicalises a prefixed <c>ds:SignedInfo</c> without the default namespace in scope
/// (an EnvioDTE declares <c>xmlns="http://www.sii.cl/SiiDte"</c> on its root), so it refuses envelope signatures that
/// xmlsec1 and the SII accept. Only what DTE signatures use is supported: inclusive C14N 1.0, the enveloped-signature
/// transform, RSA with SHA-1 or SHA-256, same-document references by a unique ID; anything else is not verified here.
/// </summary>
internal static class InclusiveSignature
{
    private const string C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    private const string Enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    /// <summary>Index of the key in <paramref name="keys"/> that verifies <paramref name="signature"/>, or -1.</summary>
    public static int Verify(XmlElement signature, IReadOnlyList<AsymmetricAlgorithm> keys)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(keys);
        try
        {
            var signedInfo = Child(signature, "SignedInfo");
            var value = Child(signature, "SignatureValue");
            if (signedInfo is null || value is null || Child(signedInfo, "CanonicalizationMethod")?.GetAttribute("Algorithm") != C14N
                || Hash(Child(signedInfo, "SignatureMethod")?.GetAttribute("Algorithm")) is not { } signatureHash)
            {
                return -1;
            }

            var references = signedInfo.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "Reference" && e.NamespaceURI == SignedXml.XmlDsigNamespaceUrl).ToList();
            if (references.Count == 0 || !references.All(r => DigestMatches(signature, r)))
            {
                return -1;
            }

            var canonical = Canonical(SignatureChecks.InContext(signedInfo));
            var signatureValue = Convert.FromBase64String(value.InnerText.Trim());
            for (var i = 0; i < keys.Count; i++)
            {
                if (keys[i] is RSA rsa && rsa.VerifyData(canonical, signatureValue, signatureHash, RSASignaturePadding.Pkcs1))
                {
                    return i;
                }
            }
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or XmlException or ArgumentException or InvalidOperationException)
        {
        }

        return -1;
    }

    private static bool DigestMatches(XmlElement signature, XmlElement reference)
    {
        var uri = reference.GetAttribute("URI");
        var transforms = Child(reference, "Transforms")?.ChildNodes.OfType<XmlElement>().Select(t => t.GetAttribute("Algorithm")).ToList() ?? [];
        if (!uri.StartsWith('#') || transforms.Any(t => t is not (C14N or Enveloped))
            || Hash(Child(reference, "DigestMethod")?.GetAttribute("Algorithm")) is not { } hash)
        {
            return false;
        }

        // The ID must name exactly one element: a second one is how signature wrapping hides a forged copy.
        var id = uri[1..];
        var targets = signature.OwnerDocument.SelectNodes($"//*[@ID='{id.Replace("'", string.Empty, StringComparison.Ordinal)}' or @Id='{id.Replace("'", string.Empty, StringComparison.Ordinal)}']");
        if (targets is not { Count: 1 } || targets[0] is not XmlElement target)
        {
            return false;
        }

        var document = SignatureChecks.InContext(target);
        if (transforms.Contains(Enveloped))
        {
            var position = target.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl).Cast<XmlElement>().ToList().IndexOf(signature);
            if (position >= 0 && document.DocumentElement!.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[position] is { } copy)
            {
                copy.ParentNode!.RemoveChild(copy);
            }
        }

#pragma warning disable CA5350 // Verifying, not producing: DTE signatures are RSA-SHA1 by the SII's own format.
        var digest = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(Canonical(document)) : SHA1.HashData(Canonical(document));
#pragma warning restore CA5350
        var expected = Convert.FromBase64String(Child(reference, "DigestValue")?.InnerText.Trim() ?? string.Empty);
        return CryptographicOperations.FixedTimeEquals(digest, expected);
    }

    private static byte[] Canonical(XmlDocument document)
    {
        var transform = new XmlDsigC14NTransform();
        transform.LoadInput(document);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static HashAlgorithmName? Hash(string? algorithm) => algorithm switch
    {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" or "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlgorithmName.SHA1,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" or "http://www.w3.org/2001/04/xmlenc#sha256" => HashAlgorithmName.SHA256,
        _ => null,
    };

    private static XmlElement? Child(XmlElement parent, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == localName && e.NamespaceURI == SignedXml.XmlDsigNamespaceUrl);
}
