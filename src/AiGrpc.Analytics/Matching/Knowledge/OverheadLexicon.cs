namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>How strongly a phrase says "general overhead, not a project" (<c>overhead-es.tsv</c>).</summary>
internal enum OverheadStrength
{
    /// <summary>Overhead in almost any company ("arriendo oficina central", "auditoría estados financieros").</summary>
    Strong,

    /// <summary>Overhead in an office context, a project cost elsewhere ("tóner", "internet", "capacitación").</summary>
    Weak,

    /// <summary>Marks the head office or the company's own assets ("oficina central", "flota propia").</summary>
    Context,

    /// <summary>Counter-evidence: places the cost at a works site ("faena", "puesto en obra", "estado de pago").</summary>
    Site,
}

/// <summary>What the overhead lexicon finds in a text.</summary>
/// <param name="Strong">Strong phrases found.</param>
/// <param name="Weak">Weak phrases found.</param>
/// <param name="Context">Head-office and own-asset phrases found.</param>
/// <param name="Site">Works-site phrases found (counter-evidence).</param>
/// <param name="First">The first overhead phrase found, strongest kind first, for the reasoning; null when none.</param>
/// <param name="Bid">Strong phrases of the cost of bidding (category <c>bids-tenders</c>: "seriedad de la oferta", "para
/// oferta"): a bid names the client and place of a contract the company does not have yet, so these must outweigh a
/// text that resembles a project.</param>
internal readonly record struct OverheadEvidence(int Strong, int Weak, int Context, int Site, string? First, int Bid = 0)
{
    public bool IsEmpty => Strong == 0 && Weak == 0 && Context == 0;
}

/// <summary>
/// The general-expense lexicon (gastos generales: rent, utilities, office supplies, legal, audit, insurance, bids,
/// training, head office, own fleet and premises...; <c>Analytics/Knowledge/overhead-es.tsv</c> and its README for the
/// categories and sources). A bill says "overhead" to a bookkeeper in its own words, even when the company's history
/// holds no overhead rows to learn from.
/// </summary>
internal sealed class OverheadLexicon
{
    private static readonly Lazy<OverheadLexicon> Shared = new(() => new OverheadLexicon());

    private const string BidCategory = "bids-tenders";

    private const string PremisesCategory = "own-premises";

    private readonly PhraseTable<(OverheadStrength Strength, string Category)> _phrases;

    /// <summary>Reads the files. The service uses <see cref="Instance"/>; a test builds its own to exercise the reading
    /// (the shared instance is built once per process).</summary>
    internal OverheadLexicon() =>
        _phrases = new([.. KnowledgeFile.Rows("overhead-es.tsv").Select(r => (r["phrase"], (Strength(r["strength"]), r["category"])))]);

    /// <summary>The process-wide instance.</summary>
    public static OverheadLexicon Instance => Shared.Value;

    /// <summary>Number of phrases.</summary>
    public int Count => _phrases.Count;

    /// <summary>The overhead phrases of <paramref name="normalized"/>. A weak or context phrase of the company's own
    /// premises ("bodega", "bodega central", "taller") that ends at one of <paramref name="originEnds"/> is where a route
    /// started, not what the bill is for: "FLETE BODEGA CENTRAL - LOS NICHES" carries goods from the warehouse to a works
    /// (<see cref="Routes.OriginEnds"/>; in the fitting bills written before the thirty-second batch, 13 route bills whose
    /// origin is a warehouse were project costs and 6 overhead, and those 6 name the company's premises or stock elsewhere
    /// too).</summary>
    public OverheadEvidence Read(string normalized, IReadOnlySet<int>? originEnds = null)
    {
        int strong = 0, weak = 0, context = 0, site = 0, bid = 0;
        string? first = null;
        var firstRank = 3;
        foreach (var m in _phrases.Find(normalized))
        {
            // Most bills write no route: their phrases skip this test at its first term.
            if (originEnds is not null && m.Value.Strength is OverheadStrength.Weak or OverheadStrength.Context
                && m.Value.Category == PremisesCategory && originEnds.Contains(m.Start + m.Words))
            {
                continue;
            }

            var rank = (int)m.Value.Strength;
            switch (m.Value.Strength)
            {
                case OverheadStrength.Strong:
                    strong++;
                    bid += m.Value.Category == BidCategory ? 1 : 0;
                    break;
                case OverheadStrength.Weak:
                    weak++;
                    break;
                case OverheadStrength.Context:
                    context++;
                    break;
                default:
                    site++;
                    continue; // not an overhead phrase: never the one the reasoning names
            }

            if (rank < firstRank)
            {
                (first, firstRank) = (m.Phrase, rank);
            }
        }

        return new OverheadEvidence(strong, weak, context, site, first, bid);
    }

    private static OverheadStrength Strength(string text) => text switch
    {
        "strong" => OverheadStrength.Strong,
        "weak" => OverheadStrength.Weak,
        "context" => OverheadStrength.Context,
        "site" => OverheadStrength.Site,
        _ => throw new InvalidDataException($"overhead-es.tsv: unknown strength '{text}'."),
    };
}
