using System.Globalization;
using System.Text.Json;
using AiGrpc.Payroll.Indicators;

namespace AiGrpc.Payroll.Payslips;

/// <summary>A body that cannot be read as a payslip (the caller's fault: a 400, not a finding).</summary>
public sealed class PayslipFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public PayslipFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PayslipFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PayslipFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public PayslipFormatException(string field, string reason)
        : base($"{field}: {reason}")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>JSON path of the field at fault (e.g. <c>lines[3].amount</c>).</summary>
    public string? Field { get; }

    /// <summary>What is wrong with it (English, for a 400 body).</summary>
    public string? Reason { get; }
}

/// <summary>
/// Reads the module's <c>POST /api/payroll/validate</c> body. Odoo writes empty fields as <c>false</c>, amounts as
/// floats, and may add keys: <c>false</c>/<c>null</c> read as absent, numeric text reads as a number, unknown keys
/// are ignored. What the old service's request model required stays required: <c>employee_id</c> &gt; 0,
/// <c>period</c> <c>YYYY-MM</c>, <c>wage</c> &gt; 0, 1-100 <c>lines</c> each with a <c>code</c> and a numeric
/// <c>amount</c>.
/// </summary>
public static class PayslipJson
{
    /// <summary>Most lines accepted (the old request model's limit).</summary>
    public const int MaxLines = 100;

    /// <summary>Reads a body from its JSON text.</summary>
    /// <exception cref="PayslipFormatException">Not JSON, or not a payslip.</exception>
    public static Payslip Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new PayslipFormatException("$", "not valid JSON: " + e.Message);
        }
    }

    /// <summary>Reads a body already parsed.</summary>
    /// <exception cref="PayslipFormatException">Not a payslip.</exception>
    public static Payslip Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new PayslipFormatException("$", "the body must be a JSON object");
        }

        var employeeId = Number(body, "employee_id", "employee_id") ?? throw new PayslipFormatException("employee_id", "required");
        if (employeeId <= 0 || employeeId != decimal.Truncate(employeeId) || employeeId > long.MaxValue)
        {
            throw new PayslipFormatException("employee_id", "must be a whole number > 0");
        }

        var wage = Number(body, "wage", "wage") ?? throw new PayslipFormatException("wage", "required");
        if (wage <= 0)
        {
            throw new PayslipFormatException("wage", "must be > 0");
        }

        var periodText = Text(body, "period");
        if (!PayrollPeriod.TryParse(periodText, out var period))
        {
            throw new PayslipFormatException("period", "must be a month written YYYY-MM");
        }

        return new Payslip(
            (long)employeeId,
            Text(body, "employee_name"),
            wage,
            period,
            Date(body, "date_from"),
            Date(body, "date_to"),
            Lines(body),
            Number(body, "total_imponible", "total_imponible"),
            Number(body, "total_haberes", "total_haberes"),
            Number(body, "total_descuentos", "total_descuentos"),
            Number(body, "total_liquido", "total_liquido"),
            Contract(Text(body, "contract_type")));
    }

    private static List<PayslipLine> Lines(JsonElement body)
    {
        if (!body.TryGetProperty("lines", out var lines) || lines.ValueKind != JsonValueKind.Array)
        {
            throw new PayslipFormatException("lines", "required: an array of 1-100 lines");
        }

        var count = lines.GetArrayLength();
        if (count is 0 or > MaxLines)
        {
            throw new PayslipFormatException("lines", $"must hold 1-{MaxLines} lines, not {count}");
        }

        var result = new List<PayslipLine>(count);
        var index = 0;
        foreach (var line in lines.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"lines[{index++}]");
            if (line.ValueKind != JsonValueKind.Object)
            {
                throw new PayslipFormatException(path, "must be an object");
            }

            var code = Text(line, "code")?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(code))
            {
                throw new PayslipFormatException(path + ".code", "required");
            }

            var amount = Number(line, "amount", path + ".amount") ?? throw new PayslipFormatException(path + ".amount", "required");
            result.Add(new PayslipLine(code, Text(line, "name"), Category(line), amount, Number(line, "total", path + ".total")));
        }

        return result;
    }

    /// <summary>A number, numeric text, or absent (missing, <c>null</c>, <c>false</c>).</summary>
    private static decimal? Number(JsonElement parent, string key, string path)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.False)
        {
            return null;
        }

        // Declared before the conditions that assign it, so that the returns below read a definitely assigned
        // variable however a condition is written (a mutated condition otherwise fails to compile: CS0165).
        var number = 0m;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new PayslipFormatException(path, "must be a number");
    }

    /// <summary>Text, or absent (missing, <c>null</c>, <c>false</c>, empty).</summary>
    private static string? Text(JsonElement parent, string key) =>
        parent.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>A category as a code, or Odoo's many2one pair <c>[id, "name"]</c>.</summary>
    private static string? Category(JsonElement line)
    {
        if (!line.TryGetProperty("category", out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array when value.GetArrayLength() == 2 && value[1].ValueKind == JsonValueKind.String => value[1].GetString(),
            _ => null,
        };
    }

    /// <summary><c>YYYY-MM-DD</c> (anything after the date, such as a time, is ignored), or absent.</summary>
    private static DateOnly? Date(JsonElement body, string key)
    {
        var text = Text(body, key);
        if (text is null)
        {
            return null;
        }

        if (text.Length >= 10 && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        throw new PayslipFormatException(key, "must be a date written YYYY-MM-DD");
    }

    private static ContractType Contract(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "INDEFINITE" or "INDEFINIDO" or "PLAZO_INDEFINIDO" => ContractType.Indefinite,
        "FIXED_TERM" or "FIXED" or "PLAZO_FIJO" or "FIJO" or "OBRA" or "OBRA_FAENA" => ContractType.FixedTerm,
        _ => ContractType.Unknown,
    };
}
