using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AiGrpc.Payroll.Indicators;

namespace AiGrpc.Server.Payroll;

/// <summary>Settings of payroll validation. Section <c>Payroll</c>; environment variables such as <c>Payroll__IndicatorsFile</c>.</summary>
public sealed class PayrollOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Payroll";

    /// <summary>
    /// An indicator file in the shipped format (<c>src/AiGrpc.Payroll/Data/indicators-cl.json</c>) to use as the base
    /// instead of the file built into the service, e.g. months published after the build; empty means the built-in
    /// file. Administrators' upserts take precedence over either.
    /// </summary>
    public string? IndicatorsFile { get; set; }

    /// <summary>The base months: <see cref="IndicatorsFile"/> when set, else the shipped file.</summary>
    /// <exception cref="InvalidDataException">The file is not in the indicator file format.</exception>
    public IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> LoadBaseMonths()
    {
        if (string.IsNullOrWhiteSpace(IndicatorsFile))
        {
            return IndicatorFile.Shipped;
        }

        try
        {
            using var stream = File.OpenRead(IndicatorsFile);
            return IndicatorFile.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not JSON: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(IndicatorsFile))
        {
            yield break;
        }

        string? problem = null;
        if (!File.Exists(IndicatorsFile))
        {
            problem = "does not exist";
        }
        else
        {
            try
            {
                problem = LoadBaseMonths().Count == 0 ? "holds no month" : null;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problem = e.Message;
            }
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"Payroll:IndicatorsFile '{IndicatorsFile}' {problem}.", [nameof(IndicatorsFile)]);
        }
    }
}
