using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AiGrpc.Server.Common;

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
    private readonly ReferenceMap _projectsByReference;
    private readonly PastInvoice[] _history;
    private readonly int[] _historyProject; // project index, or -1 for none/unknown project
    private SupplierColumn? _historyRuts; // made on first demand, see SupplierByRut
    private SupplierColumn? _historyNames;
    private readonly ConcurrentDictionary<int, SupplierStats> _suppliersByRut = new();
    private readonly ConcurrentDictionary<string, SupplierStats> _suppliersByName = new(StringComparer.Ordinal);
    private readonly string?[] _descriptions; // "code name" of each project, made when a reasoning first names it

    internal LocalMatchIndex(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<PastInvoice> history, MatchWeights weights, AbstentionPolicy abstention)
    {
        _weights = weights;
        _abstention = abstention;
        _projects = [.. projects];
        _descriptions = new string?[_projects.Length];
        _history = [.. history];
        _indexById = new Dictionary<int, int>(_projects.Length);
        _projectsByReference = new ReferenceMap(_projects.Length * 3);
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

    private Evidence Gather(InvoiceToMatch invoice)
    {
        var e = new Evidence(_projects.Length);

        // Text of the invoice: description and lines.
        var scratch = new List<string>(16);
        var abbreviations = new List<string>();
        var typoCandidates = new List<string>();
        TextAnalyzer.Terms(invoice.Description, scratch, abbreviations, typoCandidates);
        foreach (var line in invoice.Lines)
        {
            TextAnalyzer.Terms(line.Description, scratch, abbreviations, typoCandidates);
        }

        var query = QueryVector(scratch, abbreviations, typoCandidates);
        try
        {
            e.QueryTermCount = query.Count;
            var projectText = e.ProjectText;

            // Text similarity: cosine through the inverted lists.
            foreach (var (term, weight) in query.Terms)
            {
                foreach (var posting in _projectPostings.Of(term))
                {
                    projectText[posting.Document] += weight * posting.Weight;
                }
            }

            GatherHistory(e, query.Terms);
        }
        finally
        {
            ArrayPool<(int, double)>.Shared.Return(query.Buffer);
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

        var reference = e.Reference;
        foreach (var code in references)
        {
            if (_projectsByReference.TryGet(code, out var first, out var others))
            {
                reference[first] = 1;
                e.ReferenceText[first] ??= code;
                for (var k = 0; k < others?.Count; k++)
                {
                    reference[others[k]] = 1;
                    e.ReferenceText[others[k]] ??= code;
                }
            }
        }

        // Supplier history.
        e.SupplierRutKey = Rut.TryKey(invoice.SupplierRut, out var rutKey) ? rutKey : null;
        e.Supplier = FindSupplier(e.SupplierRutKey, invoice.SupplierName);
        e.Supplier?.Scatter(e.SupplierCount);

        // Plausibility.
        var dates = e.Date;
        var overBudget = e.OverBudget;
        for (var i = 0; i < _projects.Length; i++)
        {
            var p = _projects[i];
            if (invoice.IssueDate is { } date && (p.StartDate is not null || p.EndDate is not null))
            {
                var before = p.StartDate is { } start && date < start.AddDays(-DaysBeforeStart);
                var after = p.EndDate is { } end && date > end.AddDays(DaysAfterEnd);
                dates[i] = before || after ? -1 : 1;
            }

            if (invoice.Amount is { } amount && p.Budget is { } budget && budget > 0 && amount > budget)
            {
                overBudget[i] = 1;
            }
        }

        return e;
    }

    /// <summary>Similarity to past invoices: the best per project, the best among "no project" rows, and the five
    /// most similar rows (the LLM's examples).</summary>
    private void GatherHistory(Evidence e, ReadOnlySpan<(int Term, double Weight)> query)
    {
        // Accumulated in pooled arrays indexed by history row (a dictionary here was most of a match's garbage at
        // thousands of rows); only the rows touched are read and cleared again, so the similarity array goes back
        // to its pool all zero, as it came.
        var historySimilarity = ZeroedDoubles.Rent(Math.Max(1, _history.Length));
        var touched = ArrayPool<int>.Shared.Rent(Math.Max(1, _history.Length));
        var touchedCount = 0;
        try
        {
            foreach (var (term, weight) in query)
            {
                foreach (var posting in _historyPostings.Of(term))
                {
                    if (historySimilarity[posting.Document] == 0)
                    {
                        touched[touchedCount++] = posting.Document;
                    }

                    historySimilarity[posting.Document] += weight * posting.Weight;
                }
            }

            var historyText = e.HistoryText;
            foreach (var h in touched.AsSpan(0, touchedCount))
            {
                var similarity = historySimilarity[h];
                var project = _historyProject[h];
                if (project >= 0)
                {
                    historyText[project] = Math.Max(historyText[project], similarity);
                }
                else if (_history[h].ProjectId is null)
                {
                    e.NoneHistoryText = Math.Max(e.NoneHistoryText, similarity);
                }
            }

            Span<int> top = stackalloc int[TopCount];
            var count = TopFive(touched.AsSpan(0, touchedCount), historySimilarity, top);
            var similar = new SimilarInvoice[count];
            for (var i = 0; i < count; i++)
            {
                var h = top[i];
                similar[i] = new SimilarInvoice(_history[h].Description ?? string.Empty, _history[h].ProjectId, Math.Round(Math.Min(1, historySimilarity[h]), 4));
            }

            e.SimilarHistory = similar;
        }
        finally
        {
            foreach (var h in touched.AsSpan(0, touchedCount))
            {
                historySimilarity[h] = 0;
            }

            ZeroedDoubles.Return(historySimilarity);
            ArrayPool<int>.Shared.Return(touched);
        }
    }

    private const int ProjectFeatureCount = 7;

    private const int TopCount = 5;

    /// <summary>Pooled arrays that are all zero whenever they are in the pool (users clear what they wrote), so
    /// renting one needs no clearing of its whole length. Not the shared pool: anyone may return dirty arrays there.</summary>
    private static readonly ArrayPool<double> ZeroedDoubles = ArrayPool<double>.Create();

    /// <inheritdoc cref="ZeroedDoubles"/>
    private static readonly ArrayPool<int> ZeroedInts = ArrayPool<int>.Create();

    /// <summary>A candidate's features, read through spans taken once per match (not once per project and signal).
    /// The one definition of the features: scoring and weight fitting both read them here.</summary>
    private readonly ref struct ProjectFeatureReader(Evidence e)
    {
        private readonly ReadOnlySpan<double> _reference = e.Reference;
        private readonly ReadOnlySpan<double> _projectText = e.ProjectText;
        private readonly ReadOnlySpan<double> _historyText = e.HistoryText;
        private readonly ReadOnlySpan<double> _date = e.Date;
        private readonly ReadOnlySpan<double> _overBudget = e.OverBudget;
        private readonly ReadOnlySpan<double> _supplierCount = e.SupplierCount;
        private readonly int _supplierTotal = e.Supplier?.Total ?? -1;

        public void Read(int i, Span<double> f)
        {
            var supplierCount = _supplierCount[i];
            f[0] = _reference[i];
            f[1] = _supplierTotal < 0 ? 0 : SupplierStats.Share((int)supplierCount, _supplierTotal);
            f[2] = Math.Min(1, _projectText[i]);
            f[3] = Math.Min(1, _historyText[i]);
            f[4] = _date[i];
            f[5] = _overBudget[i];
            f[6] = _reference[i] == 0 && supplierCount == 0 && _projectText[i] < 0.05 && _historyText[i] < 0.05 ? 1 : 0;
        }
    }

    /// <summary>The (at most five) indexes of <paramref name="values"/> with the highest values into
    /// <paramref name="top"/>, highest first, ties by the smaller index; one pass with a five-slot insertion list
    /// instead of sorting thousands of projects. Returns how many.</summary>
    private static int TopFive(ReadOnlySpan<double> values, Span<int> top)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (Enters(top, count, i, values))
            {
                count = Offer(top, count, i, values);
            }
        }

        return count;
    }

    /// <summary>As <see cref="TopFive(ReadOnlySpan{double}, Span{int})"/>, over the given <paramref name="items"/> only.</summary>
    private static int TopFive(ReadOnlySpan<int> items, ReadOnlySpan<double> values, Span<int> top)
    {
        var count = 0;
        foreach (var item in items)
        {
            if (Enters(top, count, item, values))
            {
                count = Offer(top, count, item, values);
            }
        }

        return count;
    }

    /// <summary>True when <paramref name="item"/> belongs in the top five so far: checked in the loops, because most
    /// items are not above the fifth (on a tie the smaller index ranks first) and need no call.</summary>
    private static bool Enters(ReadOnlySpan<int> top, int count, int item, ReadOnlySpan<double> values)
    {
        if (count < TopCount)
        {
            return true;
        }

        var fifth = top[TopCount - 1];
        return values[item] > values[fifth] || (values[item] == values[fifth] && item < fifth);
    }

    /// <summary>Inserts <paramref name="item"/>, which <see cref="Enters"/> admitted, at its rank; returns the new count.</summary>
    private static int Offer(Span<int> top, int count, int item, ReadOnlySpan<double> values)
    {
        var v = values[item];
        var at = count;
        while (at > 0 && (values[top[at - 1]] < v || (values[top[at - 1]] == v && top[at - 1] > item)))
        {
            at--;
        }

        if (at >= TopCount)
        {
            return count;
        }

        var kept = Math.Min(count, TopCount - 1);
        top[at..kept].CopyTo(top[(at + 1)..]);
        top[at] = item;
        return kept + 1;
    }

    private const int NoneFeatureCount = 4;

    /// <summary>The "no project" option's features (bias, supplier's overhead share, best cosine with overhead history,
    /// supplier's share on projects); the one definition, for scoring and weight fitting.</summary>
    private static void NoneFeatures(Evidence e, Span<double> f)
    {
        var supplier = e.Supplier;
        var overhead = supplier?.Count(-1) ?? 0;
        f[0] = 1;
        f[1] = supplier is null ? 0 : SupplierStats.Share(overhead, supplier.Total);
        f[2] = Math.Min(1, e.NoneHistoryText);
        f[3] = supplier is null ? 0 : (supplier.Total - overhead) / (supplier.Total + 2.0);
    }

    private MatchResult Decide(InvoiceToMatch invoice, Evidence e)
    {
        var w = _weights;
        var rented = ArrayPool<double>.Shared.Rent(Math.Max(1, _projects.Length));
        try
        {
            var scores = rented.AsSpan(0, _projects.Length);
            var max = double.NegativeInfinity;
            Span<double> f = stackalloc double[ProjectFeatureCount];
            var features = new ProjectFeatureReader(e);
            for (var i = 0; i < scores.Length; i++)
            {
                features.Read(i, f);
                scores[i] = (w.Reference * f[0]) + (w.SupplierShare * f[1]) + (w.ProjectText * f[2]) + (w.HistoryText * f[3]) + (w.DateInside * f[4]) + (w.OverBudget * f[5]) + (w.NoEvidence * f[6]);
                max = Math.Max(max, scores[i]);
            }

            Span<double> none = stackalloc double[NoneFeatureCount];
            NoneFeatures(e, none);
            var noneScore = (w.NoneBias * none[0]) + (w.NoneSupplierShare * none[1]) + (w.NoneHistoryText * none[2]) + (w.NoneSupplierOnProjects * none[3]);
            max = Math.Max(max, noneScore);

            var noneWeight = Math.Exp(noneScore - max);
            var sum = noneWeight;

            // Most candidates share a score (no evidence at all, same dates): the exponential of a score equal to the
            // previous one is the previous result, bit for bit.
            var lastScore = double.NaN;
            var lastWeight = 0.0;
            for (var i = 0; i < scores.Length; i++)
            {
                if (scores[i] != lastScore)
                {
                    lastScore = scores[i];
                    lastWeight = Math.Exp(lastScore - max);
                }

                scores[i] = lastWeight;
                sum += lastWeight;
            }

            var pNone = noneWeight / sum;
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] /= sum; // probabilities from here on
            }

            Span<int> top = stackalloc int[TopCount];
            var count = TopFive(scores, top);
            var ranked = new ProjectScore[count];
            for (var i = 0; i < count; i++)
            {
                ranked[i] = new ProjectScore(_projects[top[i]].Id, Round(scores[top[i]]));
            }

            var best = count > 0 ? top[0] : -1;
            var bestP = count > 0 ? scores[top[0]] : 0.0;
            var second = count > 1 ? scores[top[1]] : 0;
            var warnings = RutWarnings(e.SupplierRutKey);
            int? matched = null;

            // The reasoning is written straight into one buffer: its parts are numbers and names that would
            // otherwise each be a string of their own.
            var reasoning = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
            if (best < 0)
            {
                reasoning.AppendLiteral("Sin proyectos candidatos: no hay a qué asignar la factura.");
            }
            else if (pNone >= bestP)
            {
                reasoning.AppendLiteral("Sin coincidencia confiable: lo más probable es que no corresponda a un proyecto (");
                AppendPercent(ref reasoning, pNone);
                reasoning.AppendLiteral(")");
                AppendNoneReason(ref reasoning, e);
                reasoning.AppendLiteral(".");
            }
            else if (count > 1 && bestP - second < _abstention.MinMargin && bestP + second >= _abstention.MinConfidence)
            {
                // Checked before "weak evidence": two twins split a strong probability between them, and saying
                // so tells the bookkeeper which two to choose from.
                reasoning.AppendLiteral("Sin coincidencia confiable: dos proyectos demasiado parecidos, ");
                reasoning.AppendFormatted(Describe(best));
                reasoning.AppendLiteral(" (");
                AppendPercent(ref reasoning, bestP);
                reasoning.AppendLiteral(") y ");
                reasoning.AppendFormatted(Describe(top[1]));
                reasoning.AppendLiteral(" (");
                AppendPercent(ref reasoning, second);
                reasoning.AppendLiteral(").");
            }
            else if (bestP < _abstention.MinConfidence)
            {
                reasoning.AppendLiteral("Sin coincidencia confiable: evidencia débil; el mejor candidato, ");
                reasoning.AppendFormatted(Describe(best));
                reasoning.AppendLiteral(", llega a ");
                AppendPercent(ref reasoning, bestP);
                reasoning.AppendLiteral(".");
            }
            else
            {
                matched = _projects[best].Id;
                reasoning.AppendLiteral("Asignada a ");
                reasoning.AppendFormatted(Describe(best));
                reasoning.AppendLiteral(" (");
                AppendPercent(ref reasoning, bestP);
                reasoning.AppendLiteral("): ");
                AppendSignals(ref reasoning, e, best);
                reasoning.AppendLiteral(".");
            }

            if (warnings.Count > 0)
            {
                reasoning.AppendLiteral(" Advertencia: ");
                reasoning.AppendFormatted(string.Join("; ", warnings));
                reasoning.AppendLiteral(".");
            }

            var alternatives = new List<ProjectScore>(3);
            foreach (var score in ranked)
            {
                if (score.ProjectId != matched && alternatives.Count < 3)
                {
                    alternatives.Add(score);
                }
            }

            return new MatchResult(matched, Round(bestP), reasoning.ToStringAndClear(), alternatives, ranked, e.SimilarHistory, warnings);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static void AppendSignals(ref DefaultInterpolatedStringHandler text, Evidence e, int i)
    {
        var parts = 0;
        if (e.Reference[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("la referencia ");
            text.AppendFormatted(e.ReferenceText[i]);
            text.AppendLiteral(" coincide con el proyecto");
        }

        // The supplier's counts per project are already in the evidence (scattered once per match).
        if (e.Supplier is { } s && e.SupplierCount[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("el proveedor facturó ");
            text.AppendFormatted((int)e.SupplierCount[i]);
            text.AppendLiteral(" de ");
            text.AppendFormatted(s.Total);
            text.AppendLiteral(" veces a este proyecto");
        }

        if (e.ProjectText[i] >= 0.15)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("el texto se parece al del proyecto (similitud ");
            AppendSimilarity(ref text, e.ProjectText[i]);
            text.AppendLiteral(")");
        }

        if (e.HistoryText[i] >= 0.2)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("se parece a facturas anteriores del proyecto (similitud ");
            AppendSimilarity(ref text, Math.Min(1, e.HistoryText[i]));
            text.AppendLiteral(")");
        }

        if (e.Date[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("la fecha cae dentro del plazo del proyecto");
        }

        if (e.OverBudget[i] > 0)
        {
            Separate(ref text, ref parts);
            text.AppendLiteral("aunque el monto supera el presupuesto del proyecto");
        }

        if (parts == 0)
        {
            text.AppendLiteral("ningún proyecto reúne más evidencia");
        }

        static void Separate(ref DefaultInterpolatedStringHandler text, ref int parts)
        {
            if (parts++ > 0)
            {
                text.AppendLiteral(", ");
            }
        }
    }

    private static void AppendNoneReason(ref DefaultInterpolatedStringHandler text, Evidence e)
    {
        if (e.Supplier is { } s && s.Count(-1) > 0)
        {
            text.AppendLiteral("; el proveedor se registró ");
            text.AppendFormatted(s.Count(-1));
            text.AppendLiteral(" de ");
            text.AppendFormatted(s.Total);
            text.AppendLiteral(" veces como gasto general");
            return;
        }

        text.AppendLiteral(e.QueryTermCount == 0 ? "; la factura no trae texto que comparar" : "; ningún proyecto reúne evidencia suficiente");
    }

    // Numbers in the reasoning are rounded to integers first: a custom format string ("0", "0.00") is parsed on
    // every call and was most of the reasoning's cost. Through decimal, which keeps a double's 15 significant
    // digits as those formats do, so 0.575 still reads 58 % and not 57 % (checked against them on 20 million
    // values, half of them on a rounding boundary).
    private static void AppendPercent(ref DefaultInterpolatedStringHandler text, double p)
    {
        text.AppendFormatted((long)Math.Round((decimal)p * 100, MidpointRounding.AwayFromZero));
        text.AppendLiteral(" %");
    }

    /// <summary>A similarity (0 or more) with two decimals, as "0.00" would write it.</summary>
    private static void AppendSimilarity(ref DefaultInterpolatedStringHandler text, double similarity)
    {
        var hundredths = (long)Math.Round((decimal)similarity * 100, MidpointRounding.AwayFromZero);
        text.AppendFormatted(hundredths / 100);
        text.AppendLiteral(hundredths % 100 < 10 ? ".0" : ".");
        text.AppendFormatted(hundredths % 100);
    }

    /// <summary>"code name" of a project as the reasoning names it; made once per project and index.</summary>
    private string Describe(int i) => _descriptions[i] ??= DescribeProject(_projects[i]);

    private static string DescribeProject(ProjectCandidate p)
    {
        var name = string.IsNullOrWhiteSpace(p.Name) ? string.Create(CultureInfo.InvariantCulture, $"proyecto {p.Id}") : p.Name.Trim();
        return string.IsNullOrWhiteSpace(p.Code) ? name : $"{p.Code.Trim()} {name}";
    }

    private static IReadOnlyList<string> RutWarnings(int? rutKey) =>
        rutKey is { } key && !Rut.HasRightCheckDigit(key, out var expected)
            ? [$"el RUT del proveedor tiene un dígito verificador incorrecto (se esperaba {expected})"]
            : [];

    private static double Round(double p) => Math.Round(p, 4);

    /// <summary>The invoice's terms as a unit TF-IDF vector, in the order first seen (a pooled buffer: return it).</summary>
    private QueryTerms QueryVector(List<string> terms, List<string> abbreviations, List<string> typoCandidates)
    {
        // Term frequencies accumulate by term id through a slot map (position + 1 of the term in the vector), an
        // array as long as the index's vocabulary that goes back to its pool all zero.
        var vector = ArrayPool<(int Term, double Weight)>.Shared.Rent(Math.Max(16, terms.Count + abbreviations.Count));
        var slots = ZeroedInts.Rent(Math.Max(1, _terms.Count));
        var count = 0;
        try
        {
            foreach (var term in terms)
            {
                if (_terms.TryGet(term, out var id))
                {
                    Add(id, 1);
                }
                else if (typoCandidates.Contains(term))
                {
                    // A typo: the closest known stems within one edit, at a discount.
                    foreach (var near in _terms.WithinOneEdit(term))
                    {
                        Add(near, 0.8);
                    }
                }
            }

            foreach (var prefix in abbreviations)
            {
                // "insp." is any known stem that starts with it.
                foreach (var near in _terms.WithPrefix(prefix))
                {
                    Add(near, 0.7);
                }
            }
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                slots[vector[i].Term] = 0;
            }

            ZeroedInts.Return(slots);
        }

        var norm = 0.0;
        for (var i = 0; i < count; i++)
        {
            var (term, tf) = vector[i];
            var weight = (1 + Math.Log(tf)) * _idf[term];
            vector[i] = (term, weight);
            norm += weight * weight;
        }

        norm = Math.Sqrt(norm);
        for (var i = 0; i < count; i++)
        {
            vector[i] = (vector[i].Term, vector[i].Weight / norm);
        }

        return new QueryTerms(vector, count);

        void Add(int id, double amount)
        {
            ref var slot = ref slots[id];
            if (slot > 0)
            {
                vector[slot - 1].Weight += amount;
                return;
            }

            if (count == vector.Length)
            {
                var larger = ArrayPool<(int, double)>.Shared.Rent(count * 2);
                vector.AsSpan(0, count).CopyTo(larger);
                ArrayPool<(int, double)>.Shared.Return(vector);
                vector = larger;
            }

            vector[count] = (id, amount);
            slot = ++count;
        }
    }

    /// <summary>A query vector in a pooled buffer.</summary>
    private readonly record struct QueryTerms((int Term, double Weight)[] Buffer, int Count)
    {
        public ReadOnlySpan<(int Term, double Weight)> Terms => Buffer.AsSpan(0, Count);
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

    /// <summary>The signals of every candidate for one invoice, in arrays rented for the match and returned after it.</summary>
    private sealed class Evidence : IDisposable
    {
        private const int Signals = 6;
        private readonly double[] _values;
        private readonly int _projects;

        public Evidence(int projects)
        {
            _projects = projects;
            _values = ArrayPool<double>.Shared.Rent(Math.Max(1, Signals * projects));
            Array.Clear(_values, 0, Signals * projects);
            ReferenceText = ArrayPool<string?>.Shared.Rent(Math.Max(1, projects));
            Array.Clear(ReferenceText, 0, projects);
        }

        public Span<double> Reference => _values.AsSpan(0, _projects);
        public Span<double> ProjectText => _values.AsSpan(_projects, _projects);
        public Span<double> HistoryText => _values.AsSpan(2 * _projects, _projects);
        public Span<double> Date => _values.AsSpan(3 * _projects, _projects);
        public Span<double> OverBudget => _values.AsSpan(4 * _projects, _projects);

        /// <summary>How many of the supplier's past invoices went to each project (0 without a known supplier).</summary>
        public Span<double> SupplierCount => _values.AsSpan(5 * _projects, _projects);
        public string?[] ReferenceText { get; }
        public double NoneHistoryText { get; set; }
        public SupplierStats? Supplier { get; set; }

        /// <summary>The invoice's supplier RUT as <see cref="Rut.TryKey"/> reads it (null when it is not a RUT).</summary>
        public int? SupplierRutKey { get; set; }
        public int QueryTermCount { get; set; }
        public IReadOnlyList<SimilarInvoice> SimilarHistory { get; set; } = [];

        public void Dispose()
        {
            ArrayPool<double>.Shared.Return(_values);
            ArrayPool<string?>.Shared.Return(ReferenceText, clearArray: true);
        }
    }
}
