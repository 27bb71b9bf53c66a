using System.Diagnostics;
using AiGrpc.TestKit;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// Real DTE files from other DTE software's public repositories (<c>tests/data/validation/corpus/</c>, provenance in
/// its README), judged by tools nobody here wrote: xmllint with the SII schemas, xmlsec1, openssl for TED and CAF
/// (<c>judge.sh</c>). The validator is compared with their verdicts, not with our own expectations.
/// </summary>
public class RealCorpusTests
{
    private static readonly string Corpus = Path.Combine(SharedData.RepositoryRoot, "tests", "data", "validation", "corpus");

    private static IEnumerable<(string File, bool Valid)> Verdicts(string csv) =>
        File.ReadLines(csv).Skip(1).Select(l => (l.Split(',')[0], l.Contains(",VALID", StringComparison.Ordinal)));

    [Fact]
    public async Task The_independent_tools_reproduce_the_committed_verdicts()
    {
        MutationRun.SkipSlow("runs xmllint, xmlsec1 and openssl, not our code");
        var ct = TestContext.Current.CancellationToken;
        var sii = SharedData.RequireDirectory("sii");
        var output = Path.Combine(Path.GetTempPath(), $"verdicts-{Guid.NewGuid():N}.csv");
        var start = new ProcessStartInfo("bash", [Path.Combine(Corpus, "judge.sh"), sii]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["VERDICTS_OUT"] = output;
        using var judge = Process.Start(start)!;
        var errors = judge.StandardError.ReadToEndAsync(ct);
        await judge.StandardOutput.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await judge.WaitForExitAsync(timeout.Token);
        Assert.True(judge.ExitCode == 0, $"judge.sh exited {judge.ExitCode}: {await errors}");
        try
        {
            Assert.Equal(Verdicts(Path.Combine(Corpus, "verdicts.csv")).ToList(), Verdicts(output).ToList());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void The_validator_agrees_with_the_independent_tools()
    {
        MutationRun.SkipSlow("seconds over the whole corpus with the SII schemas");
        var schemas = SharedData.RequireDirectory("sii/schemas");
        var validator = new DteValidator(new DteValidatorSettings { Schemas = SiiSchemas.FromDirectory(schemas) });
        var rows = Verdicts(Path.Combine(Corpus, "verdicts.csv")).ToList();
        var disagreements = new List<string>();
        foreach (var (file, valid) in rows)
        {
            var report = validator.Validate(File.ReadAllBytes(Path.Combine(Corpus, "files", file)));
            var rejected = report.Verdict == Verdict.Reject;
            if (valid == rejected)
            {
                disagreements.Add($"{file}: tools {(valid ? "VALID" : "INVALID")}, ours {report.Verdict} ({string.Join(" ", report.AllFindings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Code).Distinct())})");
            }
        }

        // Every verdict agrees: no valid document rejected, no invalid one let through.
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {rows.Count} disagree:\n" + string.Join('\n', disagreements));
    }

    [Fact]
    public void Amounts_with_cents_leave_the_peso_arithmetic_aside()
    {
        // A real export invoice (USD) with its amounts rewritten with cents: the signatures no longer verify, which is
        // not what this test looks at; the totals must not be judged in pesos.
        var xml = File.ReadAllText(Path.Combine(Corpus, "files", "MBenaventeC--FacturasNicMMXXV--FacturaDeExportacionElectronica_1398.xml"), System.Text.Encoding.Latin1)
            .Replace("<MntExe>99.0</MntExe>", "<MntExe>99.45</MntExe>", StringComparison.Ordinal)
            .Replace("<MntTotal>99.0</MntTotal>", "<MntTotal>99.45</MntTotal>", StringComparison.Ordinal)
            .Replace("<MontoItem>33</MontoItem>", "<MontoItem>33.15</MontoItem>", StringComparison.Ordinal)
            .Replace("<MontoItem>66</MontoItem>", "<MontoItem>66.30</MontoItem>", StringComparison.Ordinal);
        var document = new DteValidator().Validate(xml).Documents.Single();
        Assert.Contains(document.ChecksSkipped, s => s.Check == "totals");
        Assert.DoesNotContain(document.Findings, f => f.Code.StartsWith("TOTALS_", StringComparison.Ordinal) || f.Code == "LINE_AMOUNT_MISMATCH" || f.Code == "STRUCTURE_MISSING_ELEMENT");
    }
}
