using System.Diagnostics;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

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
        Time("fresh+key", n, () =>
        {
            var (d, _) = SafeXml.Load(xml, 1 << 24);
            var s = new System.Security.Cryptography.Xml.SignedXml(d!);
            s.LoadXml((System.Xml.XmlElement)d!.GetElementsByTagName("Signature", DteDocument.DsigNamespace)[0]!);
            s.CheckSignature(fixtures.SignerKey);
        });
        Time("fresh+keyinfo", n, () =>
        {
            var (d, _) = SafeXml.Load(xml, 1 << 24);
            var s = new System.Security.Cryptography.Xml.SignedXml(d!);
            s.LoadXml((System.Xml.XmlElement)d!.GetElementsByTagName("Signature", DteDocument.DsigNamespace)[0]!);
            s.CheckSignature();
        });
        Time("fresh+sigchk", n, () =>
        {
            var (d, _) = SafeXml.Load(xml, 1 << 24);
            SignatureChecks.Run(new CheckContext(DteDocument.FromXml(d!.DocumentElement!), TimeProvider.System));
        });
        var validator = new DteValidator(keys: keys);
        Time("full", n, () => validator.Validate(xml));
        var totals = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DteTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => totals.AddOrUpdate(a.OperationName, a.Duration.TotalMicroseconds, (_, v) => v + a.Duration.TotalMicroseconds),
        };
        ActivitySource.AddActivityListener(listener);
        Time("full+spans", n, () => validator.Validate(xml));
        foreach (var (name, total) in totals.OrderBy(t => t.Key))
        {
            Console.WriteLine($"  {name,-28} {total / (n + 20),8:F0} us");
        }
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
