using System.Buffers;
using AiGrpc.Common;

namespace AiGrpc.Analytics.Matching;

/// <summary>Gathering the evidence for one invoice: its query vector, text similarities, references, supplier history and
/// plausibility, into arrays rented for the match.</summary>
public sealed partial class LocalMatchIndex
{
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

            // Text similarity: cosine through the inverted lists; and how much of each project's name, or of its
            // client's, the text covers (a bill that names the client alone names its project as well as one that
            // names the project, when the client has one).
            var nameCoverage = e.NameCoverage;
            var clientCoverage = ZeroedDoubles.Rent(Math.Max(1, _projects.Length));
            foreach (var (term, weight) in query.Terms)
            {
                foreach (var posting in _projectPostings.Of(term))
                {
                    projectText[posting.Document] += weight * posting.Weight;
                }

                foreach (var project in _projectsByNameTerm[term])
                {
                    nameCoverage[project] += _idf[term] / _nameIdf[project];
                }

                foreach (var project in _projectsByClientTerm[term])
                {
                    clientCoverage[project] += _idf[term] / _clientIdf[project];
                }
            }

            for (var i = 0; i < nameCoverage.Length; i++)
            {
                nameCoverage[i] = Math.Max(nameCoverage[i], clientCoverage[i]);
            }

            Array.Clear(clientCoverage, 0, _projects.Length);
            ZeroedDoubles.Return(clientCoverage);

            GatherHistory(e, query.Terms);
        }
        finally
        {
            ArrayPool<(int, double)>.Shared.Return(query.Buffer);
        }

        // Exact references: purchase order, codes in the text or lines.
        // A project's short code as the company writes it ("OC PV-SB-EYZ") is read in the same scans (joined codes):
        // the map holds such short keys only for the projects' codes and keywords (free text adds identifiers of three
        // digits or more, which these are not). They are looked up after the other references, as the reasoning names
        // the first reference of a project.
        var references = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string>? joinedCodes = null;
        TextAnalyzer.References(invoice.PurchaseOrder, references, ref joinedCodes);
        if (!string.IsNullOrWhiteSpace(invoice.PurchaseOrder))
        {
            // A bare purchase-order number ("12345") is a reference even when short.
            var bare = TextAnalyzer.NormalizeReference(invoice.PurchaseOrder);
            if (bare.Length >= 3)
            {
                references.Add(bare);
            }
        }

        TextAnalyzer.References(invoice.Description, references, ref joinedCodes);
        foreach (var line in invoice.Lines)
        {
            TextAnalyzer.References(line.Description, references);
        }

        if (joinedCodes is not null)
        {
            references.UnionWith(joinedCodes);
        }

        // References written with spaces ("LP 2025 0087"), last for the same reason.
        TextAnalyzer.SpacedReferences(invoice.PurchaseOrder, references);
        TextAnalyzer.SpacedReferences(invoice.Description, references);
        foreach (var line in invoice.Lines)
        {
            TextAnalyzer.SpacedReferences(line.Description, references);
        }

        var reference = e.Reference;
        foreach (var code in references)
        {
            if (_projectsByReference.TryGet(code, out var first, out var others))
            {
                // A code several projects write (a tyre size, a standard drawing) tells them apart from the rest, not
                // from each other: each gets a share of it.
                var share = 1.0 / (1 + (others?.Count ?? 0));
                reference[first] = Math.Max(reference[first], share);
                e.ReferenceText[first] ??= code;
                for (var k = 0; k < others?.Count; k++)
                {
                    reference[others[k]] = Math.Max(reference[others[k]], share);
                    e.ReferenceText[others[k]] ??= code;
                }
            }
        }

        // Supplier history.
        e.SupplierRutKey = Rut.TryKey(invoice.SupplierRut, out var rutKey) ? rutKey : null;
        e.Supplier = FindSupplier(e.SupplierRutKey, invoice.SupplierName);
        e.Supplier?.Scatter(e.SupplierCount);

        // Plausibility and domain knowledge: places, kinds of equipment, voltages.
        var dates = e.Date;
        var overBudget = e.OverBudget;
        var read = Knowledge.InvoiceDomain.Of(invoice, _anyAddress);
        var domain = e.Domain = read.WithPlaces(_placeSpellings.Read(read.Normalized, _isKnownWord));
        var readsDomain = !domain.Places.IsEmpty || domain.Trade.TotalKindWeight > 0 || domain.Trade.Voltages.Count > 0 || domain.Ratings.Count > 0
            || domain.Addresses.Count > 0;
        var place = e.Place;
        var conflict = e.PlaceConflict;
        var kind = e.Kind;
        var voltage = e.Voltage;
        var rating = e.Rating;
        var address = e.Address;
        for (var i = 0; i < _projects.Length; i++)
        {
            if (readsDomain)
            {
                var d = _domains[i];
                var level = domain.Places.ClosestLevel(d.Places);
                place[i] = level switch
                {
                    Knowledge.PlaceLevel.Commune => 1,
                    Knowledge.PlaceLevel.Province => 2 / 3.0,
                    Knowledge.PlaceLevel.Region => 1 / 3.0,
                    _ => 0,
                };
                conflict[i] = level == Knowledge.PlaceLevel.OtherRegion ? 1 : 0;
                kind[i] = domain.KindFit(d.Kinds);
                voltage[i] = domain.VoltageFit(d.Voltages);
                rating[i] = domain.RatingFit(d.Ratings);
                address[i] = d.Addresses.Count > 0 && domain.AgreeingAddress(d.Addresses) is not null ? 1 : 0;
            }

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

    /// <summary>Whether the company's texts (projects and past invoices) use <paramref name="word"/>.</summary>
    private bool IsKnownWord(string word) => _terms.TryGet(TextAnalyzer.Stem(word), out _);

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
                else if (typoCandidates.Contains(term) && !Knowledge.KnownWords.Contains(term))
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
            var weight = ProjectAnalysis.LogTf(tf) * _idf[term];
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

    /// <summary>The signals of every candidate for one invoice, in arrays rented for the match and returned after it.</summary>
    private sealed class Evidence : IDisposable
    {
        private const int Signals = 13;
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

        /// <summary>How close the invoice's places are to each project's (1 commune, 2/3 province, 1/3 region).</summary>
        public Span<double> Place => _values.AsSpan(6 * _projects, _projects);

        /// <summary>1 where both name places in different regions.</summary>
        public Span<double> PlaceConflict => _values.AsSpan(7 * _projects, _projects);

        /// <summary>Share of the invoice's trade evidence that fits each project's kind.</summary>
        public Span<double> Kind => _values.AsSpan(8 * _projects, _projects);

        /// <summary>+1 voltage class agrees, -1 disagrees, 0 unknown.</summary>
        public Span<double> Voltage => _values.AsSpan(9 * _projects, _projects);

        /// <summary>Share (idf-weighted) of each project's name terms that the invoice's text has.</summary>
        public Span<double> NameCoverage => _values.AsSpan(10 * _projects, _projects);

        /// <summary>+1 a rating or size agrees, -1 a rating disagrees, 0 unknown.</summary>
        public Span<double> Rating => _values.AsSpan(11 * _projects, _projects);

        /// <summary>1 where the invoice writes the project's street address.</summary>
        public Span<double> Address => _values.AsSpan(12 * _projects, _projects);

        /// <summary>What the domain knowledge read in the invoice.</summary>
        public Knowledge.InvoiceDomain Domain { get; set; } = Knowledge.InvoiceDomain.Empty;

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
