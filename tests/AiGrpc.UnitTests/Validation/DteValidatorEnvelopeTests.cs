using System.Diagnostics;
using System.Text;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="DteValidator"/> beyond the root dispatch: the envelope signature's reference to SetDTE's ID, the XSD
/// check of every root kind it applies to, CAF findings under AUTORIZACION, and the spans a validation opens.
/// </summary>
public class DteValidatorEnvelopeTests
{
    private const string Sii = "xmlns=\"http://www.sii.cl/SiiDte\"";

    private static readonly DteFixtures F = DteFixtures.Shared;

    private static readonly DteValidator Validator = MutationTests.Validator();

    private static readonly DteValidator WithSchemas = new(new DteValidatorSettings { Schemas = SiiSchemas.Shipped },
        SiiKeyRing.Default().Add(DteFixtures.TestIdk, F.SiiKey.ExportParameters(false)));

    private static string Envelope() => Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec()]));

    [Fact]
    public void The_envelope_signature_must_reference_the_SetDTE_by_its_ID()
    {
        var report = Validator.Validate(Envelope().Replace("<SetDTE ID=\"SetDoc\">", "<SetDTE ID=\"Otro\">", StringComparison.Ordinal));
        var finding = Assert.Single(report.Findings);
        Assert.Equal(new Finding("SIGNATURE_REFERENCE_MISMATCH", FindingSeverity.Error, "EnvioDTE/Signature/SignedInfo/Reference",
            "La firma no referencia el contenido firmado del documento.", "#Otro", "#SetDoc"), finding);
        Assert.False(report.EnvelopeSignature!.Verified);
    }

    [Fact]
    public void A_SetDTE_without_ID_is_verified_by_the_reference_alone()
    {
        var report = Validator.Validate(Envelope().Replace("<SetDTE ID=\"SetDoc\">", "<SetDTE>", StringComparison.Ordinal));
        Assert.Equal(["ENVELOPE_SIGNATURE_INVALID"], report.Findings.Select(f => f.Code));
        Assert.Equal("EnvioDTE/Signature", report.Findings[0].Path);
    }

    [Theory]
    [InlineData("EnvioDTE")]
    [InlineData("EnvioBOLETA")]
    [InlineData("AEC")]
    public void Every_envelope_kind_is_checked_against_its_schema(string root)
    {
        var report = WithSchemas.Validate($"<{root} {Sii}/>");
        Assert.DoesNotContain(report.Findings, f => f.Code == "CHECK_FAILED");
        Assert.Contains(report.Findings, f => f is { Code: "SCHEMA_INVALID", Severity: FindingSeverity.Error } && f.Path == root);
    }

    [Fact]
    public void A_dte_is_checked_against_its_schema_and_a_caf_or_a_foreign_root_is_not()
    {
        var valid = WithSchemas.Validate(F.Build(new DteSpec()));
        Assert.Equal(Verdict.Accept, valid.Verdict);
        Assert.Empty(Assert.Single(valid.Documents).ChecksSkipped);

        var invalid = WithSchemas.Validate(Encoding.Latin1.GetString(F.Build(new DteSpec())).Replace("</IdDoc>", "<Foo>1</Foo></IdDoc>", StringComparison.Ordinal));
        Assert.Contains(invalid.Findings, f => f is { Code: "SCHEMA_INVALID", Path: "DTE" });

        Assert.DoesNotContain(WithSchemas.Validate($"<AUTORIZACION {Sii}/>").Findings, f => f.Code.StartsWith("SCHEMA", StringComparison.Ordinal));
        Assert.DoesNotContain(WithSchemas.Validate("<DTE xmlns=\"urn:other\"/>").Findings, f => f.Code.StartsWith("SCHEMA", StringComparison.Ordinal));
    }

    [Fact]
    public void Caf_findings_are_placed_under_AUTORIZACION()
    {
        var forged = Validator.Validate($"<AUTORIZACION>{F.Caf(new DteSpec { ForgeCaf = true })}</AUTORIZACION>");
        Assert.All(forged.Documents[0].Findings, f => Assert.StartsWith("AUTORIZACION/CAF", f.Path, StringComparison.Ordinal));
        var wrongRut = Validator.Validate($"<AUTORIZACION>{F.Caf(new DteSpec { CafIssuer = "76354771-1" })}</AUTORIZACION>");
        Assert.Contains("del titular del CAF", Assert.Single(wrongRut.Documents[0].Findings, f => f.Code == "RUT_CHECK_DIGIT").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_validation_opens_its_spans_with_the_root_and_the_verdict()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DteTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (stopped)
                {
                    stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        WithSchemas.Validate(Envelope());
        Validator.Validate($"<AUTORIZACION>{F.Caf(new DteSpec())}</AUTORIZACION>");
        List<Activity> mine;
        lock (stopped)
        {
            mine = [.. stopped];
        }

        var documents = mine.Where(a => a.OperationName == "validation.document").ToList();
        Assert.Contains(documents, a => (string?)a.GetTagItem("validation.root") == "EnvioDTE" && a.GetTagItem("validation.verdict") is string);
        Assert.Contains(documents, a => (string?)a.GetTagItem("validation.root") == "AUTORIZACION" && (string?)a.GetTagItem("validation.verdict") == "Accept");
        Assert.Contains(mine, a => a.OperationName == "validation.schema");
        Assert.Contains(mine, a => a.OperationName == "validation.envelope-signature");
        Assert.Contains(mine, a => a.OperationName == "validation.caf");
    }
}
