using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// How <see cref="ChileGeography"/> reads its files into places: each kind of row (commune, its aliases and short
/// form, locality, census town, province, region and its aliases) gives the place with the codes of the files, and the
/// names and clauses the reasoning uses. Each test builds its own instance: the shared one is built once per process.
/// </summary>
public class ChileGeographyFilesTests
{
    private static readonly Place Temuco = new(9101, 91, 9, "Temuco");

    private static Place Only(string text, bool strict = false) =>
        Assert.Single(new ChileGeography().Read(PhraseTable<Place>.Normalize(text), strict).Places);

    [Fact]
    public void The_files_hold_every_region_province_and_commune()
    {
        var geography = new ChileGeography();
        Assert.Equal((16, 56, 346), (geography.Regions, geography.Provinces, geography.Communes));
    }

    [Theory]
    [InlineData("Temuco")]
    [InlineData("comuna de Temuco")]
    [InlineData("TMCO")] // an alias of the file
    public void A_commune_is_read_by_its_name_and_aliases_with_its_codes(string text) =>
        Assert.Equal(Temuco, Only(text));

    [Fact]
    public void A_commune_starting_with_santa_puerto_or_general_is_read_abbreviated()
    {
        Assert.Equal(Only("Santa Cruz"), Only("Sta. Cruz"));
        Assert.Equal(Only("Puerto Montt"), Only("Pto Montt"));
        Assert.Equal(Only("General Lagos"), Only("Gral. Lagos"));
        Assert.Equal("Puerto Montt", Only("Pto Montt").Name);
    }

    [Fact]
    public void A_locality_or_census_town_is_its_commune_named_after_it()
    {
        Assert.Equal(new Place(2201, 22, 2, "Ministro Hales (Calama)"), Only("Ministro Hales"));
        Assert.Equal(new Place(2201, 22, 2, "Ministro Hales (Calama)"), Only("División Ministro Hales"));
        Assert.Equal(Temuco with { Name = "Labranza (Temuco)" }, Only("Labranza"));
    }

    [Theory]
    [InlineData("provincia de Cautín")]
    [InlineData("Provincia del Cautín")]
    [InlineData("Prov. Cautín")]
    [InlineData("prov del Cautin")]
    [InlineData("Cautín")] // not also a commune's name
    public void A_province_is_read_with_its_cue_or_alone(string text) =>
        Assert.Equal(new Place(0, 91, 9, "provincia de Cautín"), Only(text));

    [Fact]
    public void A_province_that_shares_a_communes_name_is_the_commune_alone_and_the_province_after_its_cue()
    {
        Assert.Equal(new Place(5101, 51, 5, "Valparaíso"), Only("Valparaíso"));
        Assert.Equal(new Place(0, 51, 5, "provincia de Valparaíso"), Only("provincia de Valparaíso"));
    }

    [Theory]
    [InlineData("Región de La Araucanía")]
    [InlineData("IX Región")]
    [InlineData("Novena Región")]
    [InlineData("IX Reg.")] // "región" written "reg."
    [InlineData("Araucanía")]
    public void A_region_is_read_by_its_name_and_its_aliases(string text) =>
        Assert.Equal(new Place(0, 0, 9, "Región de La Araucanía"), Only(text));

    [Theory]
    [InlineData("novena cuota")] // a bare ordinal
    [InlineData("IX")] // a bare numeral
    [InlineData("9na")] // a number
    public void A_region_alias_that_is_only_an_ordinal_numeral_or_number_is_not_a_place(string text) =>
        Assert.True(new ChileGeography().Read(PhraseTable<Place>.Normalize(text), strict: false).IsEmpty);

    [Fact]
    public void An_ambiguous_commune_counts_in_an_invoice_only_after_a_place_cue()
    {
        var geography = new ChileGeography();
        Assert.Empty(geography.Named("mantencion caldera", strict: true));
        Assert.Equal(3102, Assert.Single(geography.Named("mantencion caldera", strict: false)).Value.Commune);
        Assert.Equal(3102, Assert.Single(geography.Named("flete sector caldera", strict: true)).Value.Commune);
        Assert.Equal(3102, Assert.Single(geography.Named("flete a la comuna de caldera", strict: true)).Value.Commune);
        Assert.Equal(3102, Assert.Single(geography.Named("flete localidad de caldera", strict: true)).Value.Commune);
        Assert.Empty(geography.Named("caldera de faena", strict: true));
    }

    [Fact]
    public void Names_and_clauses_for_the_reasoning()
    {
        var geography = new ChileGeography();
        Assert.Equal(("Cautín", "Región de La Araucanía"), (geography.ProvinceName(91), geography.RegionName(9)));
        Assert.Equal(("?", "?"), (geography.ProvinceName(999), geography.RegionName(99)));
        Assert.True(geography.IsName("temuco"));
        Assert.False(geography.IsName("temuko"));

        var padreLasCasas = Only("Padre Las Casas");
        var region = Only("IX Región");
        Assert.Equal("la factura menciona Temuco, donde está el proyecto", geography.Explain(PlaceLevel.Commune, Temuco, Temuco));
        Assert.Equal("Labranza (Temuco) está en Temuco, donde está el proyecto",
            geography.Explain(PlaceLevel.Commune, Temuco with { Name = "Labranza (Temuco)" }, Temuco));
        Assert.Equal("Padre Las Casas y Temuco están en la provincia de Cautín", geography.Explain(PlaceLevel.Province, padreLasCasas, Temuco));
        Assert.Equal("el proyecto (Temuco) está en la Región de La Araucanía, la que menciona la factura", geography.Explain(PlaceLevel.Region, region, Temuco));
        Assert.Equal("Padre Las Casas y Temuco están en la Región de La Araucanía", geography.Explain(PlaceLevel.Region, padreLasCasas, Temuco));
        Assert.Equal("provincia de Cautín y Temuco están en la Región de La Araucanía",
            geography.Explain(PlaceLevel.Region, Only("provincia de Cautín"), Temuco));
        Assert.Null(geography.Explain(PlaceLevel.OtherRegion, padreLasCasas, Temuco));
        Assert.Null(geography.Explain(PlaceLevel.Unknown, padreLasCasas, Temuco));
    }

    [Fact]
    public void The_closest_pair_of_two_sets_is_found_whatever_their_order()
    {
        var temuco = new PlaceSet([Temuco]);
        var padreLasCasas = Only("Padre Las Casas");
        var calama = Only("Calama");
        var region = Only("IX Región");
        Assert.Equal((PlaceLevel.Unknown, default(Place), default(Place)), temuco.Closest(PlaceSet.Empty));
        Assert.Equal((PlaceLevel.Unknown, default(Place), default(Place)), PlaceSet.Empty.Closest(temuco));
        Assert.Equal((PlaceLevel.Province, padreLasCasas, Temuco), new PlaceSet([calama, padreLasCasas]).Closest(temuco));
        Assert.Equal((PlaceLevel.Commune, Temuco, Temuco), new PlaceSet([region, Temuco]).Closest(new PlaceSet([calama, Temuco])));
        Assert.Equal((PlaceLevel.Region, region, Temuco), new PlaceSet([calama, region]).Closest(temuco));
        Assert.Equal((PlaceLevel.OtherRegion, calama, Temuco), new PlaceSet([calama]).Closest(temuco));

        // Of two pairs equally close, the first.
        Assert.Equal((PlaceLevel.Province, padreLasCasas, Temuco), new PlaceSet([padreLasCasas, Only("Vilcún")]).Closest(temuco));

        // Two places without a commune or province are not the same commune or province for being 0 on both sides.
        Assert.Equal(PlaceLevel.Region, new PlaceSet([region]).Closest(new PlaceSet([region])).Level);

        // Of two pairs in one commune, the first too (the scan stops there).
        var both = new PlaceSet([Temuco, padreLasCasas]);
        Assert.Equal((PlaceLevel.Commune, Temuco, Temuco), both.Closest(new PlaceSet([Temuco, padreLasCasas])));
        Assert.Equal((PlaceLevel.Commune, padreLasCasas, padreLasCasas), new PlaceSet([calama, padreLasCasas, Temuco]).Closest(new PlaceSet([padreLasCasas, Temuco])));

        // The level alone, as every project of a match asks for it, is the level of the pair.
        PlaceSet[] sets = [PlaceSet.Empty, temuco, both, new PlaceSet([calama]), new PlaceSet([region]), new PlaceSet([calama, region])];
        Assert.All(sets.SelectMany(a => sets.Select(b => (a, b))), p => Assert.Equal(p.a.Closest(p.b).Level, p.a.ClosestLevel(p.b)));
    }

    private static IReadOnlyList<PhraseMatch<Place>> Named(ChileGeography geography, string text) =>
        geography.Named(PhraseTable<Place>.Normalize(text), strict: true);

    [Fact]
    public void Every_place_cue_lets_a_commune_named_with_an_ordinary_word_count_right_after_it_or_after_de()
    {
        var geography = new ChileGeography();
        Assert.Empty(Named(geography, "corral"));
        Assert.Empty(Named(geography, "bodega corral"));
        Assert.Empty(Named(geography, "bodega de corral"));
        foreach (var cue in (string[])["comuna", "localidad", "ciudad", "sector", "provincia", "poblado", "pueblo", "hacia", "hasta", "municipalidad", "municipio"])
        {
            // The place second (word 1) and third (word 2, after "de" or "del"): the first positions a cue can have.
            Assert.Equal("Corral", Assert.Single(Named(geography, $"{cue} corral")).Value.Name);
            Assert.Equal("Corral", Assert.Single(Named(geography, $"{cue} de corral")).Value.Name);
            Assert.Equal("Corral", Assert.Single(Named(geography, $"{cue} del corral")).Value.Name);
        }

        // "comuna de X" is a phrase of its own, named so in the reasoning.
        Assert.Equal("comuna de corral", Assert.Single(Named(geography, "comuna de corral")).Phrase);
    }

    [Fact]
    public void A_bare_ordinal_of_the_regions_file_is_no_region_on_an_invoice()
    {
        var geography = new ChileGeography();
        string[] ordinals =
        [
            "primera", "segunda", "tercera", "cuarta", "quinta", "sexta", "septima", "octava", "novena", "decima", "undecima",
            "duodecima", "decimoprimera", "decimosegunda", "decimocuarta", "decimoquinta", "decimosexta", "onceava", "doceava",
            "catorceava", "quinceava", "dieciseisava",
        ];
        Assert.All(ordinals, o => Assert.Empty(Named(geography, $"{o} cuota arriendo retroexcavadora")));
        Assert.All(ordinals, o => Assert.Single(Named(geography, $"arriendo retroexcavadora {o} region")));
    }

    [Fact]
    public void Localities_aliases_provinces_airports_and_districts_are_read_as_their_files_say()
    {
        var geography = new ChileGeography();
        Place Single(string text, bool strict = true) => Assert.Single(geography.Read(PhraseTable<Place>.Normalize(text), strict).Places);

        Assert.Equal(2201, Single("traslado personal faena Chuqui").Commune); // an alias of a locality: Calama

        var huasco = new Place(0, 33, 3, "provincia de Huasco");
        Assert.Equal(huasco, Single("monumentacion PR provincia del Huasco"));
        Assert.Equal(huasco, Single("monumentacion PR prov Huasco"));
        Assert.Equal(huasco, Single("monumentacion PR prov. del Huasco"));
        Assert.Equal(new Place(0, 41, 4, "provincia de Elqui"), Single("flete explosivos Elqui")); // not a commune's name too

        Assert.Empty(geography.Read(PhraseTable<Place>.Normalize("repuesto ZCO"), strict: true).Places); // travel only
        Assert.Contains(new Place(9101, 91, 9, "ZCO (Temuco)"), geography.Read(PhraseTable<Place>.Normalize("pasajes SCL - ZCO tecnicos"), strict: true).Places);

        Assert.True(Single("ripio sector Truftruf").ConfirmsOnly); // a census district only confirms
        Assert.Empty(geography.Read(PhraseTable<Place>.Normalize("arriendo bodega Las Pataguas"), strict: true).Places);
        Assert.Equal(6113, Single("arriendo bodega sector Las Pataguas").Commune); // a district named with ordinary words, after a cue
        Assert.Equal(9112, Single("ripio chancado Truftruf").Commune); // one that is not, without
    }

    [Fact]
    public void A_region_is_read_by_a_one_word_alias_and_with_region_abbreviated_first()
    {
        var geography = new ChileGeography();
        Place Single(string text) => Assert.Single(geography.Read(PhraseTable<Place>.Normalize(text), strict: true).Places);
        Assert.Equal(new Place(0, 0, 3, "Región de Atacama"), Single("flete equipos Atacama"));
        Assert.Equal(9, Single("flete equipos Araucania").Region);
        Assert.Equal(new Place(0, 0, 7, "Región del Maule"), Single("retiro escombros Reg. VII")); // "Región VII", "región" first, written "reg."
    }
}
