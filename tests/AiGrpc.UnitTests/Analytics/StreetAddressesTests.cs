using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// <see cref="StreetAddresses"/>: which of a project's word-and-number pairs are street addresses, and how an invoice
/// that writes one is read.
/// </summary>
public class StreetAddressesTests
{
    private static string[] Keys(string? text) => [.. StreetAddresses.OfProject(text).Select(a => a.Key)];

    [Theory]
    [InlineData("Hospital Presidente Carlos Ibáñez del Campo (Av. Brasil 753), 180 camas.", "brasil 753")]
    [InlineData("Central de esterilización, Senador Estébanez 645, Temuco", "estebanez 645")]
    [InlineData("Mantención 8 ascensores Edificio Apoquindo 3000", "apoquindo 3000")]
    [InlineData("Edificio de Av. del Mar 5200.", "mar 5200")]
    [InlineData("Campus Los Ángeles (Juan Antonio Coloma 0201), 24 meses.", "coloma 201")] // leading zeros dropped
    [InlineData("OBRA EN AV. ARTURO PRAT 384, ANTOFAGASTA", "prat 384")] // all capitals: after an address word
    [InlineData("OBRA CALLE BULNES 120", "bulnes 120")]
    public void A_project_address_is_its_streets_last_word_and_number(string text, string key) =>
        Assert.Equal([key], Keys(text));

    [Theory]
    [InlineData("Habilitación 4 pabellones Clínica Providencia")] // a count: a lower-case word follows
    [InlineData("Torre Reñaca, 22 paradas")] // "Reñaca," is followed by a comma, not a number
    [InlineData("Capacitación NFPA 25")] // an acronym, not a proper name
    [InlineData("Transformador 180 MVA 33/220 kV")] // a ratio
    [InlineData("Estanque Laguna 3.000 m3")] // grouped thousands
    [InlineData("Plan Invierno 2025")] // a year
    [InlineData("Ruta 68 km 14,5, Casablanca")] // a decimal kilometre is left unread
    [InlineData("Autopista 1.200 km")] // a length: the kilometres follow the number
    [InlineData("Paneles con 34 válvulas")] // a lower-case word is not a street
    [InlineData("Sala Eléctrica 12 KV")] // a unit follows
    [InlineData("OBRA BULNES 120 ANTOFAGASTA")] // all capitals, no address word
    [InlineData("Contrato Marco 123456")] // six digits: not a house number
    [InlineData("")]
    [InlineData(null)]
    public void Counts_years_ratios_standards_and_road_lengths_are_not_addresses(string? text) =>
        Assert.Empty(Keys(text));

    [Theory]
    [InlineData("Muros de tierra armada Ruta 78 km 29, Talagante", "km 29")]
    [InlineData("Paneles de mensajería variable Ruta 68 km 52–76", "km 52")] // a stretch: its first kilometre
    [InlineData("OBRA RUTA 5 SUR KM. 094", "km 94")] // all capitals need no address word: "km" says it
    public void A_site_on_a_road_is_addressed_by_its_milepost(string text, string key) =>
        Assert.Equal([key], Keys(text));

    [Fact]
    public void An_invoice_naming_a_projects_milepost_agrees_with_it_and_not_with_the_next_one()
    {
        var invoice = InvoiceDomain.Of(new InvoiceToMatch("ARMADURAS TIERRA ARMADA RUTA 78 KM 24 PADRE HURTADO", null, null, null, null, null, []));
        Assert.Equal("km 24", invoice.AgreeingAddress(StreetAddresses.OfProject("Muros Ruta 78 km 24, Peñaflor"))?.Written);
        Assert.Null(invoice.AgreeingAddress(StreetAddresses.OfProject("Muros Ruta 78 km 29, Talagante")));
    }

    [Fact]
    public void A_project_address_is_written_with_the_streets_whole_name()
    {
        Assert.Equal(["Av. Brasil 753", "Senador Estébanez 645"],
            StreetAddresses.OfProject("Hospital (Av. Brasil 753) y Senador Estébanez 645").Select(a => a.Written));
        Assert.Equal("AV. ARTURO PRAT 384", Assert.Single(StreetAddresses.OfProject("OBRA EN AV. ARTURO PRAT 384")).Written);
    }

    [Theory]
    [InlineData("DESPACHO MATERIALES AV. BRASIL 753", "brasil 753")]
    [InlineData("despacho av brasil 0753 linares", "brasil 753")]
    [InlineData("FLETE STGO - AV. DEL MAR 5200", "mar 5200")]
    public void An_invoice_is_read_loosely(string text, string key) => Assert.Contains(key, StreetAddresses.OfInvoice(text));

    [Theory]
    [InlineData("CABLE 1.500 M")] // grouped thousands
    [InlineData("ACCESO ESTACION L5")] // a one-letter word
    [InlineData("TRAFO 33/220 KV")] // a ratio
    [InlineData("CABLE 1,5 MM2")] // a decimal
    public void An_invoice_key_needs_a_word_of_three_letters_and_a_whole_number(string text) =>
        Assert.Empty(StreetAddresses.OfInvoice(text));

    [Fact]
    public void An_invoice_agrees_with_the_project_whose_address_it_writes()
    {
        var invoice = InvoiceDomain.Of(new InvoiceToMatch("GASES SOLDADURA DESPACHO AV. MANUEL MONTT 180", null, null, null, null, null, []));
        var coronel = StreetAddresses.OfProject("Hospital de Coronel (Manuel Montt 180)");
        var temuco = StreetAddresses.OfProject("Hospital de Temuco (Manuel Montt 115)");
        Assert.Equal("Manuel Montt 180", invoice.AgreeingAddress(coronel)?.Written);
        Assert.Null(invoice.AgreeingAddress(temuco));
    }
}
