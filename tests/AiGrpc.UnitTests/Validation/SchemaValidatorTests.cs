using System.Text;
using System.Xml;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="SchemaValidator"/> and <see cref="SiiSchemas"/> on their own: which schema each root is checked
/// against, the findings for invalid documents (capped), namespace-less DTEs and vendor extensions, and where the
/// schemas are loaded from. The shipped schemas are compiled once for the class.
/// </summary>
public class SchemaValidatorTests
{
    private static readonly DteFixtures F = DteFixtures.Shared;

    private static readonly SchemaValidator Shipped = new(SiiSchemas.Shipped);

    private static XmlDocument Load(byte[] bytes) => SafeXml.Load(bytes, 1 << 24).Document!;

    private static XmlDocument Load(string xml) => SafeXml.Load(xml, 1 << 24).Document!;

    private static string Text(DteSpec spec) => Encoding.Latin1.GetString(F.Build(spec));

    [Fact]
    public void A_root_without_a_schema_is_not_checked()
    {
        Assert.Null(Shipped.Validate(Load("<AUTORIZACION/>"), boleta: false));
        Assert.Null(Shipped.Validate(Load("<Foo/>"), boleta: true));
        Assert.Throws<ArgumentNullException>(() => Shipped.Validate(null!, false));
        Assert.Same(SiiSchemas.Shipped, Shipped.Schemas);
    }

    [Fact]
    public void A_valid_dte_has_no_findings()
    {
        Assert.Empty(Shipped.Validate(Load(F.Build(new DteSpec())), boleta: false)!);
    }

    [Fact]
    public void An_invalid_dte_is_an_error_naming_the_schema()
    {
        var xml = Text(new DteSpec()).Replace("</IdDoc>", "<Foo>1</Foo></IdDoc>", StringComparison.Ordinal);
        var finding = Assert.Single(Shipped.Validate(Load(xml), boleta: false)!);
        Assert.Equal(("SCHEMA_INVALID", FindingSeverity.Error, "DTE", "DTE_v10.xsd", (string?)null), (finding.Code, finding.Severity, finding.Path, finding.Expected, finding.Actual));
        Assert.StartsWith("El documento no cumple el esquema XML del SII: ", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Foo", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_twenty_schema_errors_are_reported()
    {
        // 25 lines, each with two values of the wrong type: 50 errors.
        var lines = Enumerable.Range(1, 25).Select(i => new FixtureLine($"Ítem {i}", 1, 1000)).ToList();
        var xml = Text(new DteSpec { Lines = lines }).Replace("<QtyItem>", "<QtyItem>x", StringComparison.Ordinal).Replace("<PrcItem>", "<PrcItem>x", StringComparison.Ordinal);
        var findings = Shipped.Validate(Load(xml), boleta: false)!;
        Assert.Equal(20, findings.Count);
        Assert.All(findings, f => Assert.Equal("SCHEMA_INVALID", f.Code));
    }

    [Fact]
    public void A_dte_without_namespace_is_checked_on_a_copy_with_it()
    {
        var document = Load(F.Build(new DteSpec { Namespace = false }));
        var finding = Assert.Single(Shipped.Validate(document, boleta: false)!);
        Assert.Equal(new Finding("SCHEMA_NAMESPACE_MISSING", FindingSeverity.Info, "DTE",
            "El documento no declara el espacio de nombres del SII; se validó el esquema sobre una copia con xmlns=\"http://www.sii.cl/SiiDte\".", DteDocument.SiiNamespace, null), finding);
        Assert.Equal(string.Empty, document.DocumentElement!.NamespaceURI);

        var invalid = Load(Text(new DteSpec { Namespace = false }).Replace("</IdDoc>", "<Foo>1</Foo></IdDoc>", StringComparison.Ordinal));
        Assert.Equal(["SCHEMA_NAMESPACE_MISSING", "SCHEMA_INVALID"], Shipped.Validate(invalid, boleta: false)!.Select(f => f.Code));
    }

    [Fact]
    public void Unsigned_vendor_extensions_are_noted_and_left_out_of_the_schema_check()
    {
        var xml = Text(new DteSpec()).Replace("</DTE>", "<DocPersonalizado><Campo>1</Campo></DocPersonalizado><Otro/></DTE>", StringComparison.Ordinal);
        var document = Load(xml);
        var finding = Assert.Single(Shipped.Validate(document, boleta: false)!);
        Assert.Equal(new Finding("DTE_UNSIGNED_EXTENSION", FindingSeverity.Info, "DTE/DocPersonalizado",
            "El DTE trae elementos no firmados fuera del Documento (extensión del emisor); se ignoran para el esquema.", null, "DocPersonalizado"), finding);
        Assert.NotNull(Xml.FirstChild(document.DocumentElement, "DocPersonalizado"));
    }

    [Fact]
    public void A_boleta_alone_is_not_checked_as_no_schema_declares_it()
    {
        var xml = Text(new DteSpec { Type = 39, Lines = [new("Café", 2, 2500)] }).Replace("</IdDoc>", "<Foo>1</Foo></IdDoc>", StringComparison.Ordinal);
        Assert.Empty(Shipped.Validate(Load(xml), boleta: true)!);
        Assert.Equal(["SCHEMA_NAMESPACE_MISSING"], Shipped.Validate(Load(Text(new DteSpec { Type = 39, Namespace = false, Lines = [new("Café", 2, 2500)] })), boleta: true)!.Select(f => f.Code));
    }

    [Fact]
    public void An_envelope_is_checked_against_its_own_schema()
    {
        var envelope = Encoding.Latin1.GetString(F.BuildEnvelope([new DteSpec()]));
        Assert.Empty(Shipped.Validate(Load(envelope), boleta: false)!);
        var invalid = Load(envelope.Replace("<NroResol>80</NroResol>", "<NroResol>80</NroResol><Foo/>", StringComparison.Ordinal));
        var finding = Assert.Single(Shipped.Validate(invalid, boleta: false)!);
        Assert.Equal(("SCHEMA_INVALID", "EnvioDTE", "EnvioDTE_v10.xsd"), (finding.Code, finding.Path, finding.Expected));
    }

    [Fact]
    public void A_schema_folder_is_read_with_its_includes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sii-schemas-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "Root.xsd"),
                "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:include schemaLocation=\"Part.xsd\"/><xs:element name=\"R\" type=\"T\"/></xs:schema>");
            File.WriteAllText(Path.Combine(folder, "Part.xsd"),
                "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:simpleType name=\"T\"><xs:restriction base=\"xs:int\"/></xs:simpleType></xs:schema>");
            var schemas = SiiSchemas.FromDirectory(folder);
            Assert.Equal(folder, schemas.Directory);
            Assert.True(schemas.Contains("Root.xsd"));
            Assert.False(schemas.Contains("DTE_v10.xsd"));
            var set = schemas.Load("Root.xsd");
            Assert.True(set.IsCompiled);
            Assert.True(set.GlobalElements.Contains(new XmlQualifiedName("R")));
            Assert.True(set.GlobalTypes.Contains(new XmlQualifiedName("T")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_schemas_are_embedded_and_compile_among_themselves()
    {
        Assert.Null(SiiSchemas.Shipped.Directory);
        Assert.True(SiiSchemas.Shipped.Contains("EnvioBOLETA_v11.xsd"));
        var set = SiiSchemas.Shipped.Load("AEC_v10.xsd");
        Assert.True(set.IsCompiled);
        Assert.True(set.GlobalElements.Contains(new XmlQualifiedName("AEC", DteDocument.SiiNamespace)));
        var missing = Assert.Throws<FileNotFoundException>(() => SiiSchemas.Shipped.Load("DTE_v99.xsd"));
        Assert.Equal("SII schema DTE_v99.xsd is not embedded in AiGrpc.Validation.", missing.Message);
        Assert.Equal("DTE_v99.xsd", missing.FileName);
    }

    [Fact]
    public void A_schema_folder_must_be_named()
    {
        Assert.Throws<ArgumentNullException>(() => SiiSchemas.FromDirectory(null!));
        Assert.Throws<ArgumentException>(() => SiiSchemas.FromDirectory(string.Empty));
    }

    [Fact]
    public void A_schema_of_the_folder_may_declare_a_dtd_for_its_entities()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sii-schemas-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // The W3C's xmldsig-core-schema.xsd declares one; a folder of schemas gathered elsewhere may carry it.
            File.WriteAllText(Path.Combine(folder, "Dtd.xsd"),
                "<!DOCTYPE xs:schema [<!ENTITY name \"R\">]><xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"&name;\" type=\"xs:int\"/></xs:schema>");
            var set = SiiSchemas.FromDirectory(folder).Load("Dtd.xsd");
            Assert.True(set.GlobalElements.Contains(new XmlQualifiedName("R")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_schemas_resolve_their_includes_among_themselves_and_nowhere_else()
    {
        var type = typeof(SiiSchemas).GetNestedType("ShippedResolver", System.Reflection.BindingFlags.NonPublic)!;
        var resolver = (XmlResolver)Activator.CreateInstance(type, nonPublic: true)!;

        using (var stream = Assert.IsAssignableFrom<Stream>(resolver.GetEntity(new Uri("sii-schemas:///SiiTypes_v10.xsd"), null, null)))
        {
            using var reader = new StreamReader(stream);
            Assert.Contains("schema", reader.ReadToEnd(), StringComparison.Ordinal);
        }

        var outside = Assert.Throws<XmlException>(() => resolver.GetEntity(new Uri("file:///etc/passwd"), null, null));
        Assert.Equal("SII schemas include only each other, not file:///etc/passwd.", outside.Message);
        Assert.Throws<XmlException>(() => resolver.GetEntity(new Uri("http://www.w3.org/2001/XMLSchema.dtd"), null, null));
        Assert.Throws<ArgumentNullException>(() => resolver.GetEntity(null!, null, null));
    }
}
