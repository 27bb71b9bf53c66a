using System.Buffers;
using System.Runtime.InteropServices;
using AiGrpc.Common;

namespace AiGrpc.Analytics.Matching;
/// <summary>The index's data structures: postings, per-build document terms, supplier columns and counts, reference map.</summary>
public sealed partial class LocalMatchIndex
{

    private readonly record struct Posting(int Document, float Weight);

    /// <summary>
    /// The term frequencies of every document while the index is built, in one buffer rented from the shared
    /// pool: they are only needed until the postings exist, and at thousands of documents a fresh buffer
    /// (or one list per document) was the bulk of each request's garbage.
    /// </summary>
    private sealed class DocumentTerms : IDisposable
    {
        private (int Term, double LogTf)[] _entries;
        private readonly int[] _starts;
        private int _documents;
        private int _count;

        public DocumentTerms(int documents)
        {
            _starts = new int[documents + 1];
            _entries = ArrayPool<(int, double)>.Shared.Rent(Math.Max(16, documents * 12));
        }

        /// <summary>The entries of one document; writable, for the build to turn frequencies into weights in place.</summary>
        public Span<(int Term, double LogTf)> Of(int document) => Of(document, 1);

        /// <summary>The entries of <paramref name="count"/> consecutive documents.</summary>
        public Span<(int Term, double LogTf)> Of(int first, int count) => _entries.AsSpan(_starts[first], _starts[first + count] - _starts[first]);

        /// <summary>Adds the next document: its distinct terms (given ids in <paramref name="dictionary"/>) and their frequencies.</summary>
        public void Add((Term Term, double LogTf)[] terms, TermDictionary dictionary)
        {
            if (_count + terms.Length > _entries.Length)
            {
                var larger = ArrayPool<(int, double)>.Shared.Rent(Math.Max(_entries.Length * 2, _count + terms.Length));
                _entries.AsSpan(0, _count).CopyTo(larger);
                ArrayPool<(int, double)>.Shared.Return(_entries);
                _entries = larger;
            }

            foreach (var (term, logTf) in terms)
            {
                _entries[_count++] = (dictionary.GetOrAdd(term), logTf);
            }

            _starts[++_documents] = _count;
        }

        public void Dispose() => ArrayPool<(int, double)>.Shared.Return(_entries);
    }

    /// <summary>The supplier of each history row that counts for supplier history, as an integer key: the RUT's
    /// <see cref="Rut.TryKey"/>, or the hash of the folded name (with the names, to confirm a match). Made the first
    /// time an invoice asks for a supplier (a race makes it twice, alike), not while the index is built.</summary>
    private sealed class SupplierColumn(int[] keys, string?[] names)
    {
        private const int None = -1; // not a RUT key (those are at least 11); for names, confirmed by the null name

        public int[] Keys { get; } = keys;

        public string?[] Names { get; } = names;

        public static SupplierColumn OfRuts(LocalMatchIndex index)
        {
            var keys = new int[index._history.Length];
            for (var h = 0; h < keys.Length; h++)
            {
                keys[h] = index.CountsForSupplier(h) && Rut.TryKey(index._history[h].SupplierRut, out var key) ? key : None;
            }

            return new SupplierColumn(keys, []);
        }

        public static SupplierColumn OfNames(LocalMatchIndex index)
        {
            var keys = new int[index._history.Length];
            var names = new string?[keys.Length];
            for (var h = 0; h < keys.Length; h++)
            {
                names[h] = index.CountsForSupplier(h) ? SupplierNameKey(index._history[h].SupplierName) : null;
                keys[h] = names[h] is { } name ? StringComparer.Ordinal.GetHashCode(name) : None;
            }

            return new SupplierColumn(keys, names);
        }
    }

    /// <summary>Reference codes and the projects that carry them. Almost every code names one project, so the map
    /// holds that project and only codes shared by several get a list: an array per code was a sixth of a large
    /// index build's garbage.</summary>
    private sealed class ReferenceMap(int capacity)
    {
        private readonly Dictionary<string, int> _first = new(capacity, StringComparer.Ordinal);
        private Dictionary<string, List<int>>? _others;

        public void Add(string reference, int project)
        {
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_first, reference, out var exists);
            if (!exists)
            {
                first = project;
                return;
            }

            if (first == project)
            {
                return;
            }

            _others ??= new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var others = CollectionsMarshal.GetValueRefOrAddDefault(_others, reference, out _) ??= [];
            if (!others.Contains(project))
            {
                others.Add(project);
            }
        }

        /// <summary>The first project (in request order) with <paramref name="reference"/>, and the others, if any.</summary>
        public bool TryGet(string reference, out int first, out List<int>? others)
        {
            others = null;
            if (!_first.TryGetValue(reference, out first))
            {
                return false;
            }

            _others?.TryGetValue(reference, out others);
            return true;
        }
    }

    private sealed class Postings(Posting[][] lists)
    {
        public ReadOnlySpan<Posting> Of(int term) => lists[term];
    }

    /// <summary>How one supplier's past invoices were assigned. A supplier works for a handful of projects, so
    /// two short arrays searched in order beat a dictionary per supplier (thousands of them per index).</summary>
    private sealed class SupplierStats
    {
        private int[] _projects = new int[2];
        private int[] _counts = new int[2];
        private int _length;

        public int Total { get; private set; }

        public void Add(int projectIndex)
        {
            Total++;
            var at = Array.IndexOf(_projects, projectIndex, 0, _length);
            if (at >= 0)
            {
                _counts[at]++;
                return;
            }

            if (_length == _projects.Length)
            {
                Array.Resize(ref _projects, _length * 2);
                Array.Resize(ref _counts, _length * 2);
            }

            _projects[_length] = projectIndex;
            _counts[_length++] = 1;
        }

        /// <summary>Writes each project's count at its index (the "no project" count, index -1, is not written).</summary>
        public void Scatter(Span<double> counts)
        {
            for (var k = 0; k < _length; k++)
            {
                if (_projects[k] >= 0)
                {
                    counts[_projects[k]] = _counts[k];
                }
            }
        }

        public int Count(int projectIndex)
        {
            var at = Array.IndexOf(_projects, projectIndex, 0, _length);
            return at >= 0 ? _counts[at] : 0;
        }

        /// <summary>Share with two pseudo-invoices of prior: one odd invoice among few does not dominate.</summary>
        public static double Share(int count, int total) => count / (total + 2.0);
    }
}
