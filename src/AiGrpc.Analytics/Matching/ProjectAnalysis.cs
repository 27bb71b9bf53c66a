namespace AiGrpc.Analytics.Matching;

/// <summary>
/// What the index needs of one project, computed from its texts alone: its terms with the field weights already
/// summed (names and keywords say more than descriptions), and its reference codes. Pure, so it is computed once
/// per distinct project and shared by every index (<see cref="AnalysisCache.Project"/>): a company's 1,000 projects
/// cost one look-up each per request instead of a dozen.
/// </summary>
internal sealed class ProjectAnalysis
{
    private ProjectAnalysis((Term Term, double LogTf)[] terms, string[] references, Knowledge.ProjectDomain domain, Term[] nameTerms, Term[] clientTerms,
        string[] nameTags)
    {
        NameTags = nameTags;
        Terms = terms;
        References = references;
        Domain = domain;
        NameTerms = nameTerms;
        ClientTerms = clientTerms;
    }

    /// <summary>Distinct terms of the project's name alone: a bill that names the project ("CESFAM Cunco") covers them.</summary>
    public Term[] NameTerms { get; }

    /// <summary>Distinct terms of the project's client alone: a bill that names only the client ("SEGUN OC MUNICIPALIDAD
    /// DE PAINE") covers them.</summary>
    public Term[] ClientTerms { get; }

    /// <summary>Equipment tags in the project's name ("Cambio correa CV-310": <c>cv310</c>); the index keeps those no
    /// other project's name holds as references.</summary>
    public string[] NameTags { get; }

    /// <summary>Where the project is, what kind of project, its voltages (the domain knowledge's reading).</summary>
    public Knowledge.ProjectDomain Domain { get; }

    /// <summary>Distinct terms, in order of first appearance (name, code, client, location, description, keywords),
    /// each with the sum of the weights of the fields it appears in, once per appearance, as a sub-linear term
    /// frequency (<see cref="LogTf"/>).</summary>
    public (Term Term, double LogTf)[] Terms { get; }

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

        return new ProjectAnalysis([.. order.Select(t => (t, LogTf(weights[t])))], [.. ReferencesOf(p)], Knowledge.ProjectDomain.Of(p),
            DistinctTerms(p.Name), DistinctTerms(p.Client), NameTagsOf(p.Name));

        static string[] NameTagsOf(string? name)
        {
            var tags = new HashSet<string>(StringComparer.Ordinal);
            TextAnalyzer.EquipmentTags(name, tags);
            return [.. tags];
        }

        static Term[] DistinctTerms(string? text) => string.IsNullOrWhiteSpace(text) ? [] : [.. AnalysisCache.Terms(text).Distinct()];

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

    /// <summary>Sub-linear term frequency: a term twice as frequent weighs less than twice as much. Computed here, once
    /// per distinct text, rather than in every index build.</summary>
    public static double LogTf(double tf) => 1 + Math.Log(tf);

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

/// <summary>What the index needs of one past invoice's description: its distinct terms with their counts. Pure; shared
/// through <see cref="AnalysisCache.PastInvoiceTerms"/>. The supplier is not part of it: the index reads suppliers
/// only when an invoice asks for one, and keying this by description alone makes the look-up a plain string one.</summary>
internal static class AssignedInvoiceAnalysis
{
    /// <summary>Distinct terms of <paramref name="description"/> in order of first appearance, each with its number of
    /// occurrences as a sub-linear term frequency (<see cref="ProjectAnalysis.LogTf"/>).</summary>
    public static (Term Term, double LogTf)[] Of(string description)
    {
        var order = new List<Term>(16);
        var counts = new Dictionary<Term, double>(16);
        foreach (var term in AnalysisCache.Terms(description))
        {
            if (!counts.TryGetValue(term, out var count))
            {
                order.Add(term);
            }

            counts[term] = count + 1.0;
        }

        return [.. order.Select(t => (t, ProjectAnalysis.LogTf(counts[t])))];
    }
}
