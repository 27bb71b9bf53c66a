using System.Diagnostics;
using AiGrpc.TestKit;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// One test per row of ../shared/sii/samples/EXPECTATIONS.csv: the verdict and the finding code that
/// stands for the row's reason. The mapping from the CSV's free-text verdict to ours is below; where
/// the CSV is ambiguous ("ACCEPT-with-caveat", "ACCEPT-if-key-from-KeyValue") the choice is documented
/// in docs/validation.md.
/// </summary>
public class ConformanceTests
{
    /// <summary>Expected verdict and the codes that must appear (the reason), per CSV "file" cell.</summary>
    private static readonly Dictionary<string, (Verdict? Verdict, string[] Codes, string? Skip)> Expected = new(StringComparer.Ordinal)
    {
        // The "cleaned" copies had xmlns added to the root after signing: they verify only without it, so the
        // document as received is not the signed one.
        ["cl-sii-python/sii-dte/DTE--60910000-1--33--2336600--cleaned.xml"] = (Verdict.Reject, ["SIGNATURE_INVALID"], null),
        ["cl-sii-python/sii-dte/DTE--60910000-1--33--2336600.xml"] = (Verdict.Accept, ["NAMESPACE_MISSING"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-mod-bad-cert-no-base64.xml"] = (Verdict.Reject, ["SCHEMA_INVALID", "SIGNER_CERTIFICATE_INVALID"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-mod-bad-cert.xml"] = (Verdict.Review, ["SIGNER_CERTIFICATE_INVALID"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-mod-changed-monto.xml"] = (Verdict.Reject, ["SIGNATURE_INVALID", "TED_SIGNATURE_INVALID"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-mod-empty-emails.xml"] = (Verdict.Reject, ["SCHEMA_INVALID", "SIGNATURE_INVALID"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-mod-removed-signature.xml"] = (Verdict.Reject, ["SIGNATURE_MISSING"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-mod-replaced-cert.xml"] = (Verdict.Reject, ["SIGNATURE_INVALID"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-signature_xml.xml"] = (Verdict.Reject, ["NOT_A_DTE"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-signed_data.xml"] = (Verdict.Reject, ["NOT_A_DTE"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned-signed_xml.xml"] = (Verdict.Reject, ["NOT_A_DTE"], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170--cleaned.xml"] = (Verdict.Accept, [], null),
        ["cl-sii-python/sii-dte/DTE--76354771-K--33--170.xml"] = (Verdict.Accept, ["SIGNATURE_VERIFIED_REROOTED"], null),
        ["cl-sii-python/sii-dte/DTE--76399752-9--33--25568--cleaned.xml"] = (Verdict.Accept, ["TED_STAMPED_BEFORE_EMISSION"], null),
        ["cl-sii-python/sii-dte/DTE--76399752-9--33--25568.xml"] = (Verdict.Accept, ["SIGNATURE_VERIFIED_REROOTED"], null),
        ["cl-sii-python/sii-dte/DTE--96670340-7--61--110616--cleaned.xml"] = (Verdict.Reject, ["SIGNATURE_INVALID"], null),
        ["cl-sii-python/sii-dte/DTE--96670340-7--61--110616.xml"] = (Verdict.Accept, ["DTE_UNSIGNED_EXTENSION"], null),
        ["cl-sii-python/sii-rtc/AEC--76354771-K--33--170--SEQ-2.xml"] = (Verdict.Accept, ["SIGNATURE_VERIFIED_REROOTED"], null),
        ["cl-sii-python/sii-rtc/AEC--76399752-9--33--25568--SEQ-1.xml"] = (Verdict.Accept, ["SIGNATURE_VERIFIED_REROOTED"], null),
        ["libredte/xml/033_001_simple-unsigned-no-ted.xml"] = (Verdict.Reject, ["STRUCTURE_MISSING_ELEMENT", "TED_MISSING", "SIGNATURE_MISSING"], null),
        // The SII example's X509Certificate is not the signing key (RSAKeyValue is): signer identity unproven -> REVIEW.
        ["libredte/xml/F60T33-ejemplo-oficial-SII.xml"] = (Verdict.Review, ["SIGNATURE_VERIFIED_REROOTED", "CAF_CERTIFICATION_ENVIRONMENT", "SIGNATURE_KEYINFO_INCONSISTENT"], null),
        ["libredte/xml/boleta_multidetalle-unsigned.xml"] = (Verdict.Reject, ["TOTALS_TOTAL_MISMATCH", "TOTALS_NET_MISMATCH"], null),
        ["moqui-chile/caf/CAF-{33,34,39,41,52,56,61}-DEMO.xml"] = (Verdict.Reject, ["CAF_SIGNATURE_INVALID"], null),
        ["cl-sii-python/xml/attacks/billion-laughs-1.xml"] = (Verdict.Reject, ["XML_DTD_FORBIDDEN"], null),
        ["cl-sii-python/xml/attacks/billion-laughs-2.xml"] = (Verdict.Reject, ["XML_DTD_FORBIDDEN"], null),
        ["cl-sii-python/xml/attacks/quadratic-blowup-entity-expansion.xml"] = (Verdict.Reject, ["XML_DTD_FORBIDDEN"], null),
        ["cl-sii-python/xml/attacks/external-entity-expansion-remote.xml"] = (Verdict.Reject, ["XML_DTD_FORBIDDEN"], null),
        ["cl-sii-python/xml/trivial.xml, trivial-doc.xml"] = (Verdict.Reject, ["NOT_A_DTE"], null),
        ["libredte/yaml/documentos_ok/**/*.yaml"] = (null, [], "Datos de entrada de emisión (YAML) de LibreDTE, no documentos: oráculo de totales no automatizado (ver docs/validation.md)."),
        ["libredte/yaml/documentos_error/039_boleta_afecta/039_001_montos_netos.yaml"] = (null, [], "Boleta con IndMntNeto=2: marcada 'known-unsupported' en el CSV."),
        ["libredte/montos_esperados.json"] = (null, [], "Totales esperados sin sus entradas (no copiadas): nada que validar."),
    };

    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        var root = SharedData.Root;
        if (root is null)
        {
            data.Add("(../shared absent)");
            return data;
        }

        foreach (var row in Csv.Read(Path.Combine(root, "sii", "samples", "EXPECTATIONS.csv")).Skip(1))
        {
            data.Add(row[0]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Sample_gets_the_expected_verdict_for_the_expected_reason(string file)
    {
        var samples = SharedData.RequireDirectory("sii/samples");
        Assert.True(Expected.TryGetValue(file, out var expected), $"EXPECTATIONS.csv row '{file}' has no expectation in this test.");
        Assert.SkipWhen(expected.Skip is not null, expected.Skip ?? string.Empty);
        var schemas = SharedData.RequireDirectory("sii/schemas");
        var validator = new DteValidator(new DteValidatorSettings { Schemas = SiiSchemas.FromDirectory(schemas) });
        foreach (var path in Expand(samples, file))
        {
            var started = Stopwatch.GetTimestamp();
            var report = validator.Validate(File.ReadAllBytes(path));
            var codes = report.AllFindings.Select(f => f.Code).ToHashSet();
            var detail = $"{Path.GetFileName(path)}: {report.Verdict} [{string.Join(", ", report.AllFindings.Select(f => $"{f.Severity}:{f.Code}@{f.Path}"))}] variant={(report.Documents.Count > 0 ? report.Documents[0].Signature?.Variant : null)}";
            TestContext.Current.SendDiagnosticMessage(detail + $" in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
            Assert.True(expected.Verdict == report.Verdict, detail);
            foreach (var code in expected.Codes)
            {
                Assert.True(codes.Contains(code), $"missing {code}: {detail}");
            }
        }
    }

    private static IEnumerable<string> Expand(string samples, string cell)
    {
        if (cell.Contains('{', StringComparison.Ordinal))
        {
            var open = cell.IndexOf('{', StringComparison.Ordinal);
            var close = cell.IndexOf('}', StringComparison.Ordinal);
            return cell[(open + 1)..close].Split(',').Select(part => Path.Combine(samples, cell[..open] + part + cell[(close + 1)..]));
        }

        if (cell.Contains(", ", StringComparison.Ordinal))
        {
            var parts = cell.Split(", ");
            var dir = Path.GetDirectoryName(parts[0])!;
            return parts.Select((p, i) => Path.Combine(samples, i == 0 ? p : Path.Combine(dir, p)));
        }

        return [Path.Combine(samples, cell)];
    }
}
