using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary><see cref="Routes"/>: a route's origin is not where a carriage or travel bill belongs.</summary>
public class RoutesTests
{
    private static string[] Places(string text) =>
        [.. InvoiceDomain.Of(new InvoiceToMatch(text, null, null, null, null, null, [])).Places.Places.Select(p => p.Name)];

    [Theory]
    [InlineData("FLETE QUILICURA - RANCAGUA", "Rancagua")]
    [InlineData("FLETE SANTIAGO-OSORNO MONTACAMAS", "Osorno")]
    [InlineData("PASAJES BUS CUADRILLA TALCA - CHILLAN", "Chillán")]
    [InlineData("Traslado de equipos Temuco - Osorno", "Osorno")]
    public void A_route_is_read_at_its_destination(string text, string destination) => Assert.Equal([destination], Places(text));

    [Theory]
    [InlineData("PASAJES SCL-IQQ-SCL 6 PAX", "Iquique")] // a round trip belongs where it turned
    [InlineData("PASAJE AEREO CPO-CJC-CPO TECNICOS", "CJC (Calama)")]
    [InlineData("FLETE QUILICURA - RANCAGUA - QUILICURA", "Rancagua")]
    public void A_round_trip_is_read_where_it_turned(string text, string destination) => Assert.Equal([destination], Places(text));

    [Fact]
    public void Two_routes_sharing_a_place_are_no_round_trip() =>
        // The first route ends at SCL and the second starts there: Rancagua is where the people went.
        Assert.Equal(["SCL (Santiago)", "Rancagua"], Places("PASAJE AEREO CPO-SCL | TRASLADO TERRESTRE SCL-RANCAGUA"));

    [Fact]
    public void A_misspelt_destination_still_drops_the_origin() => Assert.Empty(Places("FLETE QUILICURA - TEMUKO"));

    [Theory]
    [InlineData("MATERIALES ELECTRICOS - RANCAGUA", "Rancagua")] // no travel word: the hyphen only separates
    [InlineData("FLETE RANCAGUA", "Rancagua")] // no route
    [InlineData("FLETE A RANCAGUA - 3 VIAJES", "Rancagua")] // a number follows the hyphen: no destination
    public void Without_a_route_every_place_counts(string text, string place) => Assert.Equal([place], Places(text));

    [Theory]
    [InlineData("- FLETE QUILICURA - RANCAGUA")] // a hyphen with nothing before it is no route, and the next still is
    [InlineData("FLETE QUILICURA - RANCAGUA -")] // nor one with nothing after it
    public void Hyphens_at_either_end_of_the_text_are_not_routes(string text) => Assert.Equal(["Rancagua"], Places(text));

    [Fact]
    public void Both_ends_count_when_the_text_names_no_travel() =>
        Assert.Equal(["Temuco", "Osorno"], Places("MANTENCION TEMUCO - OSORNO"));

    private static OverheadEvidence Overhead(string text) =>
        InvoiceDomain.Of(new InvoiceToMatch(text, null, null, null, null, null, [])).Overhead;

    [Theory]
    [InlineData("FLETE BODEGA CENTRAL - LOS NICHES")] // the warehouse ends where the route turns
    [InlineData("FLETE BODEGA QUILICURA - MAIPU")] // the warehouse and its place, then the destination
    [InlineData("FLETE BODEGA - PENAL EL MANZANO PANELES")]
    public void The_company_warehouse_a_route_starts_from_is_no_overhead(string text) => Assert.True(Overhead(text).IsEmpty);

    [Theory]
    [InlineData("FLETE HERRAMIENTAS BODEGA CORONEL - TALLER")] // carried to the company's workshop
    [InlineData("TRASLADO HERRAMIENTAS BODEGA CONCEPCION - BODEGA LA NEGRA")] // from one of its warehouses to another
    [InlineData("TRASLADO EQUIPOS PROPIOS BODEGA ANTIGUA - NUEVA BODEGA")] // own equipment; no place after the warehouse
    [InlineData("ARRIENDO BODEGA QUILICURA - MAIPU")] // no carriage: the lease of a warehouse
    [InlineData("FLETE BODEGA QUILICURA")] // no route
    public void The_company_premises_still_count_elsewhere_in_a_route_or_without_one(string text) => Assert.False(Overhead(text).IsEmpty);

    [Fact]
    public void A_strong_phrase_at_a_route_origin_still_counts() =>
        // Stock for the company's store is what the bill is for, wherever it is written.
        Assert.Equal(1, Overhead("FLETE STOCK BODEGA - RANCAGUA").Strong);
}
