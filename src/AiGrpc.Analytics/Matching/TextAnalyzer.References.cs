using System.Buffers;
using System.Globalization;
using System.Text;

namespace AiGrpc.Analytics.Matching;

/// <summary>References: the codes of a text that name a document or a project (purchase orders, contracts, tenders,
/// project codes, equipment tags), kept apart from its terms as exact-match evidence.</summary>
public static partial class TextAnalyzer
{
    /// <summary>Reference-like codes (purchase orders, contract numbers, project codes): runs of letters and
    /// digits joined by <c>-</c>, <c>.</c>, <c>/</c> or <c>_</c> that contain digits, normalised by
    /// <see cref="NormalizeReference"/> (<c>PRJ-2024-017</c> gives <c>prj2024017</c>, <c>OC N° 004500123</c> gives <c>4500123</c>).</summary>
    public static void References(string? text, HashSet<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        HashSet<string>? none = null;
        Compounds(text, references, ref none, joined: false);
    }

    /// <summary>The same, and in the same scan the joined codes of <see cref="JoinedCodes"/>, into
    /// <paramref name="joinedCodes"/> (made on the first one found).</summary>
    public static void References(string? text, HashSet<string> references, ref HashSet<string>? joinedCodes)
    {
        ArgumentNullException.ThrowIfNull(references);
        Compounds(text, references, ref joinedCodes, joined: true);
    }

    /// <summary>Codes written as parts joined by <c>-</c>, <c>/</c> or <c>.</c> with fewer digits than
    /// <see cref="References(string?, HashSet{string})"/> asks of free text ("PV-SB-EYZ", "AT-TOC-AND", "PV-SRA-PP34"): a
    /// project's code as its company writes it on the purchase order. Five letters and digits at least, normalised like a
    /// reference; the caller looks them up among the projects' own codes and keywords only, where such a short code is
    /// the caller's word that it names the project. Equipment tags (<see cref="EquipmentTags"/>) are read with them, to be
    /// looked up among the tags of the projects' names.</summary>
    public static void JoinedCodes(string? text, HashSet<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        HashSet<string>? found = codes;
        Compounds(text, references: null, ref found, joined: true);
    }

    /// <summary>Equipment tags written in <paramref name="text"/> (a project's name): letters then a number, joined
    /// ("CV-310", "CT-12", "TK-3105"), normalised like a reference. Mining and process plants name each conveyor, tank
    /// or line this way, and a contract for one piece of plant carries its tag in its name; a bill naming the tag names
    /// the project (the caller keeps the tags that only one project's name holds).</summary>
    public static void EquipmentTags(string? text, HashSet<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var joined = new HashSet<string>(StringComparer.Ordinal);
        JoinedCodes(text, joined);
        foreach (var code in joined)
        {
            if (IsEquipmentTag(code, CountDigits(code)))
            {
                tags.Add(code);
            }
        }
    }

    /// <summary>Letters, then one to four digits, then at most one letter ("cv310", "ct12", "tk3105", "cv4a"): the shape of a
    /// plant tag. Grades ("H-30", "R-410A") have this shape too; they are tags only where a single project's name
    /// holds them, which the caller checks.</summary>
    private static bool IsEquipmentTag(ReadOnlySpan<char> code, int digits)
    {
        if (digits is < 1 or > 4 || code.Length < 3 || !char.IsAsciiLetter(code[0]))
        {
            return false;
        }

        var i = 0;
        while (i < code.Length && char.IsAsciiLetter(code[i]))
        {
            i++;
        }

        var firstDigit = i;
        while (i < code.Length && char.IsAsciiDigit(code[i]))
        {
            i++;
        }

        return i - firstDigit == digits && code.Length - i <= 1 && (i == code.Length || char.IsAsciiLetter(code[i]));
    }

    /// <summary>One scan of a text's compounds (runs of letters and digits, joined by <c>-</c>, <c>.</c> or <c>/</c>)
    /// for references (when <paramref name="references"/> is given) and, when <paramref name="joined"/>, for joined
    /// codes.</summary>
    private static void Compounds(string? text, HashSet<string>? references, ref HashSet<string>? joinedCodes, bool joined)
    {
        // A reference has ASCII digits, and folding makes none (accented letters fold to letters, other digits stay
        // what they are); a joined code has a joiner: most descriptions have neither and need no folding or scanning.
        if (string.IsNullOrWhiteSpace(text)
            || !((references is not null && text.AsSpan().ContainsAnyInRange('0', '9')) || (joined && text.AsSpan().ContainsAny(Joiners))))
        {
            return;
        }

        var rented = text.Length > StackFoldLength ? ArrayPool<char>.Shared.Rent(2 * text.Length) : null;
        var buffer = rented is null ? stackalloc char[2 * text.Length] : rented.AsSpan(0, 2 * text.Length);
        var folded = buffer[..text.Length];
        var compound = buffer[text.Length..];
        Fold(text, folded);
        var length = 0;
        var start = 0;
        var digits = 0;
        var parts = 1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var c = i < folded.Length ? folded[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                start = length == 0 ? i : start;
                compound[length++] = c;
                digits += char.IsAsciiDigit(c) ? 1 : 0;
                continue;
            }

            if (Joiners.Contains(c) && length > 0 && i + 1 < folded.Length && char.IsLetterOrDigit(folded[i + 1]))
            {
                parts++;
                continue;
            }

            // "20.000" or "180.000" is a quantity written with thousands dots ("20.000 km", "180.000 m3"): order,
            // contract and tender numbers are never grouped that way. A standard's number is not one either.
            if (references is not null && digits > 0 && !IsGroupedThousands(folded[start..i])
                && !IsStandardNumber(folded[..start], compound[..length]))
            {
                // Already folded letters and digits: what NormalizeReference would keep of it.
                AddReference(StripNumber(compound[..length]), references);
            }

            if (joined && parts > 1 && ((length >= 5 && digits < 3) || IsEquipmentTag(compound[..length], digits)))
            {
                (joinedCodes ??= new HashSet<string>(StringComparer.Ordinal)).Add(compound[..length].ToString());
            }

            length = 0;
            digits = 0;
            parts = 1;
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static readonly SearchValues<char> Joiners = SearchValues.Create("-/.");

    /// <summary>The bodies whose standards bills and projects cite by number ("IEC 61850", "API 653", "NCh 2369", "ASTM
    /// D1557"): the number names a standard many contracts follow, not a contract. In the fitting bills written before
    /// the twenty-eighth batch, a standard's number that a project's text also wrote named that project 7 times and
    /// another project 7 times.</summary>
    private static readonly string[] StandardBodies = ["ansi", "api", "asme", "astm", "aws", "awwa", "din", "iec", "ieee", "iso", "nch", "nema", "nfpa", "une"];

    /// <summary>Whether a compound is a standard's number, at most one letter then one to five digits ("61850", "d1557"),
    /// written after a standards body ("IEC 61850") or joined to it ("IEC-61850", folded "iec61850"). A longer number
    /// after a body's letters ("API-2025-0087") is a code.</summary>
    private static bool IsStandardNumber(ReadOnlySpan<char> before, ReadOnlySpan<char> compound)
    {
        before = before.TrimEnd(' ');
        var previous = before[(before.LastIndexOf(' ') + 1)..];
        foreach (var body in StandardBodies)
        {
            if ((previous.SequenceEqual(body) && IsStandardDesignation(compound))
                || (compound.StartsWith(body, StringComparison.Ordinal) && IsStandardDesignation(compound[body.Length..])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStandardDesignation(ReadOnlySpan<char> number)
    {
        var digits = number.Length > 0 && char.IsAsciiLetter(number[0]) ? number[1..] : number;
        return digits.Length is >= 1 and <= 5 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>References written with spaces between their parts: "LICITACION ENAMI LP 2025 0087" for the tender
    /// "ENAMI-LP-2025-0087", "OC SA 0530 25" for "OC SA-0530-25". Every run of two to five words of letters and digits, two
    /// of them with digits and one with a letter, joined and normalised like a reference when it is eight characters or
    /// more. A run of words is not an identifier by its shape, so the caller looks these up among the projects'
    /// references only, where an exact match is the project's own code written with spaces.</summary>
    public static void SpacedReferences(string? text, HashSet<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (string.IsNullOrWhiteSpace(text) || text.AsSpan().IndexOfAnyInRange('0', '9') < 0 || text.IndexOf(' ', StringComparison.Ordinal) < 0)
        {
            return;
        }

        var folded = Fold(text);
        var words = new List<(int Start, int End, bool Digits, bool Letters)>();
        foreach (var range in folded.AsSpan().Split(' '))
        {
            var (start, length) = range.GetOffsetAndLength(folded.Length);
            // A full stop that ends a word ("0479."): the fold leaves no other punctuation.
            var word = folded.AsSpan(start, length).TrimEnd('.');
            if (word.IsEmpty)
            {
                continue;
            }

            // A dash or slash standing alone ("60 V / 40 A", "SALDO - CMLB") ends a run: it is not part of a code.
            var digits = word.ContainsAnyInRange('0', '9');
            var letters = word.ContainsAnyInRange('a', 'z');
            words.Add(!word.ContainsAnyExcept(CodeCharacters) && (digits || letters)
                ? (start, start + word.Length, digits, letters)
                : (start, -1, false, false));
        }

        Span<char> joined = stackalloc char[64];
        for (var first = 0; first < words.Count; first++)
        {
            int digitWords = 0, letterWords = 0, length = 0;
            for (var last = first; last < words.Count && last < first + 5 && words[last].End >= 0; last++)
            {
                var (start, end, digits, letters) = words[last];
                foreach (var c in folded.AsSpan(start, end - start))
                {
                    if (char.IsAsciiLetterOrDigit(c) && length < joined.Length)
                    {
                        joined[length++] = c;
                    }
                }

                digitWords += digits ? 1 : 0;
                letterWords += letters ? 1 : 0;
                if (last > first && digitWords >= 2 && letterWords >= 1)
                {
                    var normalized = StripNumber(joined[..length]);
                    if (normalized.Length >= 8)
                    {
                        references.Add(normalized.ToString());
                    }
                }
            }
        }
    }

    private static readonly SearchValues<char> CodeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-/.");

    /// <summary>A reference reduced to what identifies it: letters and digits only, a leading document-type
    /// prefix (OC, O/C, NP, HES, contrato, N°) dropped, leading zeros of the number dropped.</summary>
    public static string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var builder = new StringBuilder(reference.Length);
        foreach (var c in Fold(reference))
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
        }

        var letters = builder.ToString();
        var normalized = StripNumber(letters);
        return normalized.Length == letters.Length ? letters : normalized.ToString();
    }

    /// <summary>Folded letters and digits without their document-type prefixes and the leading zeros of the number.</summary>
    private static ReadOnlySpan<char> StripNumber(ReadOnlySpan<char> reference)
    {
        var s = StripPrefixes(reference);
        var firstNonZero = 0;
        while (firstNonZero < s.Length - 1 && s[firstNonZero] == '0')
        {
            firstNonZero++;
        }

        return s[firstNonZero..];
    }

    // Prefixes chain ("O.C. N° 123" folds to "ocn123"): strip them while what follows is still a prefix and
    // eventually a number of at least three digits, so a code such as "nota12" or "oc12" is left alone.
    private static ReadOnlySpan<char> StripPrefixes(ReadOnlySpan<char> s)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["ordendecompra", "contrato", "oc", "np", "hes", "nro", "no", "n"])
        {
            if (!s.StartsWith(prefix, StringComparison.Ordinal) || s.Length < prefix.Length + 3)
            {
                continue;
            }

            var rest = s[prefix.Length..];
            if (char.IsAsciiDigit(rest[0]))
            {
                return rest;
            }

            var inner = StripPrefixes(rest);
            if (inner.Length != rest.Length)
            {
                return inner;
            }
        }

        return s;
    }

    private static void AddReference(ReadOnlySpan<char> normalized, HashSet<string> references)
    {
        if (LooksLikeIdentifier(normalized))
        {
            references.Add(normalized.ToString());
        }
    }

    /// <summary>
    /// Whether a token read from free text can be an identifier (order, contract, tender or project number) rather than a
    /// quantity or a specification. Quantities and ratings ("1.500 un", "1250 A", "1.200 mm", "2x220 kV") and material
    /// grades ("PE100", "H30") share numbers between unrelated bills and projects; order and tender numbers are long
    /// ("4500871203", "2394-18-LR24"). So: at least five digits when it is only digits, at least six characters with three
    /// digits when it mixes letters, never a year ("Parada general 2026": it dates, it does not name). Short numbers the
    /// caller binds to a project (its keywords, the purchase-order field) are matched apart from this.
    /// </summary>
    private static bool LooksLikeIdentifier(ReadOnlySpan<char> normalized)
    {
        // A year ("2026") is four digits only: under the five an all-digit identifier needs.
        var digits = CountDigits(normalized);
        if (digits < 3)
        {
            return false;
        }

        return digits == normalized.Length
            ? digits >= 5 && !IsYearSpan(normalized)
            : normalized.Length >= 6 && !IsAluminiumAlloyTemper(normalized) && !IsDimensions(normalized) && !IsRebarGrade(normalized);
    }

    /// <summary>A reinforcing-steel grade of NCh 204 ("A630-420H", "A440-280H": tensile and yield strength in MPa, H for
    /// concrete): every structural bill writes one, so it names no project.</summary>
    private static bool IsRebarGrade(ReadOnlySpan<char> normalized) =>
        normalized.Length == 8 && normalized[0] == 'a' && normalized[7] == 'h' && !normalized[1..7].ContainsAnyExceptInRange('0', '9');

    /// <summary>Two years joined ("2025-2026", "2025/2027"): a period that dates a contract or a policy ("Monitoreo 2025-2026",
    /// "Póliza RC empresa 2025-2026"), not an identifier. Eight digits, both halves years of this century or the last, the
    /// second no earlier than the first and at most five later.</summary>
    private static bool IsYearSpan(ReadOnlySpan<char> digits)
    {
        if (digits.Length != 8)
        {
            return false;
        }

        var first = int.Parse(digits[..4], CultureInfo.InvariantCulture);
        var second = int.Parse(digits[4..], CultureInfo.InvariantCulture);
        return first is >= 1900 and <= 2099 && second - first is >= 0 and <= 5;
    }

    /// <summary>Numbers joined by "x": dimensions or a resolution ("2000x800x600" mm, "640x480" px), not an identifier.</summary>
    private static bool IsDimensions(ReadOnlySpan<char> normalized)
    {
        var previousDigit = false;
        var crosses = 0;
        foreach (var c in normalized)
        {
            if (c == 'x' && previousDigit)
            {
                crosses++;
                previousDigit = false;
            }
            else if (char.IsAsciiDigit(c))
            {
                previousDigit = true;
            }
            else
            {
                return false;
            }
        }

        return crosses > 0 && previousDigit;
    }

    /// <summary>An aluminium alloy and its temper ("6063-T6", "5052-H32", "6061-O"; Aluminum Association designations,
    /// ANSI H35.1): four digits, the first 1 to 8, then a temper letter (F, O, H, W, T) and its digits. A material grade
    /// that every façade or structure bill writes, not an identifier.</summary>
    private static bool IsAluminiumAlloyTemper(ReadOnlySpan<char> normalized)
    {
        if (normalized.Length is < 5 or > 9 || normalized[0] is < '1' or > '8' || normalized[..4].ContainsAnyExceptInRange('0', '9')
            || normalized[4] is not ('f' or 'o' or 'h' or 'w' or 't'))
        {
            return false;
        }

        return !normalized[5..].ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>Digits grouped by thousands dots and nothing else: "20.000", "1.250.000".</summary>
    private static bool IsGroupedThousands(ReadOnlySpan<char> text)
    {
        var groups = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                // The first group has one to three digits, every later one exactly three.
                if (groups == 0 ? digits is < 1 or > 3 : digits != 3)
                {
                    return false;
                }

                groups++;
                digits = 0;
            }
            else if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else
            {
                return false;
            }
        }

        return groups > 0 && digits == 3;
    }

    private static int CountDigits(ReadOnlySpan<char> text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return digits;
    }
}
