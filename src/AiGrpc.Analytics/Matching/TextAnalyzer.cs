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
public static partial class TextAnalyzer
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
}
