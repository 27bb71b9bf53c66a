namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>A street address a project's text writes ("Av. Brasil 753"): <see cref="Key"/> is the street's last word and
/// the house number, folded ("brasil 753"), <see cref="Written"/> the words as the project writes them.</summary>
internal sealed record StreetAddress(string Key, string Written);

/// <summary>
/// Street addresses: in Chile an address is the street's name followed by the house number ("Av. Brasil 753", "Senador
/// Estébanez 645", "Apoquindo 3000"), and a delivery note or a bill that names a project's address names its site
/// ("DESPACHO AV. BRASIL 753"). A project's address is read only where its text shows it is one: the street word is a
/// capitalised proper name (in text that has lower case) followed by a whole number that is not a year nor counts
/// something ("Habilitación 4 pabellones", "NFPA 25" and "33/220 kV" are not addresses); in all-capital text only after
/// an address word ("AV.", "CALLE"). A bill is read loosely (any word and number side by side): only the projects'
/// own keys can match, so the loose reading finds nothing a project does not write. A site on a road is addressed by its
/// milepost the same way ("Ruta 78 km 24", key "km 24").
/// </summary>
internal static class StreetAddresses
{
    /// <summary>Words that a number follows without being a house number: road kilometres, floors, stages, lines,
    /// towers, sectors, plots and the like name a part of a site or a document, and recur across projects.</summary>
    private static readonly HashSet<string> NotStreets = new(StringComparer.Ordinal)
    {
        "ruta", "km", "kilometro", "piso", "pisos", "etapa", "linea", "torre", "nivel", "sector", "lote", "modulo", "fase",
        "tramo", "zona", "region", "anexo", "box", "sala", "pabellon", "planta", "unidad", "bloque", "block", "edificio",
        "camino", "paradero", "estacion", "tipo", "clase", "serie", "grupo", "item", "partida", "capitulo", "nro",
        "numero", "art", "articulo", "ley", "decreto", "norma", "version", "hito", "sitio", "muelle", "pozo", "cuerpo",
    };

    /// <summary>Words a road's milepost is written after ("km 24").</summary>
    private static readonly HashSet<string> MilepostWords = new(StringComparer.Ordinal) { "km", "kms", "kilometro" };

    /// <summary>Whether <paramref name="folded"/> (lower case, no accents) is a word a milepost is written after: then the
    /// number after it is the kilometre, and a number before it is not a length (<see cref="RatingReader"/>).</summary>
    public static bool IsMilepostWord(string folded) => MilepostWords.Contains(folded);

    /// <summary>Words that mark what follows as an address in text written all in capitals.</summary>
    private static readonly HashSet<string> AddressWords = new(StringComparer.Ordinal)
    {
        "av", "avda", "avenida", "calle", "pasaje", "psje", "pje",
    };

    /// <summary>Unit symbols a number is often followed by ("34 KV", "10 M"): a number with a unit is not a house
    /// number.</summary>
    private static readonly HashSet<string> UnitWords = new(StringComparer.Ordinal)
    {
        "m", "mm", "cm", "km", "m2", "m3", "kg", "ton", "t", "l", "lt", "kv", "kva", "mva", "mw", "kw", "v", "a", "x", "hp",
    };

    private const int MaxHouseNumberDigits = 5;

    /// <summary>The addresses <paramref name="text"/> (one field of a project) writes.</summary>
    public static IReadOnlyList<StreetAddress> OfProject(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return [];
        }

        var mixedCase = text.Any(char.IsLower);
        var words = Words(text);
        List<StreetAddress>? found = null;
        for (var k = 1; k < words.Count; k++)
        {
            if (IsMilepost(text, words, k))
            {
                (found ??= []).Add(new StreetAddress(MilepostKey(text, words[k]), text[words[k - 1].Start..(words[k].Start + words[k].Length)]));
                continue;
            }

            if (!IsHouseNumber(text, words, k) || !IsStreetWord(text, words, k - 1, mixedCase))
            {
                continue;
            }

            if (k + 1 < words.Count && Adjacent(text, words[k], words[k + 1]) && CountsOrMeasures(text, words[k + 1], mixedCase))
            {
                continue;
            }

            if (!mixedCase && !AfterAddressWord(text, words, k - 1))
            {
                continue;
            }

            var key = Key(text, words[k - 1], words[k]);
            var start = words[k - 1].Start;
            for (var j = k - 2; j >= 0 && j >= k - 4 && Adjacent(text, words[j], words[j + 1], allowDot: true) && char.IsUpper(text[words[j].Start]); j--)
            {
                start = words[j].Start; // the street's whole name: "Senador Estébanez", "Av. Brasil"
                if (AddressWords.Contains(Fold(text, words[j])))
                {
                    break;
                }
            }

            found ??= [];
            found.Add(new StreetAddress(key, text[start..(words[k].Start + words[k].Length)]));
        }

        return found ?? (IReadOnlyList<StreetAddress>)[];
    }

    /// <summary>Every word-and-number pair of an invoice's text, as address keys ("brasil 753").</summary>
    public static IReadOnlyList<string> OfInvoice(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return [];
        }

        var words = Words(text);
        List<string>? found = null;
        for (var k = 1; k < words.Count; k++)
        {
            if (IsMilepost(text, words, k))
            {
                (found ??= []).Add(MilepostKey(text, words[k]));
            }
            else if (IsHouseNumber(text, words, k) && IsLetters(text, words[k - 1]) && words[k - 1].Length >= 3)
            {
                found ??= [];
                found.Add(Key(text, words[k - 1], words[k]));
            }
        }

        return found ?? (IReadOnlyList<string>)[];
    }

    /// <summary>A road's milepost, the kilometre written before its number ("Ruta 78 km 24", "KM. 94"): a site on a road is
    /// named by it as a building is by its house number. Whole kilometres of at most four digits only ("km 24,5" and
    /// "km 1.020" are left unread rather than read as another kilometre).</summary>
    private static bool IsMilepost(string text, List<(int Start, int Length)> words, int k)
    {
        var (start, length) = words[k];
        if (!char.IsAsciiDigit(text[start]) || length > 4 || !MilepostWords.Contains(Fold(text, words[k - 1]))
            || !Adjacent(text, words[k - 1], words[k], allowDot: true))
        {
            return false;
        }

        var end = start + length;
        return !(end + 1 < text.Length && text[end] is '.' or ',' or '/' && char.IsAsciiDigit(text[end + 1]));
    }

    private static string MilepostKey(string text, (int Start, int Length) number) =>
        string.Concat("km ", int.Parse(text.AsSpan(number.Start, number.Length), System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Runs of letters and runs of digits (a letter next to a digit ends a run: "L5" is two).</summary>
    private static List<(int Start, int Length)> Words(string text)
    {
        var words = new List<(int Start, int Length)>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var digits = char.IsAsciiDigit(text[i]);
            while (i < text.Length && char.IsLetterOrDigit(text[i]) && char.IsAsciiDigit(text[i]) == digits)
            {
                i++;
            }

            words.Add((start, i - start));
        }

        return words;
    }

    /// <summary>A whole number of at most five digits, not a year, not part of "2.500", "1,5" or "33/220", right after
    /// a word (only spaces between).</summary>
    private static bool IsHouseNumber(string text, List<(int Start, int Length)> words, int k)
    {
        var (start, length) = words[k];
        if (!char.IsAsciiDigit(text[start]) || length > MaxHouseNumberDigits || !Adjacent(text, words[k - 1], words[k]))
        {
            return false;
        }

        var end = start + length;
        if (end + 1 < text.Length && text[end] is '.' or ',' or '/' && char.IsAsciiDigit(text[end + 1]))
        {
            return false;
        }

        // A four-digit number from 1950 to 2039 is a year ("Plan invierno 2025"), far more often than a house number.
        return length != 4 || int.Parse(text.AsSpan(start, length), System.Globalization.CultureInfo.InvariantCulture) is < 1950 or > 2039;
    }

    private static bool IsStreetWord(string text, List<(int Start, int Length)> words, int k, bool mixedCase)
    {
        var word = words[k];
        if (word.Length < 3 || !IsLetters(text, word) || NotStreets.Contains(Fold(text, word)))
        {
            return false;
        }

        // In mixed-case text a street is a proper name: a capital, then lower case ("Brasil", not "NFPA" nor "con").
        return !mixedCase || (char.IsUpper(text[word.Start]) && text.AsSpan(word.Start + 1, word.Length - 1).ContainsAnyExceptInRange('A', 'Z'));
    }

    /// <summary>Whether the word after a number makes it a count or a measure: a unit symbol, or in mixed-case text a
    /// word in lower case ("4 pabellones", "180 camas").</summary>
    private static bool CountsOrMeasures(string text, (int Start, int Length) next, bool mixedCase) =>
        UnitWords.Contains(Fold(text, next)) || (mixedCase && char.IsLower(text[next.Start]));

    private static bool AfterAddressWord(string text, List<(int Start, int Length)> words, int street)
    {
        for (var j = street - 1; j >= 0 && j >= street - 4; j--)
        {
            if (AddressWords.Contains(Fold(text, words[j])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Only spaces (or, with <paramref name="allowDot"/>, an abbreviation's dot) between two words.</summary>
    private static bool Adjacent(string text, (int Start, int Length) left, (int Start, int Length) right, bool allowDot = false)
    {
        var between = text.AsSpan(left.Start + left.Length, right.Start - left.Start - left.Length);
        if (allowDot && between.Length > 0 && between[0] == '.')
        {
            between = between[1..];
        }

        return between.Length > 0 && between.IsWhiteSpace();
    }

    private static bool IsLetters(string text, (int Start, int Length) word) => !char.IsAsciiDigit(text[word.Start]);

    private static string Key(string text, (int Start, int Length) street, (int Start, int Length) number) =>
        string.Concat(Fold(text, street), " ", int.Parse(text.AsSpan(number.Start, number.Length), System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Fold(string text, (int Start, int Length) word) => TextAnalyzer.Fold(text.Substring(word.Start, word.Length));
}
