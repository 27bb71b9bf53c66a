using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

public class ChileGeographyTests
{
    private static ChileGeography Geo => ChileGeography.Instance;

    private static PlaceSet Bill(string text) => Geo.Read(PhraseTable<Place>.Normalize(text), strict: true);

    private static PlaceSet Site(string text) => Geo.Read(PhraseTable<Place>.Normalize(text), strict: false);

    [Fact]
    public void The_official_division_is_loaded_whole()
    {
        Assert.Equal(16, Geo.Regions);
        Assert.Equal(56, Geo.Provinces);
        Assert.Equal(346, Geo.Communes);
    }

    [Theory]
    [InlineData("Flete materiales a obra Temuco", "Padre Las Casas, Región de La Araucanía", 3)]
    [InlineData("Arriendo grúa horquilla III Región", "Vallenar, Región de Atacama", 2)]
    [InlineData("Servicio topografía Tercera Región", "Vallenar", 2)]
    [InlineData("traslado de personal faena Ministro Hales", "Calama", 4)]
    [InlineData("hospedaje cuadrilla Viña", "Viña del Mar, Región de Valparaíso", 4)]
    [InlineData("Mantención luminarias VI Región", "Rancagua", 2)]
    [InlineData("Reparación camino Región del Biobío", "Los Ángeles", 2)]
    [InlineData("hormigón H-30 Pto. Montt", "Puerto Varas", 3)]
    [InlineData("hormigón H-30 Antofagasta", "Puerto Montt", 1)]
    [InlineData("HORMIGON SALA BARRICAS, STA CRUZ", "Santa Cruz", 4)] // "Sta." is santa
    [InlineData("Flete materiales Gral. Lagos", "General Lagos", 4)]
    [InlineData("Retiro escombros VI REG.", "Rancagua", 2)] // "Reg." is región
    [InlineData("Arriendo alza hombre, PROV. MARGA MARGA", "Quilpué", 3)] // "Prov." is provincia
    [InlineData("Flete perfiles a RGUA", "Rancagua", 4)]
    [InlineData("Grua 50T descarga, ANTOF.", "Antofagasta", 4)]
    [InlineData("Pintura nave acopio, sector Llolleo", "San Antonio", 4)]
    [InlineData("EP 2 montaje nave, camino a Sewell", "Machalí", 4)]
    [InlineData("Flete arcos a Puerto Angamos", "Mejillones", 4)]
    [InlineData("Grúa telescópica, sector aeropuerto AMB", "Pudahuel", 4)]
    [InlineData("Fundaciones contenedores PTO ANGAMOS", "Mejillones", 4)] // a site's "Puerto" abbreviated
    [InlineData("Ripio chancado sector Truftruf", "Padre Las Casas", 4)] // a rural census district
    [InlineData("Flete áridos faena Rungue", "Lampa", 3)] // Rungue is in Tiltil, province of Chacabuco
    [InlineData("Material estabilizado sector Pangue", "Los Álamos", 0)] // a district elsewhere says nothing
    [InlineData("Ripio chancado sector Truftruf", "Antofagasta", 0)]
    public void Places_are_compared_as_a_bookkeeper_reads_them(string bill, string location, int level) =>
        Assert.Equal((PlaceLevel)level, Bill(bill).Closest(Site(location)).Level);

    [Theory]
    [InlineData("Mantención preventiva caldera 2 ton/h")]
    [InlineData("Segunda cuota arriendo retroexcavadora")]
    [InlineData("Canasta de Navidad trabajadores")]
    [InlineData("Camión cisterna agua potable 10 m3")]
    [InlineData("Arriendo bodega Las Pataguas")] // a district named with ordinary words, without a place cue
    [InlineData("Ventanas termopanel 1200x1000")] // windows, not the industrial site in Puchuncaví
    [InlineData("Reparación a caldera 2 ton/h")] // "a" is a cue only in a freight or travel bill
    public void Ordinary_words_that_are_also_communes_are_not_places_on_an_invoice(string bill) =>
        Assert.True(Bill(bill).IsEmpty, string.Join(", ", Bill(bill).Places.Select(p => p.Name)));

    [Fact]
    public void Ambiguous_names_count_after_a_place_cue_and_always_in_a_location()
    {
        Assert.Equal(3102, Bill("Flete a la comuna de Caldera").Places.Single().Commune);
        Assert.False(Site("Caldera, Región de Atacama").IsEmpty);
    }

    [Fact]
    public void A_municipality_names_its_commune()
    {
        // Independencia is a commune and a word ("independence"): after "municipalidad de" it is the commune.
        Assert.Equal("Independencia", Bill("SEÑALES SEGUN OC MUNICIPALIDAD DE INDEPENDENCIA").Places.Single().Name);
        Assert.True(Bill("DIA DE LA INDEPENDENCIA").IsEmpty);
    }

    [Theory]
    [InlineData("Flete a Caldera", 3102)] // "a" after a freight word
    [InlineData("Traslado equipos hacia Lampa", 13302)]
    [InlineData("Detectores lazo envío a Concepción", 8101)] // a city with no ordinary meaning needs no cue
    [InlineData("Alzahombre Puente Alto", 13201)]
    [InlineData("Despacho a Puerto Ventanas", 5105)] // the site's full name is no ordinary word
    public void Places_are_read_after_travel_and_direction_cues_and_city_names_always(string bill, int commune) =>
        Assert.Equal(commune, Bill(bill).Places.Single().Commune);

    [Fact]
    public void Airport_codes_name_the_city_they_serve_in_a_travel_bill_only()
    {
        Assert.Equal([13101, 9101], Bill("Pasajes SCL - ZCO técnicos").Places.Select(p => p.Commune));
        Assert.Equal(2201, Bill("Vuelo ANF CJC supervisor").Places[^1].Commune);
        Assert.True(Bill("Tablero CCP 3 circuitos").IsEmpty); // no travel: three letters are something else
    }

    [Fact]
    public void A_district_named_with_ordinary_words_counts_after_a_place_cue()
    {
        var place = Bill("Colaciones cuadrilla sector Las Pataguas").Places.Single();
        Assert.True(place.ConfirmsOnly);
        Assert.StartsWith("Las Pataguas (", place.Name, StringComparison.Ordinal);
    }
}
