using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// The XML-DSig check of a DTE, each branch with a document that must fail it or take it: no signature, a reference
/// to other content, no key, content changed after signing, the namespace added after signing, a KeyInfo whose
/// RSAKeyValue and certificate disagree, an unreadable certificate. KeyInfo is not signed, so changing it keeps the
/// signature over the content valid: only the key the validator picks changes.
/// </summary>
public class SignatureChecksTests
{
    private static readonly DteFixtures F = DteFixtures.Shared;

    private static string Signed(DteSpec? spec = null) => Encoding.Latin1.GetString(F.Build(spec ?? new DteSpec()));

    private static DocumentReport Validate(string xml)
    {
        var report = Assert.Single(MutationTests.Validator().Validate(xml).Documents);
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Message), $"{f.Code} has no message"));
        return report;
    }

    private static Finding Only(DocumentReport report, string code)
    {
        var found = report.Findings.Where(f => f.Code == code).ToList();
        Assert.True(found.Count == 1, $"expected one {code}, got {string.Join("; ", report.Findings.Select(f => $"{f.Code}@{f.Path}"))}");
        Assert.False(string.IsNullOrWhiteSpace(found[0].Message));
        return found[0];
    }

    private static string Between(string xml, string open, string close, string replacement)
    {
        var start = xml.IndexOf(open, StringComparison.Ordinal);
        var end = xml.IndexOf(close, start, StringComparison.Ordinal) + close.Length;
        return xml[..start] + replacement + xml[end..];
    }

    [Fact]
    public void A_signed_fixture_verifies_as_received_with_its_signer()
    {
        var report = Validate(Signed());
        Assert.Equal(new SignatureOutcome(true, "as-received", report.Signature!.SignerSubject, DteFixtures.SignerRut), report.Signature);
        Assert.DoesNotContain(report.Findings, f => f.Path.StartsWith("DTE/Signature", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dte_without_signature_is_an_error()
    {
        var report = Validate(Encoding.Latin1.GetString(F.Build(new DteSpec { OmitSignature = true })));
        var finding = Only(report, "SIGNATURE_MISSING");
        Assert.Equal(("DTE/Signature", FindingSeverity.Error), (finding.Path, finding.Severity));
        Assert.Single(report.Findings);
        Assert.Null(report.Signature);
        Assert.Equal(Verdict.Reject, report.Verdict);
    }

    [Fact]
    public void A_signature_that_references_other_content_is_an_error_and_not_verified()
    {
        var report = Validate(Signed().Replace("URI=\"#T33F42\"", "URI=\"#OTRO\"", StringComparison.Ordinal));
        var finding = Only(report, "SIGNATURE_REFERENCE_MISMATCH");
        Assert.Equal(("DTE/Signature/SignedInfo/Reference", "#T33F42", "#OTRO"), (finding.Path, finding.Expected, finding.Actual));
        Assert.Equal(new SignatureOutcome(false, null, null, null), report.Signature);
        Assert.DoesNotContain(report.Findings, f => f.Code == "SIGNATURE_INVALID");
    }

    [Fact]
    public void A_signature_without_any_key_is_an_error()
    {
        var report = Validate(Between(Signed(), "<KeyInfo>", "</KeyInfo>", string.Empty));
        var finding = Only(report, "SIGNATURE_KEY_MISSING");
        Assert.Equal(("DTE/Signature/KeyInfo", FindingSeverity.Error), (finding.Path, finding.Severity));
        Assert.False(report.Signature!.Verified);
        Assert.Null(report.Signature.Variant);
    }

    [Fact]
    public void Content_changed_after_signing_makes_the_signature_invalid()
    {
        var report = Validate(Signed().Replace("<RznSocRecep>MINERA DE PRUEBA S.A.</RznSocRecep>", "<RznSocRecep>OTRA MINERA S.A.</RznSocRecep>", StringComparison.Ordinal));
        var finding = Only(report, "SIGNATURE_INVALID");
        Assert.Equal(("DTE/Signature", FindingSeverity.Error, "firma válida", "firma inválida"), (finding.Path, finding.Severity, finding.Expected, finding.Actual));
        Assert.False(report.Signature!.Verified);
        Assert.Null(report.Signature.Variant);
        Assert.Equal(DteFixtures.SignerRut, report.Signature.SignerRut);
    }

    [Fact]
    public void A_standalone_dte_that_verifies_only_without_its_namespace_had_it_added_after_signing()
    {
        var withoutNamespace = Signed(new DteSpec { Namespace = false });
        var added = withoutNamespace.Replace("<DTE version=\"1.0\">", "<DTE xmlns=\"http://www.sii.cl/SiiDte\" version=\"1.0\">", StringComparison.Ordinal);
        Assert.NotEqual(withoutNamespace, added);

        var report = Validate(added);
        var finding = Only(report, "SIGNATURE_INVALID");
        Assert.Equal(("firma válida", "re-rooted-without-namespace"), (finding.Expected, finding.Actual));
        Assert.False(report.Signature!.Verified);

        // Signed and received without the namespace: as received.
        Assert.Equal("as-received", Validate(withoutNamespace).Signature!.Variant);
    }

    [Fact]
    public void A_dte_signed_without_namespace_verifies_re_rooted_inside_an_envelope()
    {
        var envelope = Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec { Namespace = false }]));
        var report = MutationTests.Validator().Validate(envelope);
        var document = Assert.Single(report.Documents);
        Assert.True(document.Signature!.Verified);
        Assert.Equal("re-rooted-without-namespace", document.Signature.Variant);
        var finding = Only(document, "SIGNATURE_VERIFIED_REROOTED");
        Assert.Equal((FindingSeverity.Info, "re-rooted-without-namespace"), (finding.Severity, finding.Actual));
        Assert.DoesNotContain(document.Findings, f => f.Code == "SIGNATURE_INVALID");
    }

    [Fact]
    public void An_rsakeyvalue_that_is_not_the_certificates_key_is_information_when_the_certificate_verifies()
    {
        using var other = RSA.Create(2048);
        var modulus = Convert.ToBase64String(other.ExportParameters(false).Modulus!);
        var report = Validate(Between(Signed(), "<Modulus>", "</Modulus>", $"<Modulus>{modulus}</Modulus>"));
        var finding = Only(report, "SIGNATURE_KEYINFO_INCONSISTENT");
        Assert.Equal((FindingSeverity.Info, "DTE/Signature/KeyInfo"), (finding.Severity, finding.Path));
        Assert.True(report.Signature!.Verified);
        Assert.Equal("as-received", report.Signature.Variant);
        Assert.Equal(DteFixtures.SignerRut, report.Signature.SignerRut);
        Assert.Equal(Verdict.Accept, report.Verdict);
    }

    [Fact]
    public void A_certificate_only_keyinfo_verifies_with_the_certificate()
    {
        var report = Validate(Between(Signed(), "<KeyValue>", "</KeyValue>", string.Empty));
        Assert.True(report.Signature!.Verified);
        Assert.Equal(DteFixtures.SignerRut, report.Signature.SignerRut);
        Assert.DoesNotContain(report.Findings, f => f.Path.StartsWith("DTE/Signature", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreadable_certificate_is_a_warning_the_rsakeyvalue_verifies_and_the_signer_is_unknown()
    {
        var report = Validate(Between(Signed(), "<X509Certificate>", "</X509Certificate>", "<X509Certificate>bm8gZXMgdW4gY2VydGlmaWNhZG8=</X509Certificate>"));
        var finding = Only(report, "SIGNER_CERTIFICATE_INVALID");
        Assert.Equal((FindingSeverity.Warning, "DTE/Signature/KeyInfo/X509Data/X509Certificate"), (finding.Severity, finding.Path));
        Assert.Equal(("certificado X.509 en base64", "ilegible"), (finding.Expected, finding.Actual));
        Assert.True(report.Signature!.Verified);
        Assert.Equal("as-received", report.Signature.Variant);
        Assert.Null(report.Signature.SignerRut);
        Assert.Null(report.Signature.SignerSubject);
        Assert.Equal(Verdict.Review, report.Verdict);
    }

    [Fact]
    public void An_unreadable_certificate_and_a_wrong_rsakeyvalue_leave_no_key_that_verifies()
    {
        using var other = RSA.Create(2048);
        var xml = Between(Signed(), "<X509Certificate>", "</X509Certificate>", "<X509Certificate>bm8gZXMgdW4gY2VydGlmaWNhZG8=</X509Certificate>");
        xml = Between(xml, "<Modulus>", "</Modulus>", $"<Modulus>{Convert.ToBase64String(other.ExportParameters(false).Modulus!)}</Modulus>");
        var report = Validate(xml);
        Only(report, "SIGNATURE_INVALID");
        Assert.False(report.Signature!.Verified);
    }

    [Fact]
    public void An_rsakeyvalue_alone_verifies_and_names_no_signer()
    {
        var report = Validate(Between(Signed(), "<X509Data>", "</X509Data>", string.Empty));
        Assert.True(report.Signature!.Verified);
        Assert.Equal("as-received", report.Signature.Variant);
        Assert.Null(report.Signature.SignerRut);
        Assert.DoesNotContain(report.Findings, f => f.Path.StartsWith("DTE/Signature", StringComparison.Ordinal));
    }

    [Fact]
    public void A_swapped_certificate_that_carries_another_rut_does_not_name_that_rut_as_signer()
    {
        using var key = RSA.Create(2048);
        using var other = CertificateWithRut(key, "11111111-1", UniversalTagNumber.IA5String);
        var report = Validate(Between(Signed(), "<X509Certificate>", "</X509Certificate>", $"<X509Certificate>{Convert.ToBase64String(other.RawData)}</X509Certificate>"));
        Assert.True(report.Signature!.Verified);
        Assert.Null(report.Signature.SignerRut);
        Assert.Null(report.Signature.SignerSubject);
        var finding = Only(report, "SIGNATURE_KEYINFO_INCONSISTENT");
        Assert.Equal((FindingSeverity.Warning, "DTE/Signature/KeyInfo", "llave del certificado", "llave RSAKeyValue distinta"), (finding.Severity, finding.Path, finding.Expected, finding.Actual));
    }

    [Fact]
    public void A_dte_received_without_the_namespace_it_was_signed_with_verifies_re_rooted_with_it()
    {
        var removed = Signed().Replace("<DTE xmlns=\"http://www.sii.cl/SiiDte\" version=\"1.0\">", "<DTE version=\"1.0\">", StringComparison.Ordinal);
        var report = Validate(removed);
        Assert.True(report.Signature!.Verified);
        Assert.Equal("re-rooted-with-sii-namespace", report.Signature.Variant);
        var finding = Only(report, "SIGNATURE_VERIFIED_REROOTED");
        Assert.Equal((FindingSeverity.Info, "DTE/Signature", "re-rooted-with-sii-namespace"), (finding.Severity, finding.Path, finding.Actual));
    }

    [Fact]
    public void A_dte_signed_alone_inside_an_envelope_with_more_namespaces_verifies_re_rooted()
    {
        var envelope = Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec()]))
            .Replace("<EnvioDTE xmlns=\"http://www.sii.cl/SiiDte\"", "<EnvioDTE xmlns=\"http://www.sii.cl/SiiDte\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"", StringComparison.Ordinal);
        var document = Assert.Single(MutationTests.Validator().Validate(envelope).Documents);
        Assert.True(document.Signature!.Verified);
        Assert.Equal("re-rooted", document.Signature.Variant);
        Assert.Equal("re-rooted", Only(document, "SIGNATURE_VERIFIED_REROOTED").Actual);
    }

    [Fact]
    public void The_rut_of_a_certificate_may_be_an_ia5_or_a_utf8_string()
    {
        using var key = RSA.Create(2048);
        using var utf8 = CertificateWithRut(key, "22222222-2", UniversalTagNumber.UTF8String);
        Assert.Equal("22222222-2", SignatureChecks.RutFromCertificate(utf8));
        using var ia5 = CertificateWithRut(key, "33333333-3", UniversalTagNumber.IA5String);
        Assert.Equal("33333333-3", SignatureChecks.RutFromCertificate(ia5));
        Assert.Throws<ArgumentNullException>(() => SignatureChecks.RutFromCertificate(null!));
    }

    /// <summary>A self-signed certificate whose subjectAltName has a DNS name first, then the RUT otherName.</summary>
    private static X509Certificate2 CertificateWithRut(RSA key, string rut, UniversalTagNumber tag)
    {
        var request = new CertificateRequest("CN=Otra Persona", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, "ejemplo.cl", new Asn1Tag(TagClass.ContextSpecific, 2));
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier(SignatureChecks.RutOid);
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteCharacterString(tag, rut);
                }
            }
        }

        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", writer.Encode(), critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void The_rut_of_a_certificate_is_read_from_its_subject_alternative_name()
    {
        Assert.Equal(DteFixtures.SignerRut, SignatureChecks.RutFromCertificate(F.Certificate));
        using var key = RSA.Create(2048);
        using var plain = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Sin RUT", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Null(SignatureChecks.RutFromCertificate(plain));
    }

    [Fact]
    public void A_signature_without_a_reference_is_a_reference_mismatch()
    {
        var report = Validate(Between(Signed(), "<Reference ", "</Reference>", string.Empty));
        var finding = Only(report, "SIGNATURE_REFERENCE_MISMATCH");
        Assert.Equal(("#T33F42", null), (finding.Expected, finding.Actual));
        Assert.Equal(new SignatureOutcome(false, null, null, null), report.Signature);
    }

    [Fact]
    public void A_signature_without_its_value_is_invalid()
    {
        var report = Validate(Between(Signed(), "<SignatureValue>", "</SignatureValue>", string.Empty));
        Only(report, "SIGNATURE_INVALID");
        Assert.False(report.Signature!.Verified);
        Assert.Null(report.Signature.Variant);
    }

    [Fact]
    public void An_x509data_without_a_certificate_leaves_the_rsakeyvalue_and_no_signer()
    {
        var report = Validate(Between(Signed(), "<X509Data>", "</X509Data>", "<X509Data><X509SubjectName>CN=Alguien</X509SubjectName></X509Data>"));
        Assert.True(report.Signature!.Verified);
        Assert.Equal("as-received", report.Signature.Variant);
        Assert.Null(report.Signature.SignerRut);
        Assert.DoesNotContain(report.Findings, f => f.Path.StartsWith("DTE/Signature", StringComparison.Ordinal));
    }

    [Fact]
    public void A_certificate_that_is_not_rsa_does_not_name_the_signer()
    {
        // An EC certificate carrying a RUT beside the RSAKeyValue that verifies: its key is not the signing key.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Llave EC", ec, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", RutAltName("44444444-4"), critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal("44444444-4", SignatureChecks.RutFromCertificate(certificate));

        var report = Validate(Between(Signed(), "<X509Certificate>", "</X509Certificate>", $"<X509Certificate>{Convert.ToBase64String(certificate.RawData)}</X509Certificate>"));
        Assert.True(report.Signature!.Verified);
        Assert.Equal("as-received", report.Signature.Variant);
        Assert.Null(report.Signature.SignerRut);
        Assert.Null(report.Signature.SignerSubject);
        Assert.Equal("SIGNATURE_KEYINFO_INCONSISTENT", Only(report, "SIGNATURE_KEYINFO_INCONSISTENT").Code);
    }

    [Fact]
    public void An_envelope_with_an_unreadable_certificate_is_verified_on_its_own_signature()
    {
        // The envelope's Signature comes after those of its DTEs: reading it again without KeyInfo must pick it, not the
        // first DTE's, or a changed carátula would pass on the DTE's valid signature.
        var envelope = Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec()]));
        var start = envelope.LastIndexOf("<X509Certificate>", StringComparison.Ordinal);
        var end = envelope.IndexOf("</X509Certificate>", start, StringComparison.Ordinal);
        var unreadable = envelope[..start] + "<X509Certificate>bm8gZXMgdW4gY2VydGlmaWNhZG8=" + envelope[end..];

        var report = MutationTests.Validator().Validate(unreadable);
        Assert.True(report.EnvelopeSignature!.Verified);
        Assert.Contains(report.Findings, f => f.Code == "SIGNER_CERTIFICATE_INVALID");

        var changed = MutationTests.Validator().Validate(unreadable.Replace("<RutReceptor>60803000-K</RutReceptor>", "<RutReceptor>96790240-3</RutReceptor>", StringComparison.Ordinal));
        Assert.False(changed.EnvelopeSignature!.Verified);
        Assert.Contains(changed.Findings, f => f.Code == "ENVELOPE_SIGNATURE_INVALID");
        Assert.True(Assert.Single(changed.Documents).Signature!.Verified);
    }

    [Fact]
    public void An_envelope_signed_with_a_prefixed_signedinfo_verifies()
    {
        // A ds:SignedInfo is canonicalised with the envelope's default namespace in scope (inclusive C14N in place).
        const string Ds = "http://www.w3.org/2000/09/xmldsig#";
        var envelope = Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec()]));
        var start = envelope.LastIndexOf("<Signature ", StringComparison.Ordinal);
        var digestStart = envelope.IndexOf("<DigestValue>", start, StringComparison.Ordinal) + "<DigestValue>".Length;
        var digest = envelope[digestStart..envelope.IndexOf("</DigestValue>", digestStart, StringComparison.Ordinal)];
        var signedInfo = "<ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"></ds:CanonicalizationMethod>"
            + $"<ds:SignatureMethod Algorithm=\"{Ds}rsa-sha1\"></ds:SignatureMethod><ds:Reference URI=\"#SetDoc\"><ds:DigestMethod Algorithm=\"{Ds}sha1\"></ds:DigestMethod>"
            + $"<ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>";
        var canonical = signedInfo.Replace("<ds:SignedInfo>", $"<ds:SignedInfo xmlns=\"http://www.sii.cl/SiiDte\" xmlns:ds=\"{Ds}\">", StringComparison.Ordinal);
        var value = F.SignerKey.SignData(Encoding.UTF8.GetBytes(canonical), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        var key = F.SignerKey.ExportParameters(false);
        var signature = $"<ds:Signature xmlns:ds=\"{Ds}\">{signedInfo}<ds:SignatureValue>{Convert.ToBase64String(value)}</ds:SignatureValue>"
            + $"<ds:KeyInfo><ds:KeyValue><ds:RSAKeyValue><ds:Modulus>{Convert.ToBase64String(key.Modulus!)}</ds:Modulus>"
            + $"<ds:Exponent>{Convert.ToBase64String(key.Exponent!)}</ds:Exponent></ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo></ds:Signature>";
        var prefixed = envelope[..start] + signature + "</EnvioDTE>";

        var report = MutationTests.Validator().Validate(prefixed);
        Assert.True(report.EnvelopeSignature!.Verified);
        Assert.Null(report.EnvelopeSignature.SignerRut);
        Assert.DoesNotContain(report.Findings, f => f.Code == "ENVELOPE_SIGNATURE_INVALID");

        var changed = MutationTests.Validator().Validate(prefixed.Replace("<RutReceptor>60803000-K</RutReceptor>", "<RutReceptor>96790240-3</RutReceptor>", StringComparison.Ordinal));
        Assert.False(changed.EnvelopeSignature!.Verified);
    }

    [Theory]
    [InlineData("<Exponent>", "</Exponent>", "")]
    [InlineData("<Modulus>", "</Modulus>", "<Modulus></Modulus>")]
    [InlineData("<Exponent>", "</Exponent>", "<Exponent>no es base64 !!</Exponent>")]
    public void An_rsakeyvalue_without_a_usable_modulus_or_exponent_is_no_key(string open, string close, string replacement)
    {
        // SignedXml cannot read such a KeyInfo and drops it, certificate included; RSAKeyValue read by hand gives no key.
        var report = Validate(Between(Signed(), open, close, replacement));
        Only(report, "SIGNATURE_KEY_MISSING");
        Assert.False(report.Signature!.Verified);
    }

    private static byte[] RutAltName(string rut)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier(SignatureChecks.RutOid);
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, rut);
                }
            }
        }

        return writer.Encode();
    }
}
