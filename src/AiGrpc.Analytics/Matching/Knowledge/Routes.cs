namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>
/// Routes: a freight, transfer or ticket bill writes where the goods or people went from and to ("FLETE QUILICURA -
/// RANCAGUA", "PASAJES BUS VIÑA - CORONEL"). The works is at the destination; the origin is where they came from (the
/// company's plant or office, the supplier's yard), so a place written just before the hyphen of a route is not read as
/// where the bill belongs. Only in a text that names carriage or travel, and only when a word follows the hyphen (the
/// destination may be misspelt: "QUILICURA - TEMUKO"). A round trip ("SCL-IQQ-SCL") belongs to where it turned.
/// </summary>
internal static class Routes
{
    /// <summary>Words that make a text a carriage or travel bill (Spanish, lower case, accent-folded).</summary>
    private static readonly HashSet<string> TravelWords = new(StringComparer.Ordinal)
    {
        "flete", "fletes", "traslado", "traslados", "transporte", "transportes", "pasaje", "pasajes", "despacho", "despachos",
        "envio", "envios", "viaje", "viajes", "bus", "buses", "vuelo", "vuelos", "encomienda", "encomiendas", "acarreo",
    };

    /// <summary>The normalised word indexes where a route's destination starts in a carriage or travel bill
    /// (<paramref name="normalized"/> is the normalised <paramref name="raw"/>), or null when the text writes no route.</summary>
    public static HashSet<int>? Destinations(string raw, string normalized) =>
        raw.Contains('-', StringComparison.Ordinal) && NamesTravel(normalized) ? DestinationStarts(raw) : null;

    /// <summary>The places of <paramref name="named"/> less the origins of the routes that start at
    /// <paramref name="destinations"/> (<see cref="Destinations"/>).</summary>
    public static PlaceSet WithoutOrigins(IReadOnlyList<PhraseMatch<Place>> named, HashSet<int>? destinations)
    {
        if (named.Count == 0)
        {
            return PlaceSet.Empty;
        }

        var places = new List<Place>(named.Count);
        PhraseMatch<Place>? origin = null, turn = null;
        foreach (var match in named)
        {
            if (destinations is not null && EndsBeforeHyphen(match, destinations))
            {
                // Origins in a chain ("SCL-IQQ-SCL": SCL, then IQQ right after it).
                origin = turn is { } previous && Follows(match, previous) ? previous : null;
                turn = match;
                continue;
            }

            // A round trip comes back to where it started: the place it turned at is the destination, not the return.
            var roundTrip = origin is { } start && turn is { } at && Follows(match, at) && match.Value.Equals(start.Value);
            places.Add(roundTrip ? turn!.Value.Value : match.Value);
        }

        return places.Count == 0 ? PlaceSet.Empty : new PlaceSet([.. places]);
    }

    /// <summary>The word indexes where a phrase ends when it is a route's origin, or is followed there only by the origin's
    /// place: "FLETE BODEGA CENTRAL - LOS NICHES", "FLETE BODEGA QUILICURA - MAIPU". Null when the text writes no route.</summary>
    public static IReadOnlySet<int>? OriginEnds(IReadOnlyList<PhraseMatch<Place>> named, HashSet<int>? destinations)
    {
        if (destinations is null || destinations.Count == 0)
        {
            return null;
        }

        var ends = new HashSet<int>(destinations);
        foreach (var match in named)
        {
            if (EndsBeforeHyphen(match, destinations))
            {
                ends.Add(match.Start);
            }
        }

        return ends;
    }

    /// <summary>Whether <paramref name="match"/> ends right before a route's hyphen, where a destination starts: it is
    /// written as the route's origin.</summary>
    private static bool EndsBeforeHyphen(PhraseMatch<Place> match, HashSet<int> destinations) => destinations.Contains(match.Start + match.Words);

    /// <summary>Whether <paramref name="next"/> is the word right after <paramref name="previous"/> (the hyphen between them
    /// is not a word).</summary>
    private static bool Follows(PhraseMatch<Place> next, PhraseMatch<Place> previous) => next.Start == previous.Start + previous.Words;

    private static bool NamesTravel(string normalized) => NamesTravel(normalized.Split(' '));

    /// <summary>Whether the words (normalised) name carriage or travel ("flete", "traslado", "pasajes").</summary>
    public static bool NamesTravel(string[] words)
    {
        foreach (var word in words)
        {
            if (TravelWords.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The normalised word indexes that follow a hyphen between two words ("quilicura - rancagua": the index
    /// of "rancagua").</summary>
    private static HashSet<int> DestinationStarts(string raw)
    {
        var starts = new HashSet<int>();
        for (var i = raw.IndexOf('-', StringComparison.Ordinal); i >= 0; i = raw.IndexOf('-', i + 1))
        {
            var before = raw.AsSpan(0, i).TrimEnd();
            var after = raw.AsSpan(i + 1).TrimStart();
            if (before.Length > 0 && char.IsLetter(before[^1]) && after.Length > 0 && char.IsLetter(after[0]))
            {
                var left = PhraseTable<Place>.Normalize(raw[..i]);
                starts.Add(left.Length == 0 ? 0 : left.Count(c => c == ' ') + 1);
            }
        }

        return starts;
    }
}
