using System.Buffers;
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
