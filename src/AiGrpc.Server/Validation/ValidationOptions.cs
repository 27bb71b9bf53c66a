using System.ComponentModel.DataAnnotations;
using AiGrpc.Validation.Dte;

namespace AiGrpc.Server.Validation;

/// <summary>Settings of DTE validation. Section <c>Validation</c>; environment variables such as <c>Validation__SchemaDirectory</c>.</summary>
public sealed class ValidationOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Validation";

    /// <summary>Validates XML documents against the SII schemas. On by default; off only by configuration
    /// (<c>Validation__SchemaValidation=false</c>).</summary>
    public bool SchemaValidation { get; set; } = true;

    /// <summary>Folder holding the SII XSD files (DTE_v10.xsd, EnvioDTE_v10.xsd, ...); empty means the shipped ones.</summary>
    public string? SchemaDirectory { get; set; }

    /// <summary>The schemas in use (the shipped ones, embedded in the engine, unless a folder is given), or null when
    /// schema validation is off.</summary>
    public SiiSchemas? EffectiveSchemas => !SchemaValidation ? null
        : string.IsNullOrEmpty(SchemaDirectory) ? SiiSchemas.Shipped : SiiSchemas.FromDirectory(SchemaDirectory);

    /// <summary>Largest XML document accepted, in bytes. Default 16 MiB.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How many hours in the future FchEmis may be (time zones). Default 24.</summary>
    [Range(0, 24 * 7)]
    public int FutureToleranceHours { get; set; } = 24;

    /// <summary>
    /// Extra CAF-signing keys by IDK, as PEM public keys or certificates (e.g. <c>Validation__CafKeys__999</c>).
    /// The SII's IDK 100 and 300 keys are built in.
    /// </summary>
    public Dictionary<string, string> CafKeys { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EffectiveSchemas is { } schemas && !schemas.Contains("DTE_v10.xsd"))
        {
            yield return new ValidationResult($"Validation:SchemaDirectory '{schemas.Directory}' does not contain DTE_v10.xsd.", [nameof(SchemaDirectory)]);
        }

        foreach (var (idk, pem) in CafKeys)
        {
            if (!int.TryParse(idk, out _) || !pem.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                yield return new ValidationResult($"Validation:CafKeys:{idk} must be a numeric IDK with a PEM public key or certificate.", [nameof(CafKeys)]);
            }
        }
    }
}
