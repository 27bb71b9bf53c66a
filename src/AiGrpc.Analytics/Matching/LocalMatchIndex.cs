using System.Collections.Concurrent;

namespace AiGrpc.Analytics.Matching;

/// <summary>The signals of one candidate for one invoice (inputs of <see cref="MatchWeights"/>).</summary>
/// <param name="ProjectIndex">Index of the project in the request, or -1 for "no project".</param>
/// <param name="Values">Feature values in <see cref="MatchWeights"/> order (project or none part).</param>
public sealed record CandidateFeatures(int ProjectIndex, double[] Values);

/// <summary>
/// Projects and history of one request, indexed: a term dictionary, TF-IDF vectors with inverted lists
/// for project texts and past invoices, reference codes, and per-supplier assignment counts. Matching
/// an invoice touches only the lists of its own terms, so the cost grows with the overlap, not with
/// the number of projects and history rows.
/// </summary>
public sealed partial class LocalMatchIndex : IMatchIndex
{
    // Days a date may fall outside a project's dates and still count as inside: invoices arrive after
    // the work, and projects start buying before their official start.
    private const int DaysBeforeStart = 45;
    private const int DaysAfterEnd = 120;

    private readonly ProjectCandidate[] _projects;
    private readonly Dictionary<int, int> _indexById;
    private readonly double[] _projectWeights;
    private readonly double[] _noneWeights;
    private readonly AbstentionPolicy _abstention;
    private readonly ConfidenceModel _confidence;
    private readonly TermDictionary _terms = new();
    private readonly Postings _projectPostings;
    private readonly Postings _historyPostings;
    private readonly double[] _idf;
    private readonly ReferenceMap _projectsByReference;
    private readonly AssignedInvoice[] _history;
    private readonly int[] _historyProject; // project index, or -1 for none/unknown project
    private SupplierColumn? _historyRuts; // made on first demand, see SupplierByRut
    private SupplierColumn? _historyNames;
    private readonly ConcurrentDictionary<int, SupplierStats> _suppliersByRut = new();
    private readonly ConcurrentDictionary<string, SupplierStats> _suppliersByName = new(StringComparer.Ordinal);
    private readonly string?[] _descriptions; // "code name" of each project, made when a reasoning first names it
    private readonly Knowledge.ProjectDomain[] _domains; // places, kinds and voltages of each project
    private readonly Knowledge.PlaceSpellings _placeSpellings; // the projects' places, read with one typo
    private readonly Func<string, bool> _isKnownWord; // IsKnownWord, made once: a method group would be a new delegate per match
    private readonly int[][] _projectsByNameTerm; // term id -> projects whose name has it
    private readonly double[] _nameIdf; // sum of the idf of each project's name terms
    private readonly int[][] _projectsByClientTerm; // the same for the projects' clients
    private readonly double[] _clientIdf;
    private readonly bool _anyAddress; // whether some project writes a street address (else a bill's are not read)

    internal LocalMatchIndex(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<AssignedInvoice> history, MatchWeights weights, AbstentionPolicy abstention, ConfidenceModel confidence)
    {
        _projectWeights = weights.ProjectVector();
        _noneWeights = weights.NoneVector();
        _abstention = abstention;
        _confidence = confidence;
        _projects = [.. projects];
        _descriptions = new string?[_projects.Length];
        _domains = new Knowledge.ProjectDomain[_projects.Length];
        _history = [.. history];
        _indexById = new Dictionary<int, int>(_projects.Length);
        _projectsByReference = new ReferenceMap(_projects.Length * 3);
        for (var i = 0; i < _projects.Length; i++)
        {
            _indexById.TryAdd(_projects[i].Id, i);
        }

        // Terms of each document, weighted by field: names and keywords say more than descriptions.
        using var docs = new DocumentTerms(_projects.Length + _history.Length);
        var nameTerms = new int[_projects.Length][];
        var clientTerms = new int[_projects.Length][];
        Dictionary<string, int>? tagOwners = null;
        for (var i = 0; i < _projects.Length; i++)
        {
            var analysis = AnalysisCache.Project(_projects[i]);
            docs.Add(analysis.Terms, _terms); // distinct terms, weights already summed over the fields
            _domains[i] = analysis.Domain;
            nameTerms[i] = [.. analysis.NameTerms.Select(_terms.GetOrAdd)];
            clientTerms[i] = [.. analysis.ClientTerms.Select(_terms.GetOrAdd)];
            IndexReferences(i, analysis.References);
            OwnNameTags(i, analysis.NameTags, ref tagOwners);
            _anyAddress |= analysis.Domain.Addresses.Count > 0;
        }

        IndexNameTags(tagOwners);

        _placeSpellings = new Knowledge.PlaceSpellings(_domains);
        _isKnownWord = IsKnownWord;
        _historyProject = new int[_history.Length];
        for (var h = 0; h < _history.Length; h++)
        {
            var past = _history[h];
            docs.Add(AnalysisCache.PastInvoiceTerms(past.Description), _terms);
            _historyProject[h] = past.ProjectId is { } id && _indexById.TryGetValue(id, out var pi) ? pi : -1;
        }

        // Inverse document frequency over every document the index holds.
        var documentCount = _projects.Length + _history.Length;
        var projectDf = DocumentFrequencies(docs, 0, _projects.Length);
        var historyDf = DocumentFrequencies(docs, _projects.Length, _history.Length);
        _idf = new double[_terms.Count];
        for (var t = 0; t < _idf.Length; t++)
        {
            _idf[t] = Math.Log(1 + ((documentCount + 1.0) / (projectDf[t] + historyDf[t] + 0.5)));
        }

        (_projectsByNameTerm, _nameIdf) = NameIndex(nameTerms);
        (_projectsByClientTerm, _clientIdf) = NameIndex(clientTerms);
        _projectPostings = Invert(docs, 0, _projects.Length, projectDf);
        _historyPostings = Invert(docs, _projects.Length, _history.Length, historyDf);
    }

    /// <inheritdoc />
    public int ProjectCount => _projects.Length;

    /// <inheritdoc />
    public ProjectCandidate? FindProject(int projectId) => _indexById.TryGetValue(projectId, out var i) ? _projects[i] : null;

    /// <inheritdoc />
    public MatchResult Match(InvoiceToMatch invoice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoice);

        // No span of its own: a match takes microseconds, and a span (or four, as there were) cost as much as the
        // match itself. The caller's analytics.match_invoice span carries the outcome.
        using var evidence = Gather(invoice);
        cancellationToken.ThrowIfCancellationRequested();
        return Decide(invoice, evidence);
    }

    /// <summary>The features of every candidate (projects, then "no project" last), for fitting weights.</summary>
    public IReadOnlyList<CandidateFeatures> Features(InvoiceToMatch invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        using var e = Gather(invoice);
        var list = new List<CandidateFeatures>(_projects.Length + 1);
        var features = new ProjectFeatureReader(e);
        for (var i = 0; i < _projects.Length; i++)
        {
            var values = new double[ProjectFeatureCount];
            features.Read(i, values);
            list.Add(new CandidateFeatures(i, values));
        }

        var none = new double[NoneFeatureCount];
        NoneFeatures(e, none);
        list.Add(new CandidateFeatures(-1, none));
        return list;
    }

    /// <summary>Project id at an index of the request's project list.</summary>
    public int ProjectIdAt(int index) => _projects[index].Id;

    /// <summary>Confidence band for spans and logs (no raw values).</summary>
    public static string ConfidenceBand(double confidence) => confidence switch
    {
        >= 0.85 => "high",
        >= 0.7 => "medium",
        >= 0.5 => "low",
        _ => "very_low",
    };

    /// <summary>The projects of each name term, and the idf mass of each project's name.</summary>
    private (int[][] ByTerm, double[] NameIdf) NameIndex(int[][] nameTerms)
    {
        var counts = new int[_terms.Count];
        var nameIdf = new double[nameTerms.Length];
        for (var i = 0; i < nameTerms.Length; i++)
        {
            foreach (var t in nameTerms[i])
            {
                counts[t]++;
                nameIdf[i] += _idf[t];
            }
        }

        var byTerm = new int[counts.Length][];
        for (var t = 0; t < counts.Length; t++)
        {
            byTerm[t] = counts[t] == 0 ? [] : new int[counts[t]];
            counts[t] = 0;
        }

        for (var i = 0; i < nameTerms.Length; i++)
        {
            foreach (var t in nameTerms[i])
            {
                byTerm[t][counts[t]++] = i;
            }
        }

        return (byTerm, nameIdf);
    }

    /// <summary>Which project's name holds each equipment tag, -1 when two do.</summary>
    private static void OwnNameTags(int projectIndex, string[] tags, ref Dictionary<string, int>? owners)
    {
        foreach (var tag in tags)
        {
            owners ??= new Dictionary<string, int>(StringComparer.Ordinal);
            owners[tag] = owners.TryGetValue(tag, out var other) && other != projectIndex ? -1 : projectIndex;
        }
    }

    /// <summary>Equipment tags that one project's name alone holds, as references of that project: "CAMBIO POLINES CV-310"
    /// names the contract for conveyor CV-310. A tag in two names ("DS49" of two housing programmes) names neither.</summary>
    private void IndexNameTags(Dictionary<string, int>? owners)
    {
        foreach (var (tag, project) in owners ?? [])
        {
            if (project >= 0)
            {
                _projectsByReference.Add(tag, project);
            }
        }
    }

    private void IndexReferences(int projectIndex, string[] references)
    {
        foreach (var reference in references)
        {
            _projectsByReference.Add(reference, projectIndex);
        }
    }

    /// <summary>In how many of the documents <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1
    /// each term occurs.</summary>
    private int[] DocumentFrequencies(DocumentTerms docs, int first, int count)
    {
        var df = new int[_terms.Count];
        foreach (var (term, _) in docs.Of(first, count))
        {
            df[term]++;
        }

        return df;
    }

    // Postings as one exactly-sized array per term. Not one array for all terms: at thousands of documents that
    // array lands on the large-object heap, and every request's index build then paid for gen-2 collections; not
    // growing lists either, whose re-allocations were most of the build's garbage. Weights are floats: half the
    // memory of a large build, and seven digits are more than a cosine rounded to four needs.
    private Postings Invert(DocumentTerms docs, int first, int count, int[] df)
    {
        var lists = new Posting[_terms.Count][];
        var filled = df; // the frequencies are not needed after this: reused as each list's fill count
        for (var t = 0; t < lists.Length; t++)
        {
            lists[t] = df[t] == 0 ? [] : new Posting[df[t]];
            filled[t] = 0;
        }

        for (var d = 0; d < count; d++)
        {
            // TF-IDF weights written over the frequencies (scratch that is not read again), then normalised.
            var terms = docs.Of(first + d);
            var norm = 0.0;
            for (var k = 0; k < terms.Length; k++)
            {
                var weight = terms[k].LogTf * _idf[terms[k].Term];
                terms[k].LogTf = weight;
                norm += weight * weight;
            }

            norm = Math.Sqrt(norm);
            foreach (var (term, weight) in terms)
            {
                lists[term][filled[term]++] = new Posting(d, (float)(weight / norm));
            }
        }

        return new Postings(lists);
    }

    /// <summary>The supplier's history: by RUT when the RUT is known here, by name otherwise.</summary>
    private SupplierStats? FindSupplier(int? rutKey, string? name)
    {
        if (rutKey is { } key && SupplierByRut(key) is { } byRut)
        {
            return byRut;
        }

        return SupplierNameKey(name) is { } folded ? SupplierByName(folded) : null;
    }

    // A supplier's counts are made when an invoice first asks for that supplier, and kept: an invoice needs one
    // supplier's counts, and counting every supplier of thousands of rows was a quarter of an index build. Suppliers
    // that are not in the history are not kept (any caller could name millions), so asking again scans again.
    private SupplierStats? SupplierByRut(int key)
    {
        if (_suppliersByRut.TryGetValue(key, out var stats))
        {
            return stats;
        }

        stats = Count(_historyRuts ??= SupplierColumn.OfRuts(this), key, null);
        return stats is null ? null : _suppliersByRut.GetOrAdd(key, stats);
    }

    private SupplierStats? SupplierByName(string name)
    {
        if (_suppliersByName.TryGetValue(name, out var stats))
        {
            return stats;
        }

        stats = Count(_historyNames ??= SupplierColumn.OfNames(this), StringComparer.Ordinal.GetHashCode(name), name);
        return stats is null ? null : _suppliersByName.GetOrAdd(key: name, stats);
    }

    /// <summary>History pointing at a project that is not a candidate any more says nothing about this request's
    /// choice, except that the supplier is not general overhead: only rows of candidates and of "none" count.</summary>
    private bool CountsForSupplier(int row) => _history[row].ProjectId is null || _historyProject[row] >= 0;

    /// <summary>How the rows with <paramref name="key"/> in <paramref name="column"/> (and, for names, whose name is
    /// <paramref name="name"/>: keys there are hashes) were assigned; null when there are none.</summary>
    private SupplierStats? Count(SupplierColumn column, int key, string? name)
    {
        SupplierStats? stats = null;
        var keys = column.Keys.AsSpan();
        for (var at = 0; at < keys.Length; at++)
        {
            var next = keys[at..].IndexOf(key); // vectorised: most rows are other suppliers
            if (next < 0)
            {
                break;
            }

            at += next;
            if (name is null || string.Equals(column.Names[at], name, StringComparison.Ordinal))
            {
                (stats ??= new SupplierStats()).Add(_historyProject[at]);
            }
        }

        return stats;
    }

    internal static string? SupplierNameKey(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : AnalysisCache.SupplierName(name) is { Length: > 0 } folded ? folded : null;
}
