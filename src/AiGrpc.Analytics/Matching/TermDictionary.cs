namespace AiGrpc.Analytics.Matching;

/// <summary>A stem with its hash computed once: index builds look the same stems up tens of thousands of times,
/// and the analysis cache hands them out already hashed.</summary>
internal readonly struct Term : IEquatable<Term>
{
    public Term(string text)
    {
        Text = text;
        Hash = StringComparer.Ordinal.GetHashCode(text);
    }

    public string Text { get; }

    public int Hash { get; }

    public bool Equals(Term other) => Hash == other.Hash && (ReferenceEquals(Text, other.Text) || string.Equals(Text, other.Text, StringComparison.Ordinal));

    public override bool Equals(object? obj) => obj is Term other && Equals(other);

    public override int GetHashCode() => Hash;
}

/// <summary>Stems of one index, with ids, and the two fuzzy lookups invoices need: typos (one edit) and
/// abbreviations (prefix).</summary>
internal sealed class TermDictionary
{
    // Open addressing over the terms' own (randomised, precomputed) hashes: an index build looks up every term of
    // every document, tens of thousands of times, and the analysis cache hands out each stem as one string
    // instance, so most probes end in a reference comparison. Slots hold id + 1 (0 is empty); at most half full.
    private int[] _slots = new int[64];
    private readonly List<string> _terms = [];
    private readonly List<int> _hashes = [];

    public int Count => _terms.Count;

    public int GetOrAdd(Term term)
    {
        var mask = _slots.Length - 1;
        for (var at = term.Hash & mask; ; at = (at + 1) & mask)
        {
            var slot = _slots[at];
            if (slot == 0)
            {
                _slots[at] = _terms.Count + 1;
                _terms.Add(term.Text);
                _hashes.Add(term.Hash);
                if (_terms.Count * 2 > _slots.Length)
                {
                    Grow();
                }

                return _terms.Count - 1;
            }

            if (Is(slot - 1, term))
            {
                return slot - 1;
            }
        }
    }

    public bool TryGet(string text, out int id)
    {
        var term = new Term(text);
        var mask = _slots.Length - 1;
        for (var at = term.Hash & mask; _slots[at] != 0; at = (at + 1) & mask)
        {
            if (Is(_slots[at] - 1, term))
            {
                id = _slots[at] - 1;
                return true;
            }
        }

        id = -1;
        return false;
    }

    private bool Is(int id, Term term) =>
        _hashes[id] == term.Hash && (ReferenceEquals(_terms[id], term.Text) || string.Equals(_terms[id], term.Text, StringComparison.Ordinal));

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var id = 0; id < _terms.Count; id++)
        {
            var at = _hashes[id] & mask;
            while (_slots[at] != 0)
            {
                at = (at + 1) & mask;
            }

            _slots[at] = id + 1;
        }
    }

    /// <summary>Known terms one insertion, deletion, substitution or transposition away.</summary>
    public IEnumerable<int> WithinOneEdit(string term)
    {
        for (var id = 0; id < _terms.Count; id++)
        {
            var candidate = _terms[id];
            if (Math.Abs(candidate.Length - term.Length) <= 1 && candidate.Length >= 4 && (IsOneEdit(term, candidate) || TruncatedOneEdit(term, candidate)))
            {
                yield return id;
            }
        }
    }

    /// <summary>Known terms starting with <paramref name="prefix"/>.</summary>
    public IEnumerable<int> WithPrefix(string prefix)
    {
        var stem = prefix.Length > 6 ? prefix[..6] : prefix;
        for (var id = 0; id < _terms.Count; id++)
        {
            if (_terms[id].StartsWith(stem, StringComparison.Ordinal))
            {
                yield return id;
            }
        }
    }

    /// <summary>Stems are cut to six letters, so a dropped or doubled letter shifts the cut: "mantncion" gives
    /// "mantnc", which is one edit from "manten" only once one side loses its last letter.</summary>
    private static bool TruncatedOneEdit(string a, string b) =>
        a.Length == b.Length && a.Length >= 5 && (IsOneEdit(a[..^1], b) || IsOneEdit(a, b[..^1]));

    internal static bool IsOneEdit(string a, string b)
    {
        if (a.Length == b.Length)
        {
            var first = -1;
            var differences = 0;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    if (++differences > 2)
                    {
                        return false;
                    }

                    first = first < 0 ? i : first;
                }
            }

            return differences == 1
                || (differences == 2 && first + 1 < a.Length && a[first] == b[first + 1] && a[first + 1] == b[first]);
        }

        var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
        if (longer.Length - shorter.Length != 1)
        {
            return false;
        }

        var skipped = false;
        for (int i = 0, j = 0; i < shorter.Length; j++)
        {
            if (shorter[i] == longer[j])
            {
                i++;
                continue;
            }

            if (skipped)
            {
                return false;
            }

            skipped = true;
        }

        return true;
    }
}
