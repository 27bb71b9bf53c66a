namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>
/// The places of one company's projects as their texts spell them, read in invoices with one slip of the keyboard:
/// "Temuko", "San Palbo", "Puerto Mont", "Frecia". Only the projects' own places are tried (a misspelt word is read as the
/// place of a project, never as any of Chile's 346 communes), only names of five letters or more, and only words the
/// company's own texts do not use ("parque" stays a park next to a project in Pirque).
/// </summary>
internal sealed class PlaceSpellings
{
    private const int MinLength = 5;

    private readonly (string[] Words, Place Place)[] _names;

    // The names whose first word starts, or ends, with a letter: an invoice word can begin a misspelling of a name only
    // if it keeps the first or the last letter of the name's first word (one edit of a word of three or more letters
    // does), so each word of the invoice is tried against these few names instead of all of them.
    private readonly Dictionary<char, int[]> _byFirstLetter;
    private readonly Dictionary<char, int[]> _byLastLetter;

    public PlaceSpellings(IEnumerable<ProjectDomain> projects)
    {
        var names = new Dictionary<string, Place>(StringComparer.Ordinal);
        foreach (var project in projects)
        {
            foreach (var (phrase, place) in project.PlaceNames)
            {
                if (phrase.Length >= MinLength)
                {
                    names.TryAdd(phrase, place);
                }
            }
        }

        _names = [.. names.Select(n => (n.Key.Split(' '), n.Value))];
        _byFirstLetter = Buckets(w => w[0]);
        _byLastLetter = Buckets(w => w[^1]);
    }

    private Dictionary<char, int[]> Buckets(Func<string, char> letter) =>
        Enumerable.Range(0, _names.Length).GroupBy(i => letter(_names[i].Words[0])).ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>The projects' places that <paramref name="normalized"/> (an invoice's text, normalised) misspells by one
    /// edit in one word; <paramref name="known"/> says whether a word is one the company's texts use.</summary>
    public IReadOnlyList<Place> Read(string normalized, Func<string, bool> known)
    {
        if (_names.Length == 0 || normalized.Length == 0)
        {
            return [];
        }

        var words = normalized.Split(' ');
        bool[]? misspelt = null;
        for (var start = 0; start < words.Length; start++)
        {
            var word = words[start];
            if (word.Length == 0)
            {
                continue;
            }

            if (_byFirstLetter.TryGetValue(word[0], out var first))
            {
                Try(first, start);
            }

            if (_byLastLetter.TryGetValue(word[^1], out var last))
            {
                Try(last, start);
            }
        }

        if (misspelt is null)
        {
            return [];
        }

        // In the order of the names, as every reader of the places expects one order for one text.
        var found = new List<Place>();
        for (var i = 0; i < misspelt.Length; i++)
        {
            if (misspelt[i])
            {
                found.Add(_names[i].Place);
            }
        }

        return found;

        void Try(int[] names, int start)
        {
            foreach (var i in names)
            {
                var name = _names[i].Words;
                if ((misspelt is null || !misspelt[i]) && start + name.Length <= words.Length && Misspells(words, start, name, known))
                {
                    (misspelt ??= new bool[_names.Length])[i] = true;
                }
            }
        }
    }

    /// <summary>The words at <paramref name="start"/> spell <paramref name="name"/> but for one edit in one word, which
    /// is neither a word the company uses nor another place's name.</summary>
    private static bool Misspells(string[] words, int start, string[] name, Func<string, bool> known)
    {
        var slip = -1;
        for (var k = 0; k < name.Length; k++)
        {
            var word = words[start + k];
            if (string.Equals(word, name[k], StringComparison.Ordinal))
            {
                continue;
            }

            // One edit keeps the first or the last letter of a word of three or more: a cheap test before the full one.
            if (slip >= 0 || word.Length < 3 || Math.Abs(word.Length - name[k].Length) > 1 || (word[0] != name[k][0] && word[^1] != name[k][^1])
                || !TermDictionary.IsOneEdit(word, name[k]))
            {
                return false;
            }

            slip = k;
        }

        if (slip < 0)
        {
            return false; // spelt right: the gazetteer already read it
        }

        // A word the company's texts use is that word, not a slip ("parque" next to a project in Pirque). The texts are
        // held as six-letter stems, so a slip after the sixth letter ("Talcahuno", "Antofagsta") has the name's own stem:
        // that stem is known because the name is, which says nothing about the slip. A plural or singular of the name
        // ("colinas", "granero") is a word of its own, not a slip.
        var misspelt = words[start + slip];
        var ownStem = string.Equals(TextAnalyzer.Stem(misspelt), TextAnalyzer.Stem(name[slip]), StringComparison.Ordinal)
            && !string.Equals(misspelt + "s", name[slip], StringComparison.Ordinal) && !string.Equals(misspelt, name[slip] + "s", StringComparison.Ordinal);
        return (ownStem || !known(misspelt)) && !ChileGeography.Instance.IsName(misspelt);
    }
}
