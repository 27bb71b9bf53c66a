using System.Globalization;
using System.Runtime.InteropServices;
using AiGrpc.Server.Common;
using AiGrpc.Server.Observability;

namespace AiGrpc.Server.Analytics.Engine;

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
public sealed class LocalMatchIndex : IMatchIndex
{
    // Days a date may fall outside a project's dates and still count as inside: invoices arrive after
    // the work, and projects start buying before their official start.
    private const int DaysBeforeStart = 45;
    private const int DaysAfterEnd = 120;

    private readonly ProjectCandidate[] _projects;
    private readonly Dictionary<int, int> _indexById;
    private readonly MatchWeights _weights;
    private readonly AbstentionPolicy _abstention;
    private readonly TermDictionary _terms = new();
    private readonly Postings _projectPostings;
    private readonly Postings _historyPostings;
    private readonly double[] _idf;
    private readonly Dictionary<string, int[]> _projectsByReference; // almost always one project per reference
    private readonly Dictionary<string, SupplierStats> _suppliersByRut;
    private readonly Dictionary<string, SupplierStats> _suppliersByName;
    private readonly PastInvoice[] _history;
    private readonly int[] _historyProject; // project index, or -1 for none/unknown project

    internal LocalMatchIndex(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<PastInvoice> history, MatchWeights weights, AbstentionPolicy abstention)
    {
        _weights = weights;
        _abstention = abstention;
        _projects = [.. projects];
        _history = [.. history];
        _indexById = new Dictionary<int, int>(_projects.Length);
        _projectsByReference = new Dictionary<string, int[]>(_projects.Length * 3, StringComparer.Ordinal);
        _suppliersByRut = new Dictionary<string, SupplierStats>(_history.Length / 4, StringComparer.Ordinal);
        _suppliersByName = new Dictionary<string, SupplierStats>(_history.Length / 4, StringComparer.Ordinal);
        for (var i = 0; i < _projects.Length; i++)
        {
            _indexById.TryAdd(_projects[i].Id, i);
        }

        // Terms of each document, weighted by field: names and keywords say more than descriptions.
        using var docs = new DocumentTerms(_projects.Length + _history.Length);
        for (var i = 0; i < _projects.Length; i++)
        {
            var analysis = AnalysisCache.Project(_projects[i]);
            docs.Add(analysis.Terms, _terms); // distinct terms, weights already summed over the fields
            IndexReferences(i, analysis.References);
        }

        _historyProject = new int[_history.Length];
        for (var h = 0; h < _history.Length; h++)
        {
            var past = _history[h];
            var analysis = AnalysisCache.History(past);
            docs.Add(analysis.Terms, _terms);
            var projectIndex = past.ProjectId is { } id && _indexById.TryGetValue(id, out var pi) ? pi : -1;
            _historyProject[h] = projectIndex;

            // History pointing at a project that is not a candidate any more says nothing about this request's
            // choice, except that the supplier is not general overhead: count only candidates and "none".
            if (past.ProjectId is not null && projectIndex < 0)
            {
                continue;
            }

            if (analysis.SupplierRut is { } rut)
            {
                SupplierStats.For(_suppliersByRut, rut).Add(projectIndex);
            }

            if (analysis.SupplierName is { } name)
            {
                SupplierStats.For(_suppliersByName, name).Add(projectIndex);
            }
        }

        // Inverse document frequency over every document the index holds.
        var documentCount = _projects.Length + _history.Length;
        var df = new int[_terms.Count];
        foreach (var (term, _) in docs.All)
        {
            df[term]++;
        }

        _idf = new double[_terms.Count];
        for (var t = 0; t < _idf.Length; t++)
        {
            _idf[t] = Math.Log(1 + ((documentCount + 1.0) / (df[t] + 0.5)));
        }

        _projectPostings = Invert(docs, 0, _projects.Length);
        _historyPostings = Invert(docs, _projects.Length, _history.Length);
    }

    /// <inheritdoc />
    public int ProjectCount => _projects.Length;

    /// <inheritdoc />
    public ProjectCandidate? FindProject(int projectId) => _indexById.TryGetValue(projectId, out var i) ? _projects[i] : null;

    /// <inheritdoc />
    public MatchResult Match(InvoiceToMatch invoice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        using var activity = Telemetry.Source.StartActivity("analytics.match");
        Evidence evidence;
        using (var candidates = Telemetry.Source.StartActivity("analytics.candidates"))
        {
            // Gathering the signals is where the inverted lists are walked: its own span shows the cost of history size.
            candidates?.SetTag("aigrpc.projects.count", _projects.Length);
            candidates?.SetTag("aigrpc.history.count", _history.Length);
            evidence = Gather(invoice);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var result = Decide(invoice, evidence);
        activity?.SetTag("aigrpc.projects.count", _projects.Length);
        activity?.SetTag("aigrpc.history.count", _history.Length);
        activity?.SetTag("aigrpc.match.outcome", result.MatchedProjectId is null ? "abstained" : "matched");
        activity?.SetTag("aigrpc.match.confidence_band", ConfidenceBand(result.Confidence));
        return result;
    }

    /// <summary>The features of every candidate (projects, then "no project" last), for fitting weights.</summary>
    public IReadOnlyList<CandidateFeatures> Features(InvoiceToMatch invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var e = Gather(invoice);
        var list = new List<CandidateFeatures>(_projects.Length + 1);
        for (var i = 0; i < _projects.Length; i++)
        {
            list.Add(new CandidateFeatures(i, ProjectFeatures(e, i)));
        }

        list.Add(new CandidateFeatures(-1, NoneFeatures(e)));
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

    private Evidence Gather(InvoiceToMatch invoice)
    {
        var e = new Evidence(_projects.Length);

        // Text of the invoice: description and lines.
        var scratch = new List<string>(64);
        var abbreviations = new List<string>();
        var typoCandidates = new List<string>();
        TextAnalyzer.Terms(invoice.Description, scratch, abbreviations, typoCandidates);
        foreach (var line in invoice.Lines)
        {
            TextAnalyzer.Terms(line.Description, scratch, abbreviations, typoCandidates);
        }

        var query = QueryVector(scratch, abbreviations, typoCandidates);
        e.QueryTermCount = query.Count;

        // Text similarity: cosine through the inverted lists.
        foreach (var (term, weight) in query)
        {
            foreach (var posting in _projectPostings.Of(term))
            {
                e.ProjectText[posting.Document] += weight * posting.Weight;
            }
        }

        // Similarity to past invoices, accumulated in a pooled array indexed by history row (a dictionary here was
        // most of a match's garbage at thousands of rows); only the rows touched are read and cleared again.
        var historySimilarity = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(1, _history.Length));
        var touched = new List<int>();
        try
        {
            foreach (var (term, weight) in query)
            {
                foreach (var posting in _historyPostings.Of(term))
                {
                    if (historySimilarity[posting.Document] == 0)
                    {
                        touched.Add(posting.Document);
                    }

                    historySimilarity[posting.Document] += weight * posting.Weight;
                }
            }

            foreach (var h in touched)
            {
                var similarity = historySimilarity[h];
                var project = _historyProject[h];
                if (project >= 0)
                {
                    e.HistoryText[project] = Math.Max(e.HistoryText[project], similarity);
                }
                else if (_history[h].ProjectId is null)
                {
                    e.NoneHistoryText = Math.Max(e.NoneHistoryText, similarity);
                }
            }

            var similar = TopFive(CollectionsMarshal.AsSpan(touched), historySimilarity);
            e.SimilarHistory = [.. similar.Select(h => new SimilarInvoice(_history[h].Description ?? string.Empty, _history[h].ProjectId, Math.Round(Math.Min(1, historySimilarity[h]), 4)))];
        }
        finally
        {
            foreach (var h in touched)
            {
                historySimilarity[h] = 0;
            }

            System.Buffers.ArrayPool<double>.Shared.Return(historySimilarity);
        }

        // Exact references: purchase order, codes in the text or lines.
        var references = new HashSet<string>(StringComparer.Ordinal);
        TextAnalyzer.References(invoice.PurchaseOrder, references);
        if (!string.IsNullOrWhiteSpace(invoice.PurchaseOrder))
        {
            // A bare purchase-order number ("12345") is a reference even when short.
            var bare = TextAnalyzer.NormalizeReference(invoice.PurchaseOrder);
            if (bare.Length >= 3)
            {
                references.Add(bare);
            }
        }

        TextAnalyzer.References(invoice.Description, references);
        foreach (var line in invoice.Lines)
        {
            TextAnalyzer.References(line.Description, references);
        }

        foreach (var reference in references)
        {
            if (_projectsByReference.TryGetValue(reference, out var matched))
            {
                foreach (var p in matched)
                {
                    e.Reference[p] = 1;
                    e.ReferenceText[p] ??= reference;
                }
            }
        }

        // Supplier history.
        e.Supplier = FindSupplier(invoice.SupplierRut, invoice.SupplierName);

        // Plausibility.
        for (var i = 0; i < _projects.Length; i++)
        {
            var p = _projects[i];
            if (invoice.IssueDate is { } date && (p.StartDate is not null || p.EndDate is not null))
            {
                var before = p.StartDate is { } start && date < start.AddDays(-DaysBeforeStart);
                var after = p.EndDate is { } end && date > end.AddDays(DaysAfterEnd);
                e.Date[i] = before || after ? -1 : 1;
            }

            if (invoice.Amount is { } amount && p.Budget is { } budget && budget > 0 && amount > budget)
            {
                e.OverBudget[i] = 1;
            }
        }

        return e;
    }

    private const int ProjectFeatureCount = 7;

    private static double[] ProjectFeatures(Evidence e, int i)
    {
        var f = new double[ProjectFeatureCount];
        ProjectFeatures(e, i, f);
        return f;
    }

    private static void ProjectFeatures(Evidence e, int i, Span<double> f)
    {
        f[0] = e.Reference[i];
        f[1] = e.Supplier?.Share(i) ?? 0;
        f[2] = Math.Min(1, e.ProjectText[i]);
        f[3] = Math.Min(1, e.HistoryText[i]);
        f[4] = e.Date[i];
        f[5] = e.OverBudget[i];
        f[6] = e.Reference[i] == 0 && (e.Supplier?.Count(i) ?? 0) == 0 && e.ProjectText[i] < 0.05 && e.HistoryText[i] < 0.05 ? 1 : 0;
    }

    /// <summary>The five indexes of <paramref name="values"/> with the highest values, highest first, ties by the
    /// smaller index; one pass with a five-slot insertion list instead of sorting thousands of projects.</summary>
    private static List<int> TopFive(double[] values)
    {
        var top = new List<int>(6);
        for (var i = 0; i < values.Length; i++)
        {
            Offer(top, i, values);
        }

        return top;
    }

    /// <summary>As <see cref="TopFive(double[])"/>, over the given <paramref name="items"/> only.</summary>
    private static List<int> TopFive(ReadOnlySpan<int> items, double[] values)
    {
        var top = new List<int>(6);
        foreach (var item in items)
        {
            Offer(top, item, values);
        }

        return top;
    }

    private static void Offer(List<int> top, int item, double[] values)
    {
        var v = values[item];
        var at = top.Count;
        while (at > 0 && (values[top[at - 1]] < v || (values[top[at - 1]] == v && top[at - 1] > item)))
        {
            at--;
        }

        if (at < 5)
        {
            top.Insert(at, item);
            if (top.Count > 5)
            {
                top.RemoveAt(5);
            }
        }
    }

    private static double[] NoneFeatures(Evidence e) =>
        [1, e.Supplier?.Share(-1) ?? 0, Math.Min(1, e.NoneHistoryText), e.Supplier is { } s ? (s.Total - s.Count(-1)) / (s.Total + 2.0) : 0];

    private MatchResult Decide(InvoiceToMatch invoice, Evidence e)
    {
        var score = Telemetry.Source.StartActivity("analytics.score");
        var w = _weights;
        var scores = new double[_projects.Length];
        var max = double.NegativeInfinity;
        Span<double> f = stackalloc double[ProjectFeatureCount];
        for (var i = 0; i < scores.Length; i++)
        {
            ProjectFeatures(e, i, f);
            scores[i] = (w.Reference * f[0]) + (w.SupplierShare * f[1]) + (w.ProjectText * f[2]) + (w.HistoryText * f[3]) + (w.DateInside * f[4]) + (w.OverBudget * f[5]) + (w.NoEvidence * f[6]);
            max = Math.Max(max, scores[i]);
        }

        var none = NoneFeatures(e);
        var noneScore = (w.NoneBias * none[0]) + (w.NoneSupplierShare * none[1]) + (w.NoneHistoryText * none[2]) + (w.NoneSupplierOnProjects * none[3]);
        max = Math.Max(max, noneScore);

        var sum = Math.Exp(noneScore - max);
        for (var i = 0; i < scores.Length; i++)
        {
            sum += Math.Exp(scores[i] - max);
        }

        var pNone = Math.Exp(noneScore - max) / sum;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Exp(scores[i] - max) / sum; // probabilities from here on
        }

        var ranked = TopFive(scores).Select(i => (Index: i, P: scores[i])).ToList();

        score?.Dispose();
        using var decide = Telemetry.Source.StartActivity("analytics.decide");
        var warnings = RutWarnings(invoice);
        var top = ranked.Count > 0 ? ranked[0] : (Index: -1, P: 0.0);
        var second = ranked.Count > 1 ? ranked[1].P : 0;
        var rankedScores = ranked.Select(x => new ProjectScore(_projects[x.Index].Id, Round(x.P))).ToList();

        string reasoning;
        int? matched = null;
        if (top.Index < 0)
        {
            reasoning = "Sin proyectos candidatos: no hay a qué asignar la factura.";
        }
        else if (pNone >= top.P)
        {
            reasoning = $"Sin coincidencia confiable: lo más probable es que no corresponda a un proyecto ({Percent(pNone)}){NoneReason(e)}.";
        }
        else if (ranked.Count > 1 && top.P - second < _abstention.MinMargin && top.P + second >= _abstention.MinConfidence)
        {
            // Checked before "weak evidence": two twins split a strong probability between them, and saying
            // so tells the bookkeeper which two to choose from.
            reasoning = $"Sin coincidencia confiable: dos proyectos demasiado parecidos, {Describe(top.Index)} ({Percent(top.P)}) y {Describe(ranked[1].Index)} ({Percent(second)}).";
        }
        else if (top.P < _abstention.MinConfidence)
        {
            reasoning = $"Sin coincidencia confiable: evidencia débil; el mejor candidato, {Describe(top.Index)}, llega a {Percent(top.P)}.";
        }
        else
        {
            matched = _projects[top.Index].Id;
            reasoning = $"Asignada a {Describe(top.Index)} ({Percent(top.P)}): {Signals(e, top.Index)}.";
        }

        if (warnings.Count > 0)
        {
            reasoning += " Advertencia: " + string.Join("; ", warnings) + ".";
        }

        decide?.SetTag("aigrpc.match.confidence_band", ConfidenceBand(top.P));
        var alternatives = rankedScores.Where(s => s.ProjectId != matched).Take(3).ToList();
        return new MatchResult(matched, Round(top.P), reasoning, alternatives, rankedScores, e.SimilarHistory, warnings);
    }

    private static string Signals(Evidence e, int i)
    {
        var parts = new List<string>(4);
        if (e.Reference[i] > 0)
        {
            parts.Add($"la referencia {e.ReferenceText[i]} coincide con el proyecto");
        }

        if (e.Supplier is { } s && s.Count(i) > 0)
        {
            parts.Add($"el proveedor facturó {s.Count(i)} de {s.Total} veces a este proyecto");
        }

        if (e.ProjectText[i] >= 0.15)
        {
            parts.Add($"el texto se parece al del proyecto (similitud {e.ProjectText[i]:0.00})");
        }

        if (e.HistoryText[i] >= 0.2)
        {
            parts.Add($"se parece a facturas anteriores del proyecto (similitud {Math.Min(1, e.HistoryText[i]):0.00})");
        }

        if (e.Date[i] > 0)
        {
            parts.Add("la fecha cae dentro del plazo del proyecto");
        }

        if (e.OverBudget[i] > 0)
        {
            parts.Add("aunque el monto supera el presupuesto del proyecto");
        }

        return parts.Count == 0 ? "ningún proyecto reúne más evidencia" : string.Join(", ", parts);
    }

    private static string NoneReason(Evidence e)
    {
        if (e.Supplier is { } s && s.Count(-1) > 0)
        {
            return $"; el proveedor se registró {s.Count(-1)} de {s.Total} veces como gasto general";
        }

        return e.QueryTermCount == 0 ? "; la factura no trae texto que comparar" : "; ningún proyecto reúne evidencia suficiente";
    }

    private string Describe(int i)
    {
        var p = _projects[i];
        var name = string.IsNullOrWhiteSpace(p.Name) ? $"proyecto {p.Id}" : p.Name.Trim();
        return string.IsNullOrWhiteSpace(p.Code) ? name : $"{p.Code.Trim()} {name}";
    }

    private static List<string> RutWarnings(InvoiceToMatch invoice)
    {
        var warnings = new List<string>(1);
        if (!string.IsNullOrWhiteSpace(invoice.SupplierRut) && Rut.TryNormalize(invoice.SupplierRut, out var rut))
        {
            var (_, digitOk, expected) = Rut.Check(rut);
            if (!digitOk)
            {
                warnings.Add($"el RUT del proveedor tiene un dígito verificador incorrecto (se esperaba {expected})");
            }
        }

        return warnings;
    }

    private static string Percent(double p) => (p * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static double Round(double p) => Math.Round(p, 4);

    private List<(int Term, double Weight)> QueryVector(List<string> terms, List<string> abbreviations, List<string> typoCandidates)
    {
        var tf = new Dictionary<int, double>();
        foreach (var term in terms)
        {
            if (_terms.TryGet(term, out var id))
            {
                tf[id] = tf.GetValueOrDefault(id) + 1;
            }
            else if (typoCandidates.Contains(term))
            {
                // A typo: the closest known stems within one edit, at a discount.
                foreach (var near in _terms.WithinOneEdit(term))
                {
                    tf[near] = tf.GetValueOrDefault(near) + 0.8;
                }
            }
        }

        foreach (var prefix in abbreviations)
        {
            // "insp." is any known stem that starts with it.
            foreach (var near in _terms.WithPrefix(prefix))
            {
                tf[near] = tf.GetValueOrDefault(near) + 0.7;
            }
        }

        var vector = new List<(int, double)>(tf.Count);
        var norm = 0.0;
        foreach (var (term, count) in tf)
        {
            var weight = (1 + Math.Log(count)) * _idf[term];
            vector.Add((term, weight));
            norm += weight * weight;
        }

        norm = Math.Sqrt(norm);
        for (var i = 0; i < vector.Count; i++)
        {
            vector[i] = (vector[i].Item1, vector[i].Item2 / norm);
        }

        return vector;
    }

    private void IndexReferences(int projectIndex, string[] references)
    {
        foreach (var reference in references)
        {
            ref var projects = ref CollectionsMarshal.GetValueRefOrAddDefault(_projectsByReference, reference, out _);
            if (projects is null)
            {
                projects = [projectIndex];
            }
            else if (Array.IndexOf(projects, projectIndex) < 0)
            {
                projects = [.. projects, projectIndex];
            }
        }
    }

    // Sub-linear term frequency; most terms occur once, where the logarithm is not worth computing.
    private static double LogTf(double tf) => tf == 1 ? 1 : 1 + Math.Log(tf);

    // Postings as one exactly-sized array per term (two passes over the documents). Not one array for all
    // terms: at thousands of documents that array lands on the large-object heap, and every request's index
    // build then paid for gen-2 collections; not growing lists either, whose re-allocations were most of the
    // build's garbage.
    private Postings Invert(DocumentTerms docs, int first, int count)
    {
        var counts = new int[_terms.Count];
        for (var d = 0; d < count; d++)
        {
            foreach (var (term, _) in docs.Of(first + d))
            {
                counts[term]++;
            }
        }

        var lists = new Posting[_terms.Count][];
        for (var t = 0; t < lists.Length; t++)
        {
            lists[t] = counts[t] == 0 ? [] : new Posting[counts[t]];
            counts[t] = 0;
        }

        for (var d = 0; d < count; d++)
        {
            var terms = docs.Of(first + d);
            var norm = 0.0;
            foreach (var (term, tf) in terms)
            {
                var weight = LogTf(tf) * _idf[term];
                norm += weight * weight;
            }

            norm = Math.Sqrt(norm);
            foreach (var (term, tf) in terms)
            {
                lists[term][counts[term]++] = new Posting(d, LogTf(tf) * _idf[term] / norm);
            }
        }

        return new Postings(lists);
    }

    /// <summary>The supplier's history: by RUT when the RUT is known here, by name otherwise.</summary>
    private SupplierStats? FindSupplier(string? rut, string? name)
    {
        if (AnalysisCache.SupplierRut(rut) is { } normalizedRut && _suppliersByRut.TryGetValue(normalizedRut, out var byRut))
        {
            return byRut;
        }

        return SupplierNameKey(name) is { } folded && _suppliersByName.TryGetValue(folded, out var byName) ? byName : null;
    }

    internal static string? SupplierNameKey(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : AnalysisCache.SupplierName(name) is { Length: > 0 } folded ? folded : null;

    private readonly record struct Posting(int Document, double Weight);

    /// <summary>
    /// The term frequencies of every document while the index is built, in one buffer rented from the shared
    /// pool: they are only needed until the postings exist, and at thousands of documents a fresh buffer
    /// (or one list per document) was the bulk of each request's garbage.
    /// </summary>
    private sealed class DocumentTerms : IDisposable
    {
        private (int Term, double Tf)[] _entries;
        private readonly int[] _starts;
        private int _documents;
        private int _count;

        public DocumentTerms(int documents)
        {
            _starts = new int[documents + 1];
            _entries = System.Buffers.ArrayPool<(int, double)>.Shared.Rent(Math.Max(16, documents * 12));
        }

        public ReadOnlySpan<(int Term, double Tf)> All => _entries.AsSpan(0, _count);

        public ReadOnlySpan<(int Term, double Tf)> Of(int document) => _entries.AsSpan(_starts[document], _starts[document + 1] - _starts[document]);

        /// <summary>Adds the next document: its distinct terms (given ids in <paramref name="dictionary"/>) and their weights.</summary>
        public void Add((Term Term, double Weight)[] terms, TermDictionary dictionary)
        {
            if (_count + terms.Length > _entries.Length)
            {
                var larger = System.Buffers.ArrayPool<(int, double)>.Shared.Rent(Math.Max(_entries.Length * 2, _count + terms.Length));
                _entries.AsSpan(0, _count).CopyTo(larger);
                System.Buffers.ArrayPool<(int, double)>.Shared.Return(_entries);
                _entries = larger;
            }

            foreach (var (term, weight) in terms)
            {
                _entries[_count++] = (dictionary.GetOrAdd(term), weight);
            }

            _starts[++_documents] = _count;
        }

        public void Dispose() => System.Buffers.ArrayPool<(int, double)>.Shared.Return(_entries);
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

        public static SupplierStats For(Dictionary<string, SupplierStats> map, string key) =>
            CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _) ??= new SupplierStats();

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

        public int Count(int projectIndex)
        {
            var at = Array.IndexOf(_projects, projectIndex, 0, _length);
            return at >= 0 ? _counts[at] : 0;
        }

        /// <summary>Share with two pseudo-invoices of prior: one odd invoice among few does not dominate.</summary>
        public double Share(int projectIndex) => Count(projectIndex) / (Total + 2.0);
    }

    private sealed class Evidence(int projects)
    {
        public double[] Reference { get; } = new double[projects];
        public string?[] ReferenceText { get; } = new string?[projects];
        public double[] ProjectText { get; } = new double[projects];
        public double[] HistoryText { get; } = new double[projects];
        public double[] Date { get; } = new double[projects];
        public double[] OverBudget { get; } = new double[projects];
        public double NoneHistoryText { get; set; }
        public SupplierStats? Supplier { get; set; }
        public int QueryTermCount { get; set; }
        public IReadOnlyList<SimilarInvoice> SimilarHistory { get; set; } = [];
    }
}
