using System.Collections.Frozen;

namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>A phrase found in a text: what it stands for, and where (in words of the normalised text).</summary>
/// <typeparam name="T">What phrases stand for.</typeparam>
/// <param name="Value">The value of the phrase.</param>
/// <param name="Phrase">The phrase as found (normalised).</param>
/// <param name="Start">Index of its first word.</param>
/// <param name="Words">Number of words.</param>
internal readonly record struct PhraseMatch<T>(T Value, string Phrase, int Start, int Words);

/// <summary>
/// Multi-word phrases (place names, trade terms, overhead expressions) looked up in a text: the text is folded as the
/// matcher folds everything (lower case, no accents) with every non-alphanumeric character a single space, and read left
/// to right taking the longest phrase that starts at each word. The look-ups are on spans of the normalised text, so a
/// scan allocates only the matches.
/// </summary>
/// <typeparam name="T">What phrases stand for.</typeparam>
internal sealed class PhraseTable<T>
{
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    // First word of the phrases -> most words of a phrase that starts with it: most words of a text start no phrase,
    // and are passed over with one look-up instead of one per phrase length.
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _longestFrom;

    /// <summary>Builds the table; a phrase given twice keeps its first value (files list the preferred reading first).</summary>
    public PhraseTable(IEnumerable<(string Phrase, T Value)> phrases)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (phrase, value) in phrases)
        {
            var key = Normalize(phrase);
            if (key.Length > 0)
            {
                map.TryAdd(key, value);
            }
        }

        _lookup = map.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var longest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in map.Keys)
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            var first = space < 0 ? key : key[..space];
            var words = key.Count(c => c == ' ') + 1;
            longest[first] = Math.Max(words, longest.GetValueOrDefault(first));
        }

        _longestFrom = longest.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Count = map.Count;
    }

    /// <summary>Whether <paramref name="normalized"/> is one of the phrases.</summary>
    public bool Contains(string normalized) => _lookup.ContainsKey(normalized);

    /// <summary>Number of distinct phrases.</summary>
    public int Count { get; }

    /// <summary>Every phrase of <paramref name="normalized"/> (made by <see cref="Normalize"/>), longest first at each
    /// word, not overlapping.</summary>
    public List<PhraseMatch<T>> Find(string normalized)
    {
        var found = new List<PhraseMatch<T>>();
        if (normalized.Length == 0)
        {
            return found;
        }

        // Word start offsets, then from each start that begins a phrase every span up to its longest phrase, longest first.
        Span<int> starts = normalized.Length <= 1024 ? stackalloc int[(normalized.Length / 2) + 2] : new int[(normalized.Length / 2) + 2];
        var words = 0;
        for (var i = 0; i < normalized.Length; i++)
        {
            if (i == 0 || normalized[i - 1] == ' ')
            {
                starts[words++] = i;
            }
        }

        starts[words] = normalized.Length + 1; // one past the end, as if a space followed the last word
        for (var w = 0; w < words;)
        {
            var matched = 0;
            if (!_longestFrom.TryGetValue(normalized.AsSpan(starts[w], starts[w + 1] - 1 - starts[w]), out var longest))
            {
                w++;
                continue;
            }

            for (var n = Math.Min(longest, words - w); n > 0; n--)
            {
                var span = normalized.AsSpan(starts[w], starts[w + n] - 1 - starts[w]);
                if (_lookup.TryGetValue(span, out var value))
                {
                    found.Add(new PhraseMatch<T>(value, span.ToString(), w, n));
                    matched = n;
                    break;
                }
            }

            w += Math.Max(1, matched);
        }

        return found;
    }

    /// <summary>Folded (<see cref="TextAnalyzer.Fold(string?)"/>), every run of non-alphanumeric characters one space, trimmed.</summary>
    public static string Normalize(string? text)
    {
        var folded = TextAnalyzer.Fold(text);
        return string.Create(folded.Length, folded, static (span, source) =>
        {
            var n = 0;
            var space = true;
            foreach (var c in source)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    span[n++] = c;
                    space = false;
                }
                else if (!space)
                {
                    span[n++] = ' ';
                    space = true;
                }
            }

            if (n > 0 && span[n - 1] == ' ')
            {
                n--;
            }

            span[n..].Clear();
        }).TrimEnd('\0');
    }
}
