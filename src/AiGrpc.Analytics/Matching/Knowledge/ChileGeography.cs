using System.Collections.Frozen;

namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>How close two places are, as a bookkeeper reads them: the same commune, province or region.</summary>
internal enum PlaceLevel
{
    /// <summary>Nothing to compare: one side names no place.</summary>
    Unknown = 0,

    /// <summary>Both name places, in different regions.</summary>
    OtherRegion = 1,

    /// <summary>The same region.</summary>
    Region = 2,

    /// <summary>The same province.</summary>
    Province = 3,

    /// <summary>The same commune (or a site inside it).</summary>
    Commune = 4,
}

/// <summary>A place a text names: a commune (or a site in one), a province or a region, by CUT code.</summary>
/// <param name="Commune">CUT of the commune, or 0.</param>
/// <param name="Province">Code of the province, or 0.</param>
/// <param name="Region">Code of the region.</param>
/// <param name="Name">The place as the files name it (for the reasoning).</param>
/// <param name="ConfirmsOnly">A rural locality whose name other parts of Chile repeat (a census district: there is a "Pangue"
/// in many communes): it brings a place that shares the commune or province closer, and says nothing otherwise.</param>
internal readonly record struct Place(int Commune, int Province, int Region, string Name, bool ConfirmsOnly = false);

/// <summary>The places one text names.</summary>
internal sealed class PlaceSet
{
    public static readonly PlaceSet Empty = new([]);

    private readonly Place[] _places;

    public PlaceSet(Place[] places) => _places = places;

    public IReadOnlyList<Place> Places => _places;

    public bool IsEmpty => _places.Length == 0;

    /// <summary>The closest pair of places of the two sets, and that pair (for the reasoning).</summary>
    public (PlaceLevel Level, Place Mine, Place Theirs) Closest(PlaceSet other)
    {
        var (level, a, b) = ClosestPair(other);
        return level == PlaceLevel.Unknown ? (level, default, default) : (level, _places[a], other._places[b]);
    }

    /// <summary>How close the closest pair of places of the two sets is: this runs for every project of every match, so
    /// it indexes the arrays directly, copies no place and stops at the first pair in one commune.</summary>
    public PlaceLevel ClosestLevel(PlaceSet other) => ClosestPair(other).Level;

    private (PlaceLevel Level, int Mine, int Theirs) ClosestPair(PlaceSet other)
    {
        var mine = _places;
        var theirs = other._places;
        var level = PlaceLevel.Unknown;
        int bestA = 0, bestB = 0;
        for (var i = 0; i < mine.Length; i++)
        {
            ref readonly var a = ref mine[i];
            for (var j = 0; j < theirs.Length; j++)
            {
                ref readonly var b = ref theirs[j];
                var here = a.Commune != 0 && a.Commune == b.Commune ? PlaceLevel.Commune
                    : a.Province != 0 && a.Province == b.Province ? PlaceLevel.Province
                    : a.Region == b.Region ? PlaceLevel.Region
                    : PlaceLevel.OtherRegion;
                if (here < PlaceLevel.Province && (a.ConfirmsOnly || b.ConfirmsOnly))
                {
                    continue;
                }

                if (here > level)
                {
                    (level, bestA, bestB) = (here, i, j);
                    if (level == PlaceLevel.Commune)
                    {
                        return (level, bestA, bestB); // nothing is closer: the first such pair, as the full scan kept
                    }
                }
            }
        }

        return (level, bestA, bestB);
    }
}

/// <summary>
/// Chile's communes, provinces and regions (SUBDERE's Códigos Únicos Territoriales, 2018; see
/// <c>Analytics/Knowledge/README-geography.md</c>), with the ways invoices write them: short forms ("Viña", "Conce"),
/// regions as Roman numerals and ordinals ("VIII Región", "Octava región"), mine and port sites inside a commune
/// ("Ministro Hales" is in Calama), the census towns that are not communes ("Labranza" is in Temuco) and the rural census
/// districts named after a locality ("Rungue" is in Tiltil). Commune
/// names that are also ordinary words ("Caldera": a boiler) count in an invoice only after a place cue
/// (<c>places-ambiguous.tsv</c>).
/// </summary>
internal sealed class ChileGeography
{
    private static readonly Lazy<ChileGeography> Shared = new(() => new ChileGeography());

    private static readonly FrozenSet<string> Cues = FrozenSet.ToFrozenSet(["comuna", "localidad", "ciudad", "sector", "provincia", "poblado", "pueblo", "hacia", "hasta", "municipalidad", "municipio"], StringComparer.Ordinal);

    // Single words that an alias list may hold alone but that are not places on an invoice ("segunda cuota").
    private static readonly FrozenSet<string> BareOrdinals = FrozenSet.ToFrozenSet(
        ["primera", "segunda", "tercera", "cuarta", "quinta", "sexta", "septima", "setima", "octava", "novena", "decima", "undecima", "duodecima",
         "decimoprimera", "decimosegunda", "decimotercera", "decimocuarta", "decimoquinta", "decimosexta", "onceava", "doceava", "treceava",
         "catorceava", "quinceava", "dieciseisava"], StringComparer.Ordinal);

    private readonly PhraseTable<Place> _names;
    private readonly FrozenSet<string> _ambiguous;
    private readonly FrozenSet<string> _travelOnly;
    private readonly FrozenDictionary<int, string> _provinceNames;
    private readonly FrozenDictionary<int, string> _regionNames;

    /// <summary>Reads the files. The service uses <see cref="Instance"/>; a test builds its own to exercise the reading
    /// (the shared instance is built once per process).</summary>
    internal ChileGeography()
    {
        var regions = KnowledgeFile.Rows("regions.tsv").ToDictionary(r => int.Parse(r["region_code"], System.Globalization.CultureInfo.InvariantCulture), r => r);
        var provinces = KnowledgeFile.Rows("provinces.tsv").ToDictionary(r => int.Parse(r["province_code"], System.Globalization.CultureInfo.InvariantCulture), r => r);
        var communes = KnowledgeFile.Rows("communes.tsv").ToDictionary(r => int.Parse(r["cut"], System.Globalization.CultureInfo.InvariantCulture), r => r);
        var communeNames = new HashSet<string>(communes.Values.Select(c => PhraseTable<Place>.Normalize(c["name"])), StringComparer.Ordinal);
        var phrases = new List<(string, Place)>();
        Place CommunePlace(int cut) => new(cut, Code(communes[cut]["province_code"]), Code(communes[cut]["region_code"]), communes[cut]["name"]);

        // A site, town or district inside a commune, named with its commune for the reasoning ("Labranza (Temuco)").
        Place SitePlace(int cut, string name) => CommunePlace(cut) with { Name = $"{name} ({communes[cut]["name"]})" };

        // A place under its name and its usual short form ("Pto. Montt", "Pto. Angamos", "Sta. Bárbara").
        void AddWithShortForm(string name, Place place)
        {
            phrases.Add((name, place));
            if (Abbreviated(name) is { } shortForm)
            {
                phrases.Add((shortForm, place));
            }
        }

        // Communes first: where a commune and a region share a name ("Valparaíso"), the bare name is the commune.
        foreach (var (cut, row) in communes)
        {
            AddWithShortForm(row["name"], CommunePlace(cut));
            phrases.Add(("comuna de " + row["name"], CommunePlace(cut)));
            phrases.AddRange(KnowledgeFile.List(row["aliases"]).Select(a => (a, CommunePlace(cut))));
        }

        foreach (var row in KnowledgeFile.Rows("localities.tsv"))
        {
            var place = SitePlace(Code(row["commune_cut"]), row["name"]);
            AddWithShortForm(row["name"], place);
            phrases.AddRange(KnowledgeFile.List(row["aliases"]).Select(a => (a, place)));
        }

        // Airports' codes, for the city each serves ("PASAJES SCL - ZCO": Temuco); read only in a travel bill.
        var travelOnly = new List<string>();
        foreach (var row in KnowledgeFile.Rows("airports.tsv"))
        {
            var cut = Code(row["commune_cut"]);
            phrases.Add((row["code"], CommunePlace(cut) with { Name = $"{row["code"]} ({communes[cut]["name"]})" }));
            travelOnly.Add(PhraseTable<Place>.Normalize(row["code"]));
        }

        // Towns and villages of the 2017 census that are not communes ("Labranza" is in Temuco).
        foreach (var row in KnowledgeFile.Rows("towns.tsv"))
        {
            AddWithShortForm(row["name"], SitePlace(Code(row["commune_cut"]), row["name"]));
        }

        // Rural census districts, named after their main locality ("Truftruf" is in Padre Las Casas); those named with
        // ordinary words ("Las Pataguas", "Bodega") count in an invoice only after a place cue, like places-ambiguous.tsv.
        var cueOnly = new List<string>();
        foreach (var row in KnowledgeFile.Rows("districts.tsv"))
        {
            AddWithShortForm(row["name"], SitePlace(Code(row["commune_cut"]), row["name"]) with { ConfirmsOnly = true });
            if (row["cue"] == "yes")
            {
                cueOnly.Add(PhraseTable<Place>.Normalize(row["name"]));
            }
        }

        foreach (var (code, row) in provinces)
        {
            var place = new Place(0, code, Code(row["region_code"]), "provincia de " + row["name"]);
            phrases.Add(("provincia de " + row["name"], place));
            phrases.Add(("provincia del " + row["name"], place));
            phrases.Add(("prov " + row["name"], place));
            phrases.Add(("prov del " + row["name"], place));
            if (!communeNames.Contains(PhraseTable<Place>.Normalize(row["name"])))
            {
                phrases.Add((row["name"], place));
            }
        }

        foreach (var (code, row) in regions)
        {
            var place = new Place(0, 0, code, row["name"]);
            phrases.Add((row["name"], place));
            foreach (var alias in KnowledgeFile.List(row["aliases"]).Where(IsRegionAlias))
            {
                phrases.Add((alias, place));
                if (RegionAbbreviated(alias) is { } shortForm)
                {
                    phrases.Add((shortForm, place));
                }
            }
        }

        _names = new PhraseTable<Place>(phrases);
        _ambiguous = KnowledgeFile.Rows("places-ambiguous.tsv").Select(r => PhraseTable<Place>.Normalize(r["name"])).Concat(cueOnly).ToFrozenSet(StringComparer.Ordinal);
        _travelOnly = travelOnly.ToFrozenSet(StringComparer.Ordinal);
        _provinceNames = provinces.ToFrozenDictionary(p => p.Key, p => p.Value["name"]);
        _regionNames = regions.ToFrozenDictionary(r => r.Key, r => r.Value["name"]);
        Communes = communes.Count;
        Provinces = provinces.Count;
        Regions = regions.Count;
    }

    /// <summary>The process-wide instance (the files are read on first use).</summary>
    public static ChileGeography Instance => Shared.Value;

    public int Communes { get; }

    public int Provinces { get; }

    public int Regions { get; }

    /// <summary>Name of province <paramref name="code"/> ("Cautín").</summary>
    public string ProvinceName(int code) => _provinceNames.GetValueOrDefault(code, "?");

    /// <summary>Name of region <paramref name="code"/> ("Región de La Araucanía").</summary>
    public string RegionName(int code) => _regionNames.GetValueOrDefault(code, "?");

    /// <summary>Spanish clause saying why two places are close ("Temuco y Padre Las Casas están en la provincia de
    /// Cautín"), or null when they are not.</summary>
    public string? Explain(PlaceLevel level, Place bill, Place site) => level switch
    {
        PlaceLevel.Commune when bill.Name == site.Name => $"la factura menciona {bill.Name}, donde está el proyecto",
        PlaceLevel.Commune => $"{bill.Name} está en {site.Name}, donde está el proyecto",
        PlaceLevel.Province => $"{bill.Name} y {site.Name} están en la provincia de {ProvinceName(site.Province)}",
        PlaceLevel.Region when bill.Commune == 0 && bill.Province == 0 => $"el proyecto ({site.Name}) está en la {RegionName(site.Region)}, la que menciona la factura",
        PlaceLevel.Region => $"{bill.Name} y {site.Name} están en la {RegionName(site.Region)}",
        _ => null,
    };

    /// <summary>The places named in <paramref name="normalized"/> (see <see cref="PhraseTable{T}.Normalize"/>). With
    /// <paramref name="strict"/> (invoice text) a commune whose name is also an ordinary word counts only after a
    /// place cue; without (a project's location field) it always counts.</summary>
    public PlaceSet Read(string normalized, bool strict)
    {
        var named = Named(normalized, strict);
        return named.Count == 0 ? PlaceSet.Empty : new PlaceSet([.. named.Select(m => m.Value)]);
    }

    /// <summary>As <see cref="Read"/>, with the phrase that named each place ("pto montt", "temuco").</summary>
    public IReadOnlyList<PhraseMatch<Place>> Named(string normalized, bool strict)
    {
        var matches = _names.Find(normalized);
        if (!strict || matches.Count == 0)
        {
            return matches;
        }

        string[]? words = null;
        var travel = false;
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            var phrase = matches[i].Phrase;
            var travelOnly = _travelOnly.Contains(phrase);
            if (travelOnly || _ambiguous.Contains(phrase))
            {
                if (words is null)
                {
                    words = normalized.Split(' ');
                    travel = Routes.NamesTravel(words);
                }

                if (travelOnly ? !travel : !AfterCue(words, matches[i].Start, travel))
                {
                    matches.RemoveAt(i);
                }
            }
        }

        return matches;
    }

    /// <summary>Whether <paramref name="normalized"/> is a place name or alias the files know.</summary>
    public bool IsName(string normalized) => _names.Contains(normalized);

    // "a" is a cue only where the bill names carriage or travel ("FLETE A CALDERA"): elsewhere it joins ordinary
    // words too ("reparación a caldera").
    private static bool AfterCue(string[] words, int start, bool travel) =>
        (start >= 1 && (Cues.Contains(words[start - 1]) || (travel && words[start - 1] == "a")))
        || (start >= 2 && words[start - 1] is "de" or "del" && Cues.Contains(words[start - 2]));

    /// <summary>Region aliases that are places on an invoice: not a bare ordinal, numeral or number ("segunda", "VIII").</summary>
    private static bool IsRegionAlias(string alias)
    {
        var key = PhraseTable<Place>.Normalize(alias);
        if (key.Contains("region", StringComparison.Ordinal))
        {
            return true;
        }

        return key.Contains(' ', StringComparison.Ordinal)
            ? !key.Split(' ').All(w => BareOrdinals.Contains(w) || w.Any(char.IsAsciiDigit))
            : !BareOrdinals.Contains(key) && !key.Any(char.IsAsciiDigit) && !IsRoman(key);
    }

    // The abbreviations of the words that start commune names, as bookkeepers write them ("Sta. Cruz", "Pto. Varas",
    // "Gral. Lagos"): the usual Spanish abbreviations of santa, santo, puerto and general.
    private static readonly (string Word, string Short)[] NameAbbreviations = [("santa ", "sta "), ("santo ", "sto "), ("puerto ", "pto "), ("general ", "gral ")];

    /// <summary>"Santa Cruz" read as "sta cruz" (normalised, so "Sta. Cruz" and "STA CRUZ" too), or null.</summary>
    private static string? Abbreviated(string name)
    {
        var key = PhraseTable<Place>.Normalize(name);
        foreach (var (word, shortForm) in NameAbbreviations)
        {
            if (key.StartsWith(word, StringComparison.Ordinal))
            {
                return shortForm + key[word.Length..];
            }
        }

        return null;
    }

    /// <summary>A region alias with "región" written "reg." ("VI Reg.", "Reg. del Maule"), or null.</summary>
    private static string? RegionAbbreviated(string alias)
    {
        var words = PhraseTable<Place>.Normalize(alias).Split(' ');
        var at = Array.IndexOf(words, "region");
        if (at < 0)
        {
            return null;
        }

        words[at] = "reg";
        return string.Join(' ', words);
    }

    private static bool IsRoman(string word) => word.All(c => c is 'i' or 'v' or 'x' or 'l');

    private static int Code(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
