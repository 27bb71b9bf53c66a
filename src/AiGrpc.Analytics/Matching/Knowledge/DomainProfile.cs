namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>What the domain knowledge reads in a project's texts: where it is, what kind of project, its voltages.</summary>
/// <param name="Places">Places of its location (read as places whatever the words), name and description.</param>
/// <param name="Kinds">Kinds of project it is (<see cref="TradeLexicon.ProjectKinds"/>).</param>
/// <param name="Voltages">Nominal voltage classes its texts name.</param>
internal sealed record ProjectDomain(PlaceSet Places, IReadOnlySet<int> Kinds, IReadOnlySet<double> Voltages)
{
    public static ProjectDomain Of(ProjectCandidate p)
    {
        var text = string.Join(' ', p.Name, p.Code, p.Description);
        var normalized = PhraseTable<Place>.Normalize(text);
        var location = ChileGeography.Instance.Read(PhraseTable<Place>.Normalize(p.Location), strict: false);
        var named = ChileGeography.Instance.Read(normalized, strict: true);
        var places = location.IsEmpty ? named : named.IsEmpty ? location : new PlaceSet([.. location.Places, .. named.Places]);
        return new ProjectDomain(places, TradeLexicon.Instance.ProjectKinds(normalized), TradeLexicon.Instance.Voltages(text));
    }
}

/// <summary>What the domain knowledge reads in an invoice's description and lines.</summary>
/// <param name="Places">Places it names (ordinary words that are also communes only after a place cue).</param>
/// <param name="Overhead">General-expense phrases.</param>
/// <param name="Trade">Kinds of project its equipment belongs to, and its voltage classes.</param>
internal sealed record InvoiceDomain(PlaceSet Places, OverheadEvidence Overhead, TradeEvidence Trade)
{
    public static readonly InvoiceDomain Empty = new(PlaceSet.Empty, default, TradeEvidence.Empty);

    public static InvoiceDomain Of(InvoiceToMatch invoice)
    {
        var raw = invoice.Lines.Count == 0 ? invoice.Description ?? string.Empty : string.Join(" | ", [invoice.Description, .. invoice.Lines.Select(l => l.Description)]);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Empty;
        }

        var normalized = PhraseTable<Place>.Normalize(raw);
        return new InvoiceDomain(
            ChileGeography.Instance.Read(normalized, strict: true),
            OverheadLexicon.Instance.Read(normalized),
            TradeLexicon.Instance.Read(normalized, raw));
    }

    /// <summary>How well the invoice's equipment fits a project of <paramref name="kinds"/>: the share of the invoice's
    /// trade evidence that points to one of them (0 when either side says nothing).</summary>
    public double KindFit(IReadOnlySet<int> kinds)
    {
        var total = Trade.TotalKindWeight;
        if (total <= 0 || kinds.Count == 0)
        {
            return 0;
        }

        var fit = 0.0;
        foreach (var (kind, weight) in Trade.Kinds)
        {
            if (kinds.Contains(kind))
            {
                fit += weight;
            }
        }

        return fit / total;
    }

    /// <summary>+1 when a voltage of the invoice is of a class the project names, -1 when both name voltages and none
    /// agree (a 66 kV transformer for a 220 kV substation), 0 otherwise.</summary>
    public double VoltageFit(IReadOnlySet<double> voltages)
    {
        if (Trade.Voltages.Count == 0 || voltages.Count == 0)
        {
            return 0;
        }

        return Trade.Voltages.Overlaps(voltages) ? 1 : -1;
    }
}
