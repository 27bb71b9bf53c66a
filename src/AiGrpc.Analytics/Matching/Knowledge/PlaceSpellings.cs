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
    }

    /// <summary>The projects' places that <paramref name="normalized"/> (an invoice's text, normalised) misspells by one
    /// edit in one word; <paramref name="known"/> says whether a word is one the company's texts use.</summary>
    public IReadOnlyList<Place> Read(string normalized, Func<string, bool> known)
    {
        if (_names.Length == 0 || normalized.Length == 0)
        {
            return [];
        }

        var words = normalized.Split(' ');
        List<Place>? found = null;
        foreach (var (name, place) in _names)
        {
            for (var start = 0; start + name.Length <= words.Length; start++)
            {
                if (Misspells(words, start, name, known))
                {
                    (found ??= []).Add(place);
                    break;
                }
            }
        }

        return found ?? (IReadOnlyList<Place>)[];
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

        var misspelt = words[start + slip];
        return !known(misspelt) && !ChileGeography.Instance.IsName(misspelt);
    }
}
