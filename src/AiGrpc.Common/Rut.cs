namespace AiGrpc.Common;

/// <summary>
/// Chilean RUT: body of digits, hyphen, check digit (0-9 or K) computed with módulo 11 (SII). Shared by
/// Validation and Analytics, which do not import each other.
/// </summary>
public static class Rut
{
    /// <summary>True when <paramref name="rut"/> has the SII format (no dots, hyphen, check digit).</summary>
    public static bool HasValidFormat(string? rut) => TryParse(rut, out _, out _);

    /// <summary>The SII form, read without a regular expression (this runs on every match request): a body of 1 to 8
    /// ASCII digits, a hyphen, and a check digit 0-9 or K (either case).</summary>
    private static bool TryParse(ReadOnlySpan<char> rut, out long body, out char checkDigit)
    {
        body = 0;
        checkDigit = '\0';
        var hyphen = rut.Length - 2;
        if (hyphen is < 1 or > 8 || rut[hyphen] != '-' || !(char.IsAsciiDigit(rut[^1]) || rut[^1] is 'k' or 'K'))
        {
            return false;
        }

        foreach (var c in rut[..hyphen])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            body = (body * 10) + (c - '0');
        }

        checkDigit = rut[^1];
        return true;
    }

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
        if (!TryParse(rut, out var body, out var checkDigit))
        {
            return (false, false, '?');
        }

        var expected = CheckDigit(body);
        return (true, char.ToUpperInvariant(checkDigit) == expected, expected);
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
        return HasValidFormat(normalized);
    }

    /// <summary>
    /// The RUT <see cref="TryNormalize"/> reads, as a number: body × 11 + check digit (K is 10). Two inputs have the
    /// same key exactly when they normalise to the same text, and computing it allocates nothing, so an index can
    /// compare the suppliers of thousands of rows without a string each. False where <see cref="TryNormalize"/> is.
    /// </summary>
    public static bool TryKey(string? input, out int key)
    {
        key = 0;
        if (input is null || input.Length > 20)
        {
            return false;
        }

        // As TryNormalize: digits and K kept, dots, hyphens and spaces skipped; 2 to 9 kept, of which the last is the
        // check digit and the others (leading zeros included) the body, whose value must not be zero.
        var kept = 0;
        var body = 0;
        var check = -1;
        foreach (var c in input)
        {
            if (c is '.' or '-' or ' ')
            {
                continue;
            }

            var digit = char.IsAsciiDigit(c) ? c - '0' : c is 'k' or 'K' ? 10 : -1;
            if (digit < 0 || ++kept > 9 || check == 10)
            {
                return false; // not a RUT character, too long, or a K that was not the last one
            }

            if (check >= 0)
            {
                body = (body * 10) + check;
            }

            check = digit;
        }

        if (kept < 2 || body == 0)
        {
            return false;
        }

        key = (body * 11) + check;
        return true;
    }

    /// <summary>Whether the check digit of the RUT with this <see cref="TryKey"/> key is right, and the right one.</summary>
    public static bool HasRightCheckDigit(int key, out char expected)
    {
        expected = CheckDigit(key / 11);
        var written = key % 11;
        return expected == (written == 10 ? 'K' : (char)('0' + written));
    }

    private static string Normalize(string rut) => rut.Trim().TrimStart('0').ToUpperInvariant();
}
