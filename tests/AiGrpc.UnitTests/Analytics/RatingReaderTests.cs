using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// <see cref="RatingReader"/> on its own: numbers read the Chilean way, units before and after the number, the rated
/// equipment written with or without accents and spaces, what a rating says as written, and when two ratings agree.
/// Each test builds its own reader: the shared one is built once per process.
/// </summary>
public class RatingReaderTests
{
    private static Rating Single(string text) => Assert.Single(new RatingReader().Read(text));

    [Theory]
    [InlineData("Estanque 3.000 m3", 3000)] // dots group thousands
    [InlineData("Estanque 1.250.000 m3", 1_250_000)]
    [InlineData("Estanque 1.200,5 m3", 1200.5)] // and a comma is then the decimal mark
    [InlineData("Estanque 12,5 m3", 12.5)]
    [InlineData("Estanque 12.5 m3", 12.5)] // a dot not followed by three digits is a decimal point
    [InlineData("Estanque 1.25 m3", 1.25)]
    [InlineData("Estanque 1.2345 m3", 1.2345)]
    public void Numbers_are_read_the_chilean_way(string text, double value) =>
        Assert.Equal(value, Single(text).Value, 9);

    [Fact]
    public void Ratings_one_percent_apart_still_agree()
    {
        // 99 and 100 differ by exactly 1 % of the larger: the edge of "the same value" ("3.150 kVA" and "3,15 MVA").
        Assert.True(new Rating("power", 99, true, "99 kW").Agrees(new Rating("power", 100, true, "100 kW")));
        Assert.False(new Rating("power", 98.9, true, "98,9 kW").Agrees(new Rating("power", 100, true, "100 kW")));
    }

    [Theory]
    [InlineData("ARMADURAS RUTA 78 KM 24")] // route 78, kilometre 24
    [InlineData("FLETE RUTA 68 KM. 14")]
    [InlineData("OBRA 68 kilometro 14")]
    public void A_number_before_a_milepost_is_not_a_length(string text) => Assert.Empty(new RatingReader().Read(text));

    [Theory]
    [InlineData("TENDIDO FIBRA 24 KM TRAMO NORTE")]
    [InlineData("TENDIDO FIBRA 24 KM")] // the text ends at the unit: nothing after it to read
    [InlineData("TENDIDO FIBRA 24 KM.  ")]
    public void Kilometres_after_a_number_are_a_length(string text) =>
        Assert.Equal(24_000, Assert.Single(new RatingReader().Read(text)).Value);

    [Fact]
    public void A_zero_is_no_rating() => Assert.Empty(new RatingReader().Read("Transformador 0 kVA"));

    [Fact]
    public void A_rating_keeps_its_quantity_whether_it_is_decisive_and_its_text()
    {
        Assert.Equal(new Rating("apparent-power", 500_000, true, "500 kVA"), Single("UPS 500 kVA doble conversión"));
        Assert.Equal(new Rating("length", 36, false, "36 m"), Single("Torre 36 m"));
        Assert.Equal(new Rating("nominal-diameter", 300, true, "DN 300"), Single("Tubería DN 300 K9"));
        Assert.Equal(new Rating("nominal-diameter", 300, true, "DN-300"), Single("Tubería DN-300"));
    }

    [Theory]
    [InlineData("Puente grúa 10 t")]
    [InlineData("PUENTE  GRUA 10 T")]
    [InlineData("puente grúa de 10 toneladas")]
    [InlineData("Grúa pórtico 10 ton")]
    [InlineData("Grua semiportico 10 t")]
    [InlineData("Tecle eléctrico 10 t")]
    [InlineData("Polipasto 10 tn")]
    public void Rated_equipment_is_read_with_or_without_accents(string text)
    {
        var rating = Single(text);
        Assert.Equal(("lifting-capacity", 10_000d, true), (rating.Quantity, rating.Value, rating.Decisive));
    }

    [Fact]
    public void Several_ratings_of_one_text_are_all_read()
    {
        var ratings = new RatingReader().Read("Transformador 30 MVA, 400 kW, DN 150, puente grúa 5 t");
        Assert.Equal(["apparent-power", "lifting-capacity", "nominal-diameter", "power"], ratings.Select(r => r.Quantity).Order());
    }

    [Theory]
    [InlineData(100, 101, true)]
    [InlineData(101, 100, true)]
    [InlineData(100, 101.005, true)] // 1 % of the larger value
    [InlineData(100, 102, false)]
    [InlineData(102, 100, false)]
    public void Ratings_agree_within_one_percent(double a, double b, bool agree) =>
        Assert.Equal(agree, new Rating("power", a, true, "a").Agrees(new Rating("power", b, true, "b")));

    [Fact]
    public void Ratings_of_different_quantities_never_agree() =>
        Assert.False(new Rating("power", 100, true, "100 kW").Agrees(new Rating("apparent-power", 100, true, "100 kVA")));
}
