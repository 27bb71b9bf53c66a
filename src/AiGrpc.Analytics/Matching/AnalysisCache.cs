using System.Collections.Concurrent;

namespace AiGrpc.Analytics.Matching;

/// <summary>
/// Analysed forms of project and history texts, shared by every index in the process. Projects and
/// history arrive with each request, but a company sends the same ones again and again, so most of an
/// index build is re-analysing text seen a moment ago; caching the (pure, deterministic) analysis makes
/// the per-request index cost mostly dictionary lookups. Bounded: when full it is emptied and refills,
/// which bounds memory without the bookkeeping of an LRU.
/// </summary>
internal static class AnalysisCache
{
    internal const int Capacity = 50_000;

    // Texts longer than this are analysed every time: keys are held by the cache, and 50,000 descriptions of
    // the 10,000 characters a request may carry would be a gigabyte. Names, codes, keywords and invoice
    // descriptions are far shorter, so the cache still covers what repeats.
    private const int MaxCachedLength = 512;

    private static readonly ConcurrentDictionary<string, Term[]> TermsByText = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> TermTexts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string[]> ReferencesByText = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<ProjectText, ProjectAnalysis> Projects = new();
    private static readonly ConcurrentDictionary<string, (Term Term, double LogTf)[]> PastInvoices = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> BareReferences = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> SupplierNames = new(StringComparer.Ordinal);
    private static int _count;

    /// <summary>A supplier name without accents, punctuation or company-type suffixes (SpA, Ltda., S.A.).</summary>
    public static string SupplierName(string name) => Memo(SupplierNames, name, FoldSupplierName);

    /// <summary>Index-side terms of a text (no abbreviation or typo bookkeeping, which only queries need). Each stem is
    /// one string instance wherever it occurs, so that an index build, which looks stems up tens of thousands of
    /// times, compares references instead of characters.</summary>
    public static Term[] Terms(string text) => Memo(TermsByText, text, static t =>
    {
        var list = new List<string>(16);
        TextAnalyzer.Terms(t, list);
        return [.. list.Select(term => new Term(Intern(term)))];
    });

    /// <summary>Stems held by the cache (they count towards its capacity, as cached analyses do).</summary>
    internal static int InternedTermCount => TermTexts.Count;

    /// <summary><see cref="TextAnalyzer.NormalizeReference"/> of a project code or keyword.</summary>
    public static string BareReference(string text) => Memo(BareReferences, text, TextAnalyzer.NormalizeReference);

    /// <summary>The analysis of a project's texts (<see cref="ProjectAnalysis"/>), one look-up for all its fields.</summary>
    public static ProjectAnalysis Project(ProjectCandidate project)
    {
        var key = new ProjectText(project);
        return Memo(Projects, key, key.Length <= MaxCachedLength * 4, project, ProjectAnalysis.Of);
    }

    /// <summary>The terms of a past invoice's description, with their frequencies (<see cref="AssignedInvoiceAnalysis"/>).</summary>
    public static (Term Term, double LogTf)[] PastInvoiceTerms(string? description) =>
        string.IsNullOrWhiteSpace(description) ? [] : Memo(PastInvoices, description, AssignedInvoiceAnalysis.Of);

    /// <summary>Normalised references found in a text.</summary>
    public static string[] References(string text) => Memo(ReferencesByText, text, static t =>
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        TextAnalyzer.References(t, set);
        return [.. set];
    });

    // Dots are dropped before splitting, so that "S.P.A.", "S.A." and "E.I.R.L." read as the suffixes they are.
    private static string FoldSupplierName(string name) =>
        string.Join(' ', TextAnalyzer.Fold(name).Replace(".", string.Empty, StringComparison.Ordinal).Split([' ', '-', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t is not ("ltda" or "sa" or "spa" or "eirl" or "limitada" or "y" or "cia")));

    /// <summary>The one instance of <paramref name="term"/>. Counted like a cached analysis: texts too long to cache
    /// are still analysed, and their stems would otherwise accumulate without bound.</summary>
    private static string Intern(string term)
    {
        if (TermTexts.TryGetValue(term, out var known))
        {
            return known;
        }

        Reset();
        return TermTexts.GetOrAdd(term, term);
    }

    /// <summary>The analysis of <paramref name="text"/>, from <paramref name="map"/> or computed and kept there.</summary>
    private static T Memo<T>(ConcurrentDictionary<string, T> map, string text, Func<string, T> analyse) =>
        Memo(map, text, text.Length <= MaxCachedLength, text, analyse);

    /// <summary>The analysis of <paramref name="input"/> under <paramref name="key"/>, from <paramref name="map"/> or
    /// computed and, when <paramref name="keep"/> (the key is small enough to hold), kept there.</summary>
    private static T Memo<TKey, TInput, T>(ConcurrentDictionary<TKey, T> map, TKey key, bool keep, TInput input, Func<TInput, T> analyse)
        where TKey : notnull
    {
        if (!keep)
        {
            return analyse(input);
        }

        if (map.TryGetValue(key, out var value))
        {
            return value;
        }

        value = analyse(input);
        Reset();
        map.TryAdd(key, value);
        return value;
    }

    // ConcurrentDictionary.Count takes every lock, so the size is tracked on the side (approximately: a race
    // only moves the moment of the next reset).
    private static void Reset()
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Clear();
        }
    }

    /// <summary>Empties the cache. Also for mutation runs of the tests, which empty it before each test: an analysis
    /// kept from before a mutant was switched on would hide that mutant from every later test in the process.</summary>
    internal static void Clear()
    {
        Interlocked.Exchange(ref _count, 0);
        TermsByText.Clear();
        TermTexts.Clear();
        ReferencesByText.Clear();
        BareReferences.Clear();
        Projects.Clear();
        PastInvoices.Clear();
        SupplierNames.Clear();
    }

    /// <summary>The texts of a project that its analysis depends on (not its id, dates or budget), compared by value.</summary>
    internal readonly struct ProjectText : IEquatable<ProjectText>
    {
        private readonly string? _name;
        private readonly string? _code;
        private readonly string? _client;
        private readonly string? _location;
        private readonly string? _description;
        private readonly IReadOnlyList<string> _keywords;
        private readonly int _hash;

        public ProjectText(ProjectCandidate p)
        {
            (_name, _code, _client, _location, _description, _keywords) = (p.Name, p.Code, p.Client, p.Location, p.Description, p.Keywords);
            var hash = new HashCode();
            hash.Add(_name, StringComparer.Ordinal);
            hash.Add(_code, StringComparer.Ordinal);
            hash.Add(_client, StringComparer.Ordinal);
            hash.Add(_location, StringComparer.Ordinal);
            hash.Add(_description, StringComparer.Ordinal);
            var length = (_name?.Length ?? 0) + (_code?.Length ?? 0) + (_client?.Length ?? 0) + (_location?.Length ?? 0) + (_description?.Length ?? 0);
            foreach (var keyword in _keywords)
            {
                hash.Add(keyword, StringComparer.Ordinal);
                length += keyword?.Length ?? 0;
            }

            _hash = hash.ToHashCode();
            Length = length;
        }

        /// <summary>Characters held by the key.</summary>
        public int Length { get; }

        public bool Equals(ProjectText other) =>
            _hash == other._hash && _name == other._name && _code == other._code && _client == other._client && _location == other._location
            && _description == other._description && _keywords.SequenceEqual(other._keywords, StringComparer.Ordinal);

        public override bool Equals(object? obj) => obj is ProjectText other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
