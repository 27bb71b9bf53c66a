using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// XML-DSig of a DTE or an envelope with <see cref="SignedXml"/>. Real documents were signed in
/// different namespace states, so the signature is verified as received first and then on re-rooted
/// copies (the DTE alone in a new document, with its namespace as is, then toggled); the variant that
/// verified is reported.
/// </summary>
internal static class SignatureChecks
{
    /// <summary>OID of the RUT in the subjectAltName otherName of Chilean signature certificates.</summary>
    public const string RutOid = "1.3.6.1.4.1.8321.1";

    public static void Run(CheckContext c)
    {
        var d = c.Document;
        if (d.Signature is null || d.Element is null)
        {
            c.Error("SIGNATURE_MISSING", "DTE/Signature", "El DTE no tiene firma electrónica (XML-DSig).");
            return;
        }

        c.Signature = Verify(c.Findings, d.Element, d.Signature, d.ContentId, "DTE/Signature", rerootVariants: true);
    }

    /// <summary>Verifies <paramref name="signature"/> (a child of <paramref name="signedRoot"/>) and adds findings.</summary>
    public static SignatureOutcome Verify(List<Finding> findings, XmlElement signedRoot, XmlElement signature, string? expectedId, string path, bool rerootVariants)
    {
        var referenceUri = signature.GetElementsByTagName("Reference", DteDocument.DsigNamespace).OfType<XmlElement>().FirstOrDefault()?.GetAttribute("URI");
        if (expectedId is not null && referenceUri != "#" + expectedId)
        {
            findings.Add(new Finding("SIGNATURE_REFERENCE_MISMATCH", FindingSeverity.Error, path + "/SignedInfo/Reference",
                "La firma no referencia el contenido firmado del documento.", "#" + expectedId, referenceUri));
            return new SignatureOutcome(false, null, null, null);
        }

        var index = IndexOfSignature(signedRoot, signature);
        var embedded = !ReferenceEquals(signedRoot, signedRoot.OwnerDocument.DocumentElement);

        // As received. A DTE inside an envelope is checked on a copy that carries every namespace declaration
        // in scope at its place: the same inclusive-C14N bytes as in place, without SignedXml re-serialising
        // the whole envelope for each DTE.
        var first = embedded ? (XmlElement?)InContext(signedRoot).DocumentElement!.GetElementsByTagName("Signature", DteDocument.DsigNamespace)[index] : signature;
        var signed = first is null ? null : Load(first);
        var keys = ReadKeys(signed, signature, findings, path, out var subject, out var signerRut, out var keyValueDiffers);
        if (keys.Count == 0)
        {
            findings.Add(new Finding("SIGNATURE_KEY_MISSING", FindingSeverity.Error, path + "/KeyInfo",
                "La firma no incluye un certificado ni una llave pública legibles con que verificarla."));
            return new SignatureOutcome(false, null, subject, signerRut);
        }

        string? variant = null;
        var usedKey = -1;
        if (signed is not null && (usedKey = Check(signed, keys)) >= 0)
        {
            variant = "as-received";
        }
        else if (rerootVariants && index >= 0)
        {
            var hasNamespace = signedRoot.NamespaceURI == DteDocument.SiiNamespace;
            if ((usedKey = Check(Reroot(signedRoot, null), index, keys)) >= 0)
            {
                variant = "re-rooted";
            }
            else if ((usedKey = Check(Reroot(signedRoot, hasNamespace ? string.Empty : DteDocument.SiiNamespace), index, keys)) >= 0)
            {
                variant = hasNamespace ? "re-rooted-without-namespace" : "re-rooted-with-sii-namespace";
            }
        }

        if (variant is null && (usedKey = InclusiveSignature.Verify(signature, keys)) >= 0)
        {
            variant = "in-context";
        }

        // A DTE in an envelope inherits the envelope's xmlns although it was signed alone, so verifying it
        // without the namespace is legitimate. A standalone DTE that itself declares xmlns but verifies only
        // without it had the namespace added after signing (the "cleaned" copies in EXPECTATIONS.csv): the
        // document as received is not the one that was signed.
        if (variant == "re-rooted-without-namespace" && !embedded)
        {
            findings.Add(new Finding("SIGNATURE_INVALID", FindingSeverity.Error, path,
                "La firma electrónica no es válida para el documento recibido: solo verifica quitando el espacio de nombres del DTE, es decir, el documento fue modificado (se le agregó xmlns) después de firmarse.",
                "firma válida", variant));
            return new SignatureOutcome(false, null, subject, signerRut);
        }

        if (variant is null)
        {
            findings.Add(new Finding("SIGNATURE_INVALID", FindingSeverity.Error, path,
                "La firma electrónica no es válida: el contenido firmado fue modificado después de firmar, o la firma no corresponde a la llave incluida.",
                "firma válida", "firma inválida"));
            return new SignatureOutcome(false, null, subject, signerRut);
        }

        if (keyValueDiffers)
        {
            findings.Add(usedKey > 0
                ? new Finding("SIGNATURE_KEYINFO_INCONSISTENT", FindingSeverity.Warning, path + "/KeyInfo",
                    "La firma verifica con la llave RSAKeyValue pero no con la del certificado incluido: el certificado no identifica a quien firmó.", "llave del certificado", "llave RSAKeyValue distinta")
                : new Finding("SIGNATURE_KEYINFO_INCONSISTENT", FindingSeverity.Info, path + "/KeyInfo",
                    "La llave RSAKeyValue difiere de la del certificado; la firma verifica con el certificado.", null, null));
        }

        if (variant != "as-received")
        {
            findings.Add(new Finding("SIGNATURE_VERIFIED_REROOTED", FindingSeverity.Info, path,
                "La firma es válida al verificar el DTE como documento independiente (fue firmado con otro contexto de espacios de nombres).", null, variant));
        }

        // A signature that verifies only with the RSAKeyValue says nothing about the certificate beside it (it may have
        // been swapped in): the signer is then unknown, not the certificate's subject.
        var certified = !keyValueDiffers || (usedKey == 0 && keys.Count > 1);
        return new SignatureOutcome(true, variant, certified ? subject : null, certified ? signerRut : null);
    }

    private static int IndexOfSignature(XmlElement root, XmlElement signature)
    {
        var i = 0;
        foreach (XmlElement e in root.GetElementsByTagName("Signature", DteDocument.DsigNamespace))
        {
            if (ReferenceEquals(e, signature))
            {
                return i;
            }

            i++;
        }

        return -1;
    }

    private static int Check(XmlDocument document, int index, List<AsymmetricAlgorithm> keys) =>
        document.DocumentElement!.GetElementsByTagName("Signature", DteDocument.DsigNamespace)[index] is XmlElement s && Load(s) is { } signed
            ? Check(signed, keys) : -1;

    /// <summary>Index of the key that verified, or -1.</summary>
    private static int Check(SignedXml signed, List<AsymmetricAlgorithm> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            try
            {
                if (signed.CheckSignature(keys[i]))
                {
                    return i;
                }
            }
            catch (CryptographicException)
            {
            }
        }

        return -1;
    }

    /// <summary>Loads a Signature; an unreadable KeyInfo (e.g. a garbage certificate) is dropped, as it is not signed.</summary>
    private static SignedXml? Load(XmlElement signature)
    {
        var document = signature.OwnerDocument;
        var signed = new SignedXml(document);
        try
        {
            signed.LoadXml(signature);
            return signed;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Read again below without KeyInfo.
        }

        var copy = (XmlDocument)document.Clone();
        var index = IndexOfSignature(document.DocumentElement!, signature);
        var copied = (XmlElement)copy.DocumentElement!.GetElementsByTagName("Signature", DteDocument.DsigNamespace)[index]!;
        foreach (var keyInfo in copied.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "KeyInfo").ToList())
        {
            copied.RemoveChild(keyInfo);
        }

        signed = new SignedXml(copy);
        try
        {
            signed.LoadXml(copied);
            return signed;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// A copy of an embedded element as the root of a new document, carrying the namespace declarations
    /// in scope at its place in the original (what inclusive C14N renders in place).
    /// </summary>
    public static XmlDocument InContext(XmlElement element)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var copy = (XmlElement)document.ImportNode(element, deep: true);
        document.AppendChild(copy);
        for (var ancestor = element.ParentNode as XmlElement; ancestor is not null; ancestor = ancestor.ParentNode as XmlElement)
        {
            foreach (XmlAttribute a in ancestor.Attributes)
            {
                if (a.NamespaceURI == "http://www.w3.org/2000/xmlns/" && !copy.HasAttribute(a.Name))
                {
                    copy.SetAttributeNode((XmlAttribute)document.ImportNode(a, deep: true));
                }
            }
        }

        return document;
    }

    /// <summary>
    /// A copy of <paramref name="root"/> as the root of a new document. <paramref name="targetNamespace"/>
    /// null keeps its namespace; empty removes the SII namespace; otherwise puts SII elements in it.
    /// </summary>
    public static XmlDocument Reroot(XmlElement root, string? targetNamespace)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        XmlNode copy = targetNamespace is null
            ? document.ImportNode(root, deep: true)
            : Rebuild(document, root, root.NamespaceURI, targetNamespace);
        document.AppendChild(copy);
        return document;
    }

    private static XmlElement Rebuild(XmlDocument target, XmlElement source, string fromNamespace, string toNamespace)
    {
        var element = target.CreateElement(source.LocalName, toNamespace);
        foreach (XmlAttribute a in source.Attributes)
        {
            if (a.NamespaceURI == "http://www.w3.org/2000/xmlns/")
            {
                continue;
            }

            element.SetAttributeNode((XmlAttribute)target.ImportNode(a, true));
        }

        for (var node = source.FirstChild; node is not null; node = node.NextSibling)
        {
            element.AppendChild(node is XmlElement child && child.NamespaceURI == fromNamespace
                ? Rebuild(target, child, fromNamespace, toNamespace)
                : target.ImportNode(node, deep: true));
        }

        return element;
    }

    /// <summary>
    /// Keys to verify with, taken from what <see cref="SignedXml.LoadXml"/> already parsed (certificate and
    /// RSAKeyValue), so no key is imported twice. Order: the certificate's key, then a different RSAKeyValue.
    /// </summary>
    private static List<AsymmetricAlgorithm> ReadKeys(SignedXml? signed, XmlElement signature, List<Finding> findings, string path,
        out string? subject, out string? signerRut, out bool keyValueDiffers)
    {
        subject = null;
        signerRut = null;
        keyValueDiffers = false;
        var keys = new List<AsymmetricAlgorithm>();
        var certificate = signed?.KeyInfo?.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.OfType<X509Certificate2>() ?? []).FirstOrDefault();
        var keyValue = signed?.KeyInfo?.OfType<RSAKeyValue>().FirstOrDefault()?.Key;
        var modulusText = signature.GetElementsByTagName("Modulus", DteDocument.DsigNamespace).OfType<XmlElement>().FirstOrDefault()?.InnerText;
        if (certificate is not null)
        {
            subject = certificate.Subject;
            signerRut = RutFromCertificate(certificate);
        }
        else if (signature.GetElementsByTagName("X509Certificate", DteDocument.DsigNamespace).Count > 0)
        {
            findings.Add(new Finding("SIGNER_CERTIFICATE_INVALID", FindingSeverity.Warning, path + "/KeyInfo/X509Data/X509Certificate",
                "El certificado del firmante no es legible: no se puede identificar a quien firmó (se verificó con la llave RSAKeyValue).", "certificado X.509 en base64", "ilegible"));
        }

        if (keyValue is null && modulusText is not null)
        {
            // KeyInfo was dropped (unreadable certificate): read RSAKeyValue by hand.
            var exponent = signature.GetElementsByTagName("Exponent", DteDocument.DsigNamespace).OfType<XmlElement>().FirstOrDefault()?.InnerText;
            try
            {
                // An empty modulus or exponent (or none) is no key: ImportParameters would throw IndexOutOfRangeException.
                var modulus = Convert.FromBase64String(modulusText.Trim());
                var exponentBytes = Convert.FromBase64String(exponent?.Trim() ?? string.Empty);
                if (modulus.Length > 0 && exponentBytes.Length > 0)
                {
                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponentBytes });
                    keyValue = rsa;
                }
            }
            catch (Exception ex) when (ex is CryptographicException or FormatException)
            {
                keyValue = null;
            }
        }

        if (certificate is not null)
        {
            var same = keyValue is not null && modulusText is not null && SameModulus(certificate, modulusText);
            if (same)
            {
                keys.Add(keyValue!);
                return keys;
            }

            if (certificate.GetRSAPublicKey() is { } certKey)
            {
                keys.Add(certKey);
            }

            keyValueDiffers = keyValue is not null;
        }

        if (keyValue is not null)
        {
            keys.Add(keyValue);
        }

        return keys;
    }

    private static bool SameModulus(X509Certificate2 certificate, string modulusBase64)
    {
        try
        {
            // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1).
            var reader = new AsnReader(certificate.PublicKey.EncodedKeyValue.RawData, AsnEncodingRules.DER).ReadSequence();
            var modulus = reader.ReadIntegerBytes().Span;
            var fromXml = Convert.FromBase64String(modulusBase64.Trim());
            return modulus.TrimStart((byte)0).SequenceEqual(fromXml.AsSpan().TrimStart((byte)0));
        }
        catch (Exception ex) when (ex is AsnContentException or FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The RUT in subjectAltName otherName 1.3.6.1.4.1.8321.1 (IA5String), if present.</summary>
    public static string? RutFromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions["2.5.29.17"];
        if (san is null)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(san.RawData, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    var otherName = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                    var oid = otherName.ReadObjectIdentifier();
                    var explicitValue = otherName.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                    if (oid == RutOid)
                    {
                        return explicitValue.PeekTag().HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.IA5String))
                            ? explicitValue.ReadCharacterString(UniversalTagNumber.IA5String)
                            : explicitValue.ReadCharacterString(UniversalTagNumber.UTF8String);
                    }
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        return null;
    }
}
