using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace AiGrpc.Analytics.Matching;

/// <summary>
/// Turns Chilean Spanish as written on invoices into comparable terms: lower case without accents,
/// abbreviations expanded (<c>mant.</c>, <c>inst.</c>, <c>hh</c>), stopwords, units and SKU-like
/// tokens dropped, plural and derivational endings folded by a light stemmer. Codes and references
/// (tokens with digits) are kept apart: they are exact-match evidence, not text similarity.
/// </summary>
public static class TextAnalyzer
{
    /// <summary>Stem length: Spanish words sharing their first letters usually share a meaning
    /// (mantención / mantenimiento, eléctrico / eléctrica); six keeps instalación apart from instrumento.</summary>
    private const int StemLength = 6;

    /// <summary><see cref="FoldChar"/> of each ASCII character, looked up in the fold loop (most invoice text is ASCII).
    /// First of the tables: the ones below are built with the analyzer's own functions.</summary>
    private static readonly char[] AsciiFold = [.. Enumerable.Range(0, 128).Select(c => FoldChar((char)c))];

    // Abbreviations seen on Chilean invoices and purchase orders, expanded to the word they stand for.
    private static readonly FrozenDictionary<string, string> Abbreviations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mant"] = "mantencion", ["mantto"] = "mantencion", ["mantenc"] = "mantencion", ["mtto"] = "mantencion", ["mtt"] = "mantencion",
        ["inst"] = "instalacion", ["instal"] = "instalacion",
        ["hh"] = "horas hombre", ["hrs"] = "horas", ["hr"] = "horas",
        ["serv"] = "servicio", ["svc"] = "servicio", ["ss"] = "servicios",
        ["arr"] = "arriendo", ["arrdo"] = "arriendo",
        ["sum"] = "suministro", ["sumin"] = "suministro", ["sumi"] = "suministro",
        ["transp"] = "transporte", ["trans"] = "transporte",
        ["const"] = "construccion", ["constr"] = "construccion",
        ["elec"] = "electrico", ["electr"] = "electrico",
        ["ing"] = "ingenieria", ["ingen"] = "ingenieria",
        ["eq"] = "equipo", ["eqs"] = "equipos", ["equip"] = "equipo",
        ["se"] = "subestacion", ["sse"] = "subestacion", ["subest"] = "subestacion", ["s/e"] = "subestacion",
        ["fv"] = "fotovoltaica", ["pv"] = "fotovoltaica",
        ["lt"] = "linea transmision", ["lat"] = "linea alta tension",
        ["mat"] = "materiales", ["mats"] = "materiales", ["matl"] = "materiales",
        ["rep"] = "reparacion", ["repar"] = "reparacion",
        ["insp"] = "inspeccion",
        ["cap"] = "capacitacion", ["capac"] = "capacitacion",
        ["comb"] = "combustible", ["petr"] = "petroleo",
        ["hormig"] = "hormigon", ["horm"] = "hormigon",
        ["estr"] = "estructura", ["estruct"] = "estructura",
        ["obr"] = "obras", ["ob"] = "obras",
        ["aliment"] = "alimentacion", ["alim"] = "alimentacion",
        ["aloj"] = "alojamiento",
        ["prev"] = "preventiva", ["correct"] = "correctiva",
        ["trafo"] = "transformador", ["transf"] = "transformador",
        ["gen"] = "generador", ["grupo"] = "grupo",
        ["topog"] = "topografia", ["topo"] = "topografia",
        ["aseo"] = "aseo", ["vig"] = "vigilancia",
        ["contab"] = "contabilidad", ["admin"] = "administracion", ["adm"] = "administracion",
        ["cta"] = "cuenta", ["fact"] = "factura",
        ["depto"] = "departamento", ["deptos"] = "departamentos", ["dpto"] = "departamento", ["dptos"] = "departamentos",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Stopwords = new[]
    {
        "a", "al", "ante", "bajo", "con", "contra", "de", "del", "desde", "durante", "e", "el", "en", "entre", "es", "esta",
        "este", "hacia", "hasta", "la", "las", "lo", "los", "mas", "n", "no", "nro", "num", "o", "otro", "otros", "para",
        "por", "que", "se", "segun", "sin", "sobre", "su", "sus", "tras", "u", "un", "una", "uno", "unos", "y", "ya",
        "mes", "segun", "total", "neto", "iva", "valor", "monto", "item", "items", "detalle", "glosa", "factura",
        "correspondiente", "corresponde", "periodo", "sr", "sra", "sres", "favor", "cliente", "proyecto", "obra",
        "cod", "codigo", "sku", "ref", "art", "articulo",
        "oc", "hes", "np", "contrato", // reference prefixes: the reference signal carries them, as text they are noise
    }.ToFrozenSet(StringComparer.Ordinal);

    // Units of measure: noise for text similarity (a line "10 un" says nothing about the project).
    private static readonly FrozenSet<string> Units = new[]
    {
        "un", "und", "unid", "unidad", "unidades", "uds", "gl", "glb", "global", "kg", "kgs", "gr", "grs", "ton", "tons", "tn",
        "m", "m2", "m3", "mt", "mts", "ml", "mm", "cm", "km", "lt", "lts", "litro", "litros", "cc", "pza", "pzas", "pieza",
        "piezas", "caja", "cajas", "rollo", "rollos", "par", "pares", "set", "kit", "jgo", "juego", "dia", "dias", "mes", "meses", "kw", "kwh", "mw", "mwh", "kva", "kv", "v", "a", "hp", "clp", "uf", "usd", "pulg",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The three tables in one, looked up by span (tokens are slices of the folded text, not strings): an
    /// abbreviation gives the stems a written-out expansion would give (its words obey the same filters as written
    /// words: "hh" and "horas hombre" must agree); a stopword or unit gives none, and the token is dropped. One
    /// look-up per token instead of three; where a word is in two tables the abbreviation wins, as it is read first.</summary>
    private static readonly FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> TableWords = Stopwords.Concat(Units).Distinct()
        .Where(w => !Abbreviations.ContainsKey(w))
        .Select(w => KeyValuePair.Create(w, Array.Empty<string>()))
        .Concat(Abbreviations.Select(a => KeyValuePair.Create(a.Key, a.Value.Split(' ').Where(w => !Stopwords.Contains(w) && !Units.Contains(w)).Select(Stem).ToArray())))
        .ToFrozenDictionary(StringComparer.Ordinal)
        .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Texts up to this length are folded on the stack; longer ones in a pooled buffer.</summary>
    private const int StackFoldLength = 256;

    /// <summary>Lower case, accents removed, everything but letters and digits as single spaces.
    /// Dots, slashes and hyphens (<c>s/e</c>, <c>o.c.</c>, <c>PRJ-017</c>) are kept: they join codes.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return string.Create(text.Length, text, static (span, source) => Fold(source, span));
    }

    private static void Fold(ReadOnlySpan<char> source, Span<char> destination)
    {
        var ascii = AsciiFold;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            destination[i] = c < 128 ? ascii[c] : FoldChar(c);
        }
    }

    // Spanish accents and the usual Latin-1 letters by table (no Unicode normalisation on the hot path).
    private static char FoldChar(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : c is '/' or '.' or '-' ? c : c == '_' ? '-' : ' ';
        }

        switch (c)
        {
            case 'á' or 'à' or 'â' or 'ä' or 'Á' or 'À' or 'Â' or 'Ä': return 'a';
            case 'é' or 'è' or 'ê' or 'ë' or 'É' or 'È' or 'Ê' or 'Ë': return 'e';
            case 'í' or 'ì' or 'î' or 'ï' or 'Í' or 'Ì' or 'Î' or 'Ï': return 'i';
            case 'ó' or 'ò' or 'ô' or 'ö' or 'Ó' or 'Ò' or 'Ô' or 'Ö': return 'o';
            case 'ú' or 'ù' or 'û' or 'ü' or 'Ú' or 'Ù' or 'Û' or 'Ü': return 'u';
            case 'ñ' or 'Ñ': return 'n';
            case 'ç' or 'Ç': return 'c';
            default:
                if (!char.IsLetterOrDigit(c))
                {
                    return ' ';
                }

                // Any other accented letter: its base letter.
                var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
                return char.ToLowerInvariant(decomposed[0]);
        }
    }

    /// <summary>The one word <paramref name="folded"/> abbreviates ("deptos": "departamentos"), or itself.</summary>
    public static string Expanded(string folded) =>
        Abbreviations.TryGetValue(folded, out var word) && !word.Contains(' ', StringComparison.Ordinal) ? word : folded;

    /// <summary>Text terms (stems) of <paramref name="text"/>, in order, with abbreviations expanded and
    /// stopwords, units, numbers and SKU-like tokens dropped. Appends to <paramref name="terms"/>.</summary>
    /// <param name="text">Raw text.</param>
    /// <param name="terms">Receives the stems.</param>
    /// <param name="abbreviations">Receives the prefixes of tokens written as abbreviations (<c>insp.</c>), if not null.</param>
    /// <param name="typoCandidates">Receives the stems of long words (seven letters or more), the only ones
    /// worth a typo-tolerant lookup: shorter words are too often another real word one letter away.</param>
    public static void Terms(string? text, List<string> terms, List<string>? abbreviations = null, List<string>? typoCandidates = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        // Folded into a stack or pooled buffer, and read as spans: only the stems become strings.
        var rented = text.Length > StackFoldLength ? ArrayPool<char>.Shared.Rent(text.Length) : null;
        var folded = rented is null ? stackalloc char[text.Length] : rented.AsSpan(0, text.Length);
        Fold(text, folded);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var c = i < folded.Length ? folded[i] : ' ';
            if (char.IsLetterOrDigit(c) || (c == '/' && start >= 0 && i + 1 < folded.Length && char.IsLetter(folded[i + 1])))
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                var abbreviated = c == '.';
                AddToken(folded[start..i], abbreviated, terms, abbreviations, typoCandidates);
                start = -1;
            }
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

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
            // contract and tender numbers are never grouped that way.
            if (references is not null && digits > 0 && !IsGroupedThousands(folded[start..i]))
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

    /// <summary>Light Spanish stemmer: plural folded, then cut to <see cref="StemLength"/> letters.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Stem(word.AsSpan());
    }

    private static string Stem(ReadOnlySpan<char> w)
    {
        if (w.Length > 4 && w.EndsWith("ces", StringComparison.Ordinal))
        {
            // luces -> luz, cruces -> cruz
            var root = w[..^3];
            return root.Length >= StemLength ? root[..StemLength].ToString() : string.Concat(root, "z");
        }

        if (w.Length > 4 && w.EndsWith("es", StringComparison.Ordinal) && !IsVowel(w[^3]))
        {
            w = w[..^2]; // instalaciones -> instalacion, transformadores -> transformador
        }
        else if (w.Length > 3 && w[^1] == 's')
        {
            w = w[..^1]; // paneles' handled above; postes -> poste, equipos -> equipo
        }

        return (w.Length > StemLength ? w[..StemLength] : w).ToString();
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

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    private static void AddToken(ReadOnlySpan<char> token, bool abbreviated, List<string> terms, List<string>? abbreviations, List<string>? typoCandidates = null)
    {
        if (TableWords.TryGetValue(token, out var stems))
        {
            terms.AddRange(stems); // none for a stopword or unit (no table word has a '/' to split at)
            return;
        }

        if (token.Contains('/'))
        {
            foreach (var part in token.Split('/'))
            {
                if (!token[part].IsEmpty)
                {
                    AddToken(token[part], false, terms, abbreviations);
                }
            }

            return;
        }

        if (token.Length < 2 || token.ContainsAnyInRange('0', '9'))
        {
            return;
        }

        if (abbreviated && abbreviations is not null && token.Length is >= 3 and < StemLength)
        {
            abbreviations.Add(token.ToString());
            return;
        }

        var stem = Stem(token);
        terms.Add(stem);
        if (token.Length >= 7)
        {
            typoCandidates?.Add(stem);
        }
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

        return digits == normalized.Length ? digits >= 5 : normalized.Length >= 6 && !IsAluminiumAlloyTemper(normalized) && !IsDimensions(normalized);
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
