using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using AiGrpc.TestKit;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;
using BenchmarkDotNet.Attributes;

namespace AiGrpc.Benchmarks.Validation;

/// <summary>
/// Full validation of one signed DTE with TED + CAF against the floor measured in the same run:
/// parse + one RSA verify (TED FRMT over the DD bytes) + SignedXml.CheckSignature. Target: Full / Floor &lt;= 1.3.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 30)]
public class ValidationBenchmarks
{
    private DteValidator _validator = null!;
    private DteValidator _withSchema = null!;
    private byte[] _xml = null!;
    private byte[] _ddBytes = null!;
    private byte[] _frmt = null!;
    private RSA _cafKey = null!;

    /// <summary>fixture: generated (CAF 1024-bit, signer 2048-bit); sii-sample: the real factura 76354771-K folio 170 (CAF 512-bit, signer 1024-bit).</summary>
    [Params("fixture", "sii-sample")]
    public string Document { get; set; } = "fixture";

    [GlobalSetup]
    public void Setup()
    {
        var fixtures = DteFixtures.Shared;
        _validator = new DteValidator(keys: SiiKeyRing.Default().Add(DteFixtures.TestIdk, fixtures.SiiKey.ExportParameters(false)));
        _withSchema = new DteValidator(new DteValidatorSettings { Schemas = SiiSchemas.Shipped },
            SiiKeyRing.Default().Add(DteFixtures.TestIdk, fixtures.SiiKey.ExportParameters(false)));
        var sample = SharedData.Root is { } root ? Path.Combine(root, "sii", "samples", "cl-sii-python", "sii-dte", "DTE--76354771-K--33--170--cleaned.xml") : null;
        _xml = Document == "sii-sample" && sample is not null && File.Exists(sample) ? File.ReadAllBytes(sample) : fixtures.Build(new DteSpec());

        var report = _validator.Validate(_xml);
        if (report.Verdict != Verdict.Accept)
        {
            throw new InvalidOperationException("benchmark document must be ACCEPT: " + string.Join("; ", report.AllFindings));
        }

        var (document, _) = SafeXml.Load(_xml, 1 << 24);
        var ted = (XmlElement)document!.GetElementsByTagName("TED", document.DocumentElement!.NamespaceURI)[0]!;
        var dd = (XmlElement)ted.GetElementsByTagName("DD", document.DocumentElement.NamespaceURI)[0]!;
        _ddBytes = Encoding.Latin1.GetBytes(TedChecks.Flatten(dd));
        _frmt = Convert.FromBase64String(ted.GetElementsByTagName("FRMT", document.DocumentElement.NamespaceURI)[0]!.InnerText);
        var rsapk = (XmlElement)dd.GetElementsByTagName("RSAPK", document.DocumentElement.NamespaceURI)[0]!;
        _cafKey = RSA.Create();
        _cafKey.ImportParameters(new RSAParameters
        {
            Modulus = Convert.FromBase64String(rsapk.GetElementsByTagName("M", document.DocumentElement.NamespaceURI)[0]!.InnerText),
            Exponent = Convert.FromBase64String(rsapk.GetElementsByTagName("E", document.DocumentElement.NamespaceURI)[0]!.InnerText),
        });
        if (!Floor())
        {
            throw new InvalidOperationException("floor does not verify");
        }
    }

    /// <summary>
    /// Parse + TED RSA verify (pre-imported CAF key) + SignedXml.CheckSignature() with the key in KeyInfo:
    /// the least any verifier must do.
    /// </summary>
    [Benchmark(Baseline = true)]
    public bool Floor()
    {
        var (document, _) = SafeXml.Load(_xml, 1 << 24);
        var ted = _cafKey.VerifyData(_ddBytes, _frmt, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        var signed = new SignedXml(document!);
        signed.LoadXml((XmlElement)document!.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl)[0]!);
        return ted & signed.CheckSignature();
    }

    /// <summary>Every check: structure, RUTs, dates, totals, references, TED + CAF, XML-DSig, signer certificate.</summary>
    [Benchmark]
    public Verdict Full() => _validator.Validate(_xml).Verdict;

    /// <summary>The same with the SII schemas (the service's default): target at most 1.5 times the floor.</summary>
    [Benchmark]
    public Verdict FullWithSchema() => _withSchema.Validate(_xml).Verdict;
}

/// <summary>Bulk: an EnvioDTE of 500 signed DTEs (each with TED + CAF) and its envelope signature.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 1, iterationCount: 5)]
public class ValidationBulkBenchmarks
{
    private DteValidator _validator = null!;
    private byte[] _envelope = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_validator, _envelope) = ValidationPeak.Prepare(500);
    }

    [Benchmark(OperationsPerInvoke = 500)]
    public int Envelope500() => _validator.Validate(_envelope).Documents.Count;
}

/// <summary>Throughput and peak memory of one bulk validation in a fresh process (<c>make bench-validation</c>).</summary>
public static class ValidationPeak
{
    /// <summary>An EnvioDTE of <paramref name="count"/> signed DTEs and a validator as the service runs it (the shipped
    /// SII schemas on, unless <paramref name="schema"/> is false).</summary>
    public static (DteValidator Validator, byte[] Envelope) Prepare(int count, bool schema = true)
    {
        var fixtures = DteFixtures.Shared;
        var settings = new DteValidatorSettings { Schemas = schema ? SiiSchemas.Shipped : null };
        var validator = new DteValidator(settings, SiiKeyRing.Default().Add(DteFixtures.TestIdk, fixtures.SiiKey.ExportParameters(false)));
        var specs = Enumerable.Range(1, count).Select(i => new DteSpec { Folio = i, CafTo = count }).ToList();
        return (validator, fixtures.BuildEnvelope(specs));
    }

    public static void Run(int count, bool schema = true)
    {
        var (validator, envelope) = Prepare(count, schema);
        Console.WriteLine($"schema validation: {(schema ? "on (shipped SII schemas)" : "off")}");
        validator.Validate(envelope); // warm-up (JIT, first-use costs)
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var report = validator.Validate(envelope);
        watch.Stop();
        process.Refresh();
        var accepted = report.Documents.Count(d => d.Verdict == Verdict.Accept);
        Console.WriteLine($"envelope: {envelope.Length / 1024.0 / 1024.0:F2} MiB, {report.Documents.Count} DTEs, {accepted} ACCEPT, verdict {report.Verdict}");
        Console.WriteLine($"time: {watch.Elapsed.TotalMilliseconds:F0} ms = {report.Documents.Count / watch.Elapsed.TotalSeconds:F0} docs/s on one thread");
        Console.WriteLine($"allocated: {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / 1024.0:F1} MiB");
        Console.WriteLine($"working set before: {before / 1024.0 / 1024.0:F1} MiB, peak of the process: {process.PeakWorkingSet64 / 1024.0 / 1024.0:F1} MiB");
    }
}
