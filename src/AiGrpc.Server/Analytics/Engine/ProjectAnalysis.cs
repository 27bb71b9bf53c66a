namespace AiGrpc.Server.Analytics.Engine;

/// <summary>
/// What the index needs of one project, computed from its texts alone: its terms with the field weights already
/// summed (names and keywords say more than descriptions), and its reference codes. Pure, so it is computed once
/// per distinct project and shared by every index (<see cref="AnalysisCache.Project"/>): a company's 1,000 projects
/// cost one look-up each per request instead of a dozen.
/// </summary>
internal sealed class ProjectAnalysis
{
    private ProjectAnalysis((Term Term, double Weight)[] terms, string[] references)
    {
        Terms = terms;
        References = references;
    }

    /// <summary>Distinct terms, in order of first appearance (name, code, client, location, description, keywords),
    /// each with the sum of the weights of the fields it appears in, once per appearance.</summary>
    public (Term Term, double Weight)[] Terms { get; }

    /// <summary>Distinct normalised references of the project (codes, purchase orders, contracts).</summary>
    public string[] References { get; }

    public static ProjectAnalysis Of(ProjectCandidate p)
    {
        var order = new List<Term>(32);
        var weights = new Dictionary<Term, double>(32);
        AddField(p.Name, 2.0);
        AddField(p.Code, 1.0);
        AddField(p.Client, 1.5);
        AddField(p.Location, 1.5);
        AddField(p.Description, 1.0);
        foreach (var keyword in p.Keywords)
        {
            AddField(keyword, 2.0);
        }

        return new ProjectAnalysis([.. order.Select(t => (t, weights[t]))], [.. ReferencesOf(p)]);

        void AddField(string? text, double weight)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return;
            }

            foreach (var term in AnalysisCache.Terms(text))
            {
                if (!weights.TryGetValue(term, out var sum))
                {
                    order.Add(term);
                }

                weights[term] = sum + weight;
            }
        }
    }

    private static HashSet<string> ReferencesOf(ProjectCandidate p)
    {
        var references = new HashSet<string>(StringComparer.Ordinal);
        AddReferences(p.Code, references);
        AddReferences(p.Name, references);
        AddReferences(p.Description, references);
        foreach (var keyword in p.Keywords)
        {
            AddReferences(keyword, references);

            // A keyword is the caller saying "this is a reference of the project": short numbers count.
            var bare = AnalysisCache.BareReference(keyword);
            if (bare.Length >= 3 && bare.AsSpan().ContainsAnyInRange('0', '9'))
            {
                references.Add(bare);
            }
        }

        if (!string.IsNullOrWhiteSpace(p.Code))
        {
            var code = AnalysisCache.BareReference(p.Code);
            if (code.Length >= 3)
            {
                references.Add(code);
            }
        }

        return references;
    }

    private static void AddReferences(string? text, HashSet<string> references)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            references.UnionWith(AnalysisCache.References(text));
        }
    }
}

/// <summary>What the index needs of one past invoice: its description's distinct terms with their counts, and its
/// supplier's normalised RUT and name (null when absent). Pure; shared through <see cref="AnalysisCache.History"/>.</summary>
/// <param name="Terms">Distinct terms in order of first appearance, each with its number of occurrences.</param>
/// <param name="SupplierRut">Normalised RUT, or null.</param>
/// <param name="SupplierName">Supplier name folded for comparison, or null.</param>
internal sealed record HistoryAnalysis((Term Term, double Count)[] Terms, string? SupplierRut, string? SupplierName)
{
    public static HistoryAnalysis Of(PastInvoice past)
    {
        var order = new List<Term>(16);
        var counts = new Dictionary<Term, double>(16);
        if (!string.IsNullOrWhiteSpace(past.Description))
        {
            foreach (var term in AnalysisCache.Terms(past.Description))
            {
                if (!counts.TryGetValue(term, out var count))
                {
                    order.Add(term);
                }

                counts[term] = count + 1.0;
            }
        }

        return new HistoryAnalysis([.. order.Select(t => (t, counts[t]))], AnalysisCache.SupplierRut(past.SupplierRut), LocalMatchIndex.SupplierNameKey(past.SupplierName));
    }
}
