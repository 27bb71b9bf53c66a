using AiGrpc.Analytics.Matching;
using AiGrpc.TestKit;

namespace AiGrpc.Eval;

/// <summary>Top-1 of our text method and of the baseline on the same queries.</summary>
public sealed record ChileCompraReport(int Institutions, int Queries, double OursTop1, double BaselineTop1);

/// <summary>
/// A matching task on real Chilean Spanish (ChileCompra tenders, <c>../shared/datasets/chilecompra-licitaciones-2025</c>):
/// for each tender, its long description (written by a civil servant) is the query and the titles of
/// every tender of the same institution are the candidates; the right answer is its own title. Ours:
/// the engine's text signal (each title a project name). Baseline: plain TF-IDF over lower-cased word
/// unigrams (no accent folding, stemming, abbreviations or typo tolerance), cosine.
/// </summary>
public static class ChileCompraTask
{
    public static ChileCompraReport Run(string directory, int minGroup = 5, int maxGroup = 300)
    {
        var tenders = new Dictionary<string, (string Institution, string Title, string Description)>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.csv").Order(StringComparer.Ordinal))
        {
            foreach (var row in Csv.Read(file, ';').Skip(1))
            {
                if (row.Count >= 10 && row[0].Length > 0 && row[1].Trim().Length > 0 && row[9].Trim().Length > 0)
                {
                    tenders.TryAdd(row[0], (row[3], row[1].Trim(), row[9].Trim()));
                }
            }
        }

        var groups = tenders.Values.GroupBy(t => t.Institution).Where(g => g.Count() >= minGroup && g.Count() <= maxGroup).ToList();
        int queries = 0, ours = 0, baseline = 0;
        var matcher = new LocalInvoiceMatcher();
        foreach (var group in groups)
        {
            var items = group.ToList();
            var projects = items.Select((t, i) => new ProjectCandidate(i, null, t.Title, null, null, null, null, null, null, [])).ToList();
            var index = matcher.Build(projects, []);
            var tfidf = new PlainTfIdf(items.Select(t => t.Title));
            for (var i = 0; i < items.Count; i++)
            {
                queries++;
                var result = index.Match(new InvoiceToMatch(items[i].Description, null, null, null, null, null, []));
                if (result.Ranked.Count > 0 && result.Ranked[0].ProjectId == i)
                {
                    ours++;
                }

                if (tfidf.Best(items[i].Description) == i)
                {
                    baseline++;
                }
            }
        }

        return new ChileCompraReport(groups.Count, queries, ours / (double)queries, baseline / (double)queries);
    }

    /// <summary>The baseline: TF-IDF over lower-cased word unigrams, cosine.</summary>
    private sealed class PlainTfIdf
    {
        private readonly List<Dictionary<string, double>> _documents;
        private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);

        public PlainTfIdf(IEnumerable<string> documents)
        {
            var tokenized = documents.Select(Tokens).ToList();
            foreach (var term in tokenized.SelectMany(d => d.Distinct()))
            {
                _idf[term] = _idf.GetValueOrDefault(term) + 1;
            }

            foreach (var term in _idf.Keys.ToList())
            {
                _idf[term] = Math.Log((tokenized.Count + 1) / (_idf[term] + 0.5));
            }

            _documents = [.. tokenized.Select(Vector)];
        }

        public int Best(string query)
        {
            var q = Vector(Tokens(query));
            var best = -1;
            var bestScore = 0.0;
            for (var d = 0; d < _documents.Count; d++)
            {
                var score = q.Sum(kv => kv.Value * _documents[d].GetValueOrDefault(kv.Key));
                if (score > bestScore)
                {
                    (best, bestScore) = (d, score);
                }
            }

            return best;
        }

        private Dictionary<string, double> Vector(List<string> tokens)
        {
            var v = tokens.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count() * _idf.GetValueOrDefault(g.Key), StringComparer.Ordinal);
            var norm = Math.Sqrt(v.Values.Sum(x => x * x));
            return norm == 0 ? v : v.ToDictionary(kv => kv.Key, kv => kv.Value / norm, StringComparer.Ordinal);
        }

        private static List<string> Tokens(string text) =>
            [.. text.ToLowerInvariant().Split(text.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries)];
    }
}
