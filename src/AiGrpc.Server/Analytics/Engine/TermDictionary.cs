using System.Runtime.InteropServices;

namespace AiGrpc.Server.Analytics.Engine;

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
    private readonly Dictionary<Term, int> _ids = [];
    private readonly List<string> _terms = [];

    public int Count => _terms.Count;

    public int GetOrAdd(Term term)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, term, out var exists);
        if (!exists)
        {
            id = _terms.Count;
            _terms.Add(term.Text);
        }

        return id;
    }

    public bool TryGet(string term, out int id) => _ids.TryGetValue(new Term(term), out id);

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
