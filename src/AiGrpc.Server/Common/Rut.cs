using System.Globalization;
using System.Text.RegularExpressions;

namespace AiGrpc.Server.Common;

/// <summary>
/// Chilean RUT: body of digits, hyphen, check digit (0-9 or K) computed with módulo 11 (SII). Shared by
/// Validation and Analytics, which do not import each other.
/// </summary>
public static partial class Rut
{
    [GeneratedRegex(@"^(\d{1,8})-([\dkK])$", RegexOptions.CultureInvariant)]
    private static partial Regex Format();

    /// <summary>True when <paramref name="rut"/> has the SII format (no dots, hyphen, check digit).</summary>
    public static bool HasValidFormat(string? rut) => rut is not null && Format().IsMatch(rut);

    /// <summary>Check digit of a RUT body by módulo 11 (weights 2..7 from the right; 11 -> 0, 10 -> K).</summary>
    public static char CheckDigit(long body)
    {
        var sum = 0;
        var weight = 2;
        for (var rest = body; rest > 0; rest /= 10)
        {
            sum += (int)(rest % 10) * weight;
            weight = weight == 7 ? 2 : weight + 1;
        }

        var digit = 11 - (sum % 11);
        return digit switch { 11 => '0', 10 => 'K', _ => (char)('0' + digit) };
    }

    /// <summary>Validates format and check digit; returns the expected check digit when the format is right.</summary>
    public static (bool FormatOk, bool CheckDigitOk, char Expected) Check(string? rut)
    {
        var match = rut is null ? null : Format().Match(rut);
        if (match is null || !match.Success)
        {
            return (false, false, '?');
        }

        var expected = CheckDigit(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        return (true, char.ToUpperInvariant(match.Groups[2].Value[0]) == expected, expected);
    }

    /// <summary>True for a well-formed RUT with the right check digit.</summary>
    public static bool IsValid(string? rut)
    {
        var (format, digit, _) = Check(rut);
        return format && digit;
    }

    /// <summary>Same RUT ignoring case of K and leading zeros.</summary>
    public static bool SameRut(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    /// <summary>
    /// Reads a RUT as people write it (<c>76.123.456-0</c>, <c>76123456-0</c>, <c>761234560</c>, spaces) into
    /// the SII form <c>76123456-0</c>; false when it cannot be a RUT. The check digit is not verified here.
    /// </summary>
    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 20)
        {
            return false;
        }

        Span<char> chars = stackalloc char[input.Length];
        var n = 0;
        foreach (var c in input)
        {
            if (char.IsAsciiDigit(c) || c is 'k' or 'K')
            {
                chars[n++] = char.ToUpperInvariant(c);
            }
            else if (c is not ('.' or '-' or ' '))
            {
                return false;
            }
        }

        // Body of 1-8 digits (no K inside it), then the check digit.
        if (n < 2 || n > 9 || chars[..(n - 1)].ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        normalized = string.Concat(chars[..(n - 1)].TrimStart('0'), "-", chars[(n - 1)..n]);
        return Format().IsMatch(normalized);
    }

    private static string Normalize(string rut) => rut.Trim().TrimStart('0').ToUpperInvariant();
}
