using System.Text;
using AiGrpc.TestKit;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>The SII schemas embedded in the engine are the files of its Schemas folder: checking against the shipped
/// ones (the service's default) is checking against those files, includes and imports resolved among themselves.</summary>
public class ShippedSchemasTests
{
    private static readonly string Folder = Path.Combine(SharedData.RepositoryRoot, "src", "AiGrpc.Validation", "Schemas");

    [Fact]
    public void Every_schema_of_the_folder_is_shipped()
    {
        var files = Directory.GetFiles(Folder, "*.xsd").Select(f => Path.GetFileName(f)).ToList();
        Assert.Contains("DTE_v10.xsd", files);
        Assert.All(files, f => Assert.True(SiiSchemas.Shipped.Contains(f), f));
        Assert.False(SiiSchemas.Shipped.Contains("DTE_v99.xsd"));
    }

    [Fact]
    public void The_shipped_schemas_and_the_folder_give_the_same_reports()
    {
        MutationRun.SkipSlow("compiles the SII schemas twice");
        var fixtures = DteFixtures.Shared;
        var keys = SiiKeyRing.Default().Add(DteFixtures.TestIdk, fixtures.SiiKey.ExportParameters(false));
        var shipped = new DteValidator(new DteValidatorSettings { Schemas = SiiSchemas.Shipped }, keys);
        var folder = new DteValidator(new DteValidatorSettings { Schemas = SiiSchemas.FromDirectory(Folder) }, keys);
        var valid = fixtures.Build(new DteSpec());
        var invalid = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(valid).Replace("</IdDoc>", "<Foo>1</Foo></IdDoc>", StringComparison.Ordinal));
        byte[][] documents = [valid, fixtures.Build(new DteSpec { Namespace = false }), fixtures.BuildEnvelope([new DteSpec(), new DteSpec { Folio = 43 }]), invalid];

        foreach (var xml in documents)
        {
            Assert.Equal(Describe(folder.Validate(xml)), Describe(shipped.Validate(xml)));
        }

        Assert.Equal(Verdict.Accept, shipped.Validate(valid).Verdict);
        Assert.Contains(shipped.Validate(invalid).AllFindings, f => f.Code == "SCHEMA_INVALID");
    }

    private static string Describe(ValidationReport report) =>
        $"{report.Verdict} " + string.Join(" | ", report.AllFindings.Select(f => $"{f.Severity}:{f.Code}@{f.Path} {f.Message} ({f.Expected}/{f.Actual})"));
}
