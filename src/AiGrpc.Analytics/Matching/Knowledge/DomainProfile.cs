namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>What the domain knowledge reads in a project's texts: where it is, what kind of project, its voltages and
/// other ratings.</summary>
/// <param name="Places">Places of its location (read as places whatever the words), name and description.</param>
/// <param name="Kinds">Kinds of project it is (<see cref="TradeLexicon.ProjectKinds"/>).</param>
/// <param name="Voltages">Nominal voltage classes its texts name.</param>
/// <param name="Ratings">Ratings and sizes its name and description write ("torre 36 m", "UPS 500 kVA").</param>
/// <param name="PlaceNames">Each place with the phrase that named it (normalised), for <see cref="PlaceSpellings"/>.</param>
/// <param name="Addresses">Street addresses its location, name and description write ("Av. Brasil 753").</param>
internal sealed record ProjectDomain(
    PlaceSet Places,
    IReadOnlySet<int> Kinds,
    IReadOnlySet<double> Voltages,
    IReadOnlyList<Rating> Ratings,
    IReadOnlyList<(string Phrase, Place Place)> PlaceNames,
    IReadOnlyList<StreetAddress> Addresses)
{
    public static ProjectDomain Of(ProjectCandidate p)
    {
        var text = string.Join(' ', p.Name, p.Code, p.Description);
        var normalized = PhraseTable<Place>.Normalize(text);
        PhraseMatch<Place>[] names =
        [
            .. ChileGeography.Instance.Named(PhraseTable<Place>.Normalize(p.Location), strict: false),
            .. ChileGeography.Instance.Named(normalized, strict: true),
        ];
        var places = names.Length == 0 ? PlaceSet.Empty : new PlaceSet([.. names.Select(n => n.Value)]);
        return new ProjectDomain(places, TradeLexicon.Instance.ProjectKinds(normalized), TradeLexicon.Instance.Voltages(text),
            RatingReader.Instance.Read(text, normalized), [.. names.Select(n => (n.Phrase, n.Value))],
            [.. StreetAddresses.OfProject(p.Location), .. StreetAddresses.OfProject(p.Name), .. StreetAddresses.OfProject(p.Description)]);
    }
}

/// <summary>What the domain knowledge reads in an invoice's description and lines.</summary>
/// <param name="Places">Places it names (ordinary words that are also communes only after a place cue).</param>
/// <param name="Overhead">General-expense phrases.</param>
/// <param name="Trade">Kinds of project its equipment belongs to, and its voltage classes.</param>
/// <param name="Ratings">Ratings and sizes it writes.</param>
/// <param name="Normalized">Its description and lines, normalised (<see cref="PhraseTable{T}.Normalize"/>).</param>
/// <param name="Addresses">Its word-and-number pairs as address keys (<see cref="StreetAddresses.OfInvoice"/>).</param>
internal sealed record InvoiceDomain(
    PlaceSet Places, OverheadEvidence Overhead, TradeEvidence Trade, IReadOnlyList<Rating> Ratings, string Normalized, IReadOnlyList<string> Addresses)
{
    public static readonly InvoiceDomain Empty = new(PlaceSet.Empty, default, TradeEvidence.Empty, [], string.Empty, []);

    /// <param name="invoice">The invoice.</param>
    /// <param name="readAddresses">Whether to read street addresses: only when a candidate project writes one.</param>
    public static InvoiceDomain Of(InvoiceToMatch invoice, bool readAddresses = true)
    {
        var raw = invoice.Lines.Count == 0 ? invoice.Description ?? string.Empty : string.Join(" | ", [invoice.Description, .. invoice.Lines.Select(l => l.Description)]);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Empty;
        }

        var normalized = PhraseTable<Place>.Normalize(raw);
        var named = ChileGeography.Instance.Named(normalized, strict: true);
        var destinations = Routes.Destinations(raw, normalized);
        return new InvoiceDomain(
            Routes.WithoutOrigins(named, destinations),
            OverheadLexicon.Instance.Read(normalized, Routes.OriginEnds(named, destinations)),
            TradeLexicon.Instance.Read(normalized, raw),
            RatingReader.Instance.Read(raw, normalized),
            normalized,
            readAddresses ? StreetAddresses.OfInvoice(raw) : []);
    }

    /// <summary>The same, also naming <paramref name="more"/> places (read from misspellings).</summary>
    public InvoiceDomain WithPlaces(IReadOnlyList<Place> more) =>
        more.Count == 0 ? this : this with { Places = new PlaceSet([.. Places.Places, .. more]) };

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
        foreach (var (kind, weight) in Trade.KindList)
        {
            if (kinds.Contains(kind))
            {
                fit += weight;
            }
        }

        return fit / total;
    }

    /// <summary>The project's address that the invoice writes (its street's last word and number), or null.</summary>
    public StreetAddress? AgreeingAddress(IReadOnlyList<StreetAddress> project)
    {
        for (var i = 0; i < Addresses.Count; i++)
        {
            for (var j = 0; j < project.Count; j++)
            {
                if (string.Equals(Addresses[i], project[j].Key, StringComparison.Ordinal))
                {
                    return project[j];
                }
            }
        }

        return null;
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

    /// <summary>The share of the invoice's ratings and sizes that the project writes ("torre 42 m" for the 42 m tower: 1;
    /// "3 EDIFICIOS 4 PISOS 72 DEPTOS": 1 for the three 4-storey buildings of 72 flats, 1/3 for the five 4-storey buildings
    /// of 120), -1 when none agrees and both write ratings of the same quantity (a 250 kVA UPS for the 500 kVA project),
    /// 0 otherwise (sizes never disagree: see <see cref="Rating.Decisive"/>).</summary>
    public double RatingFit(IReadOnlyList<Rating> project)
    {
        var agreeing = 0;
        for (var i = 0; i < Ratings.Count; i++)
        {
            agreeing += Agrees(Ratings[i], project) ? 1 : 0;
        }

        return agreeing > 0 ? (double)agreeing / Ratings.Count : Disagrees(project) ? -1 : 0;
    }

    private static bool Agrees(Rating mine, IReadOnlyList<Rating> project)
    {
        for (var j = 0; j < project.Count; j++)
        {
            if (mine.Agrees(project[j]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The invoice's first rating that the project also writes, or null.</summary>
    public Rating? AgreeingRating(IReadOnlyList<Rating> project)
    {
        // Indexed loops: these run for every project of a match, and foreach on the interfaces allocates.
        for (var i = 0; i < Ratings.Count; i++)
        {
            if (Agrees(Ratings[i], project))
            {
                return Ratings[i];
            }
        }

        return null;
    }

    private bool Disagrees(IReadOnlyList<Rating> project)
    {
        for (var i = 0; i < Ratings.Count; i++)
        {
            var mine = Ratings[i];
            if (!mine.Decisive)
            {
                continue;
            }

            for (var j = 0; j < project.Count; j++)
            {
                if (project[j].Quantity == mine.Quantity)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
