using System.Diagnostics;
using AiGrpc.Server.Validation.Engine;
using AiGrpc.TestKit.Validation;

namespace AiGrpc.Benchmarks.Validation;

/// <summary>Rough per-group timing (<c>validation-profile</c>), to see where time goes between benchmark runs.</summary>
public static class ValidationProfile
{
    public static void Run()
    {
        var fixtures = DteFixtures.Shared;
        var keys = SiiKeyRing.Default().Add(DteFixtures.TestIdk, fixtures.SiiKey.ExportParameters(false));
        var xml = fixtures.Build(new DteSpec());
        const int n = 300;
        Time("parse", n, () => SafeXml.Load(xml, 1 << 24));
        var (document, _) = SafeXml.Load(xml, 1 << 24);
        var dte = DteDocument.FromXml(document!.DocumentElement!);
        Time("model", n, () => DteDocument.FromXml(document.DocumentElement!));
        Time("business", n, () =>
        {
            var c = new CheckContext(dte, TimeProvider.System);
            StructureChecks.Run(c);
            RutChecks.Run(c);
            DateChecks.Run(c, TimeSpan.FromDays(1));
            TotalsChecks.Run(c);
            ReferenceChecks.Run(c);
        });
        Time("ted+caf", n, () => TedChecks.Run(new CheckContext(dte, TimeProvider.System), keys));
        Time("signature", n, () => SignatureChecks.Run(new CheckContext(dte, TimeProvider.System)));
        var sig = dte.Signature!;
        var certText = sig.GetElementsByTagName("X509Certificate", DteDocument.DsigNamespace)[0]!.InnerText;
        var certBytes = Convert.FromBase64String(certText);
        Time("cert-load", n, () => { using var c = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certBytes); });
        Time("cert+key", n, () => { using var c = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certBytes); using var k = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPublicKey(c); });
        Time("rsa-import", n, () => { using var r = System.Security.Cryptography.RSA.Create(); r.ImportParameters(fixtures.SignerKey.ExportParameters(false)); });
        Time("export", n, () => fixtures.SignerKey.ExportParameters(false));
        Time("signedxml", n, () =>
        {
            var s = new System.Security.Cryptography.Xml.SignedXml(document);
            s.LoadXml(sig);
            s.CheckSignature(fixtures.SignerKey);
        });
        var validator = new DteValidator(keys: keys);
        Time("full", n, () => validator.Validate(xml));
    }

    private static void Time(string name, int n, Action action)
    {
        for (var i = 0; i < 20; i++)
        {
            action();
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            action();
        }

        Console.WriteLine($"{name,-10} {watch.Elapsed.TotalMicroseconds / n,8:F0} us");
    }
}
