using System.Xml;
using System.Xml.Schema;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// Where the SII's XSD files come from: the ones this library ships (<c>src/AiGrpc.Validation/Schemas/</c>, provenance
/// in its PROVENANCE.md), embedded in the assembly so that no file has to travel beside a host, or another folder.
/// </summary>
public sealed class SiiSchemas
{
    private const string ResourcePrefix = "AiGrpc.Validation.Schemas.";

    /// <summary>Base of the shipped files' URIs: their <c>xs:include</c> and <c>xs:import</c> resolve under it, to
    /// other shipped files and never to the disk or the network.</summary>
    private static readonly Uri ShippedBase = new("sii-schemas:///");

    private SiiSchemas(string? directory) => Directory = directory;

    /// <summary>The schemas shipped with the library.</summary>
    public static SiiSchemas Shipped { get; } = new(null);

    /// <summary>The folder, or null for the shipped schemas.</summary>
    public string? Directory { get; }

    /// <summary>The XSD files of <paramref name="directory"/> (DTE_v10.xsd, EnvioDTE_v10.xsd... and what they include).</summary>
    public static SiiSchemas FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return new(directory);
    }

    /// <summary>Whether <paramref name="file"/> (e.g. <c>DTE_v10.xsd</c>) is there.</summary>
    public bool Contains(string file) => Directory is null
        ? typeof(SiiSchemas).Assembly.GetManifestResourceInfo(ResourcePrefix + file) is not null
        : File.Exists(Path.Combine(Directory, file));

    /// <summary>The compiled set rooted at <paramref name="file"/>.</summary>
    internal XmlSchemaSet Load(string file)
    {
        var readerSettings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = null };
        XmlSchemaSet set;
        if (Directory is null)
        {
            set = new XmlSchemaSet { XmlResolver = new ShippedResolver() };
            using var reader = XmlReader.Create(Open(file), readerSettings, new Uri(ShippedBase, file).AbsoluteUri);
            set.Add(null, reader);
        }
        else
        {
            set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
            using var reader = XmlReader.Create(Path.Combine(Directory, file), readerSettings);
            set.Add(null, reader);
        }

        set.Compile();
        return set;
    }

    private static Stream Open(string file) =>
        typeof(SiiSchemas).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new FileNotFoundException($"SII schema {file} is not embedded in {typeof(SiiSchemas).Assembly.GetName().Name}.", file);

    /// <summary>Answers the shipped files' includes and imports from the embedded copies.</summary>
    private sealed class ShippedResolver : XmlResolver
    {
        public override object GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            ArgumentNullException.ThrowIfNull(absoluteUri);
            return absoluteUri.Scheme == ShippedBase.Scheme
                ? Open(absoluteUri.AbsolutePath.TrimStart('/'))
                : throw new XmlException($"SII schemas include only each other, not {absoluteUri}.");
        }
    }
}
