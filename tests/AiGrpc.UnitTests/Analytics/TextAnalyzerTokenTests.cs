using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// <see cref="TextAnalyzer"/> token by token: where a token starts and ends (slashes, dots, hyphens), which tokens
/// are dropped, abbreviations and long words set apart, and how a reference is cut from free text and reduced to what
/// identifies it (prefixes, leading zeros, thousands dots, the length and digits of an identifier).
/// </summary>
public class TextAnalyzerTokenTests
{
    private static List<string> Terms(string? text)
    {
        var terms = new List<string>();
        TextAnalyzer.Terms(text, terms);
        return terms;
    }

    private static HashSet<string> References(string? text)
    {
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        return references;
    }

    private static List<string> Stems(params string[] words) => [.. words.Select(TextAnalyzer.Stem)];

    [Fact]
    public void No_text_gives_nothing_and_appends_nothing()
    {
        Assert.Equal(string.Empty, TextAnalyzer.Fold(null));
        Assert.Equal(string.Empty, TextAnalyzer.Fold(string.Empty));
        var terms = new List<string> { "previo" };
        TextAnalyzer.Terms(null, terms);
        TextAnalyzer.Terms(string.Empty, terms);
        Assert.Equal(["previo"], terms);
        Assert.Empty(References(null));
        Assert.Empty(References("   "));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.Terms("cable", null!));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.References("OC 4500123", null!));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.NormalizeReference(null!));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.Stem(null!));
    }

    [Fact]
    public void A_long_text_is_read_as_a_short_one()
    {
        var filler = string.Concat(Enumerable.Repeat("cable tablero ", 30));
        Assert.True(filler.Length > 256);
        Assert.Equal([.. Terms(filler), .. Terms("soporte final")], Terms(filler + "soporte final"));
        Assert.Equal(["4500123456"], References(filler + "OC 4500123456"));
    }

    [Theory]
    [InlineData("cable/ducto", new[] { "cable", "ducto" })] // a slash between words splits them
    [InlineData("/cable", new[] { "cable" })] // a slash that starts nothing
    [InlineData("cable/2 tablero", new[] { "cable", "tablero" })] // a slash before a digit ends the word
    [InlineData("cable/", new[] { "cable" })]
    [InlineData("x cable b", new[] { "cable" })] // one letter is no word
    [InlineData("h30 cable 2x", new[] { "cable" })] // a token with digits is a code, not text
    [InlineData("cable_tablero", new[] { "cable", "tablero" })]
    public void Tokens_end_at_anything_but_letters_digits_and_a_slash_between_letters(string text, string[] words) =>
        Assert.Equal(Stems(words), Terms(text));

    [Fact]
    public void Abbreviations_are_set_apart_only_when_asked_for_and_only_three_to_five_letters_long()
    {
        var terms = new List<string>();
        var abbreviations = new List<string>();
        TextAnalyzer.Terms("tub. contr. perfor. ab. tubo, cable", terms, abbreviations);
        Assert.Equal(["tub", "contr"], abbreviations);
        Assert.Equal(Stems("perfor", "ab", "tubo", "cable"), terms);

        Assert.Equal(Stems("tub", "contr", "perfor", "ab", "tubo", "cable"), Terms("tub. contr. perfor. ab. tubo, cable"));
    }

    [Fact]
    public void Words_of_seven_letters_or_more_are_typo_candidates()
    {
        var terms = new List<string>();
        var candidates = new List<string>();
        TextAnalyzer.Terms("bodega soporte mantenimiento cable/soportes", terms, null, candidates);
        Assert.Equal(Stems("soporte", "mantenimiento"), candidates);
        Assert.Equal(Stems("bodega", "soporte", "mantenimiento", "cable", "soportes"), terms);
    }

    [Theory]
    [InlineData("OC-4500123", "4500123")]
    [InlineData("4500123- pagado", "4500123")]
    [InlineData("ref 4500.123.", "4500123")]
    [InlineData("Orden 1234.567", "1234567")] // a first group of four digits is no thousands grouping
    [InlineData("Orden 120.0000", "1200000")] // nor a later one of four
    [InlineData("Orden 12.345.67", "1234567")]
    [InlineData("Lote A12.345", "a12345")] // letters are never a quantity
    [InlineData("Codigo AB123C", "ab123c")]
    [InlineData("Folio 12345", "12345")]
    [InlineData("Folio 000012345", "12345")]
    public void References_are_cut_from_free_text(string text, string expected) =>
        Assert.Equal([expected], References(text));

    [Theory]
    [InlineData("Orden 12.345")]
    [InlineData("Orden .345")]
    [InlineData("Codigo AB12CD")] // two digits
    [InlineData("Codigo AB123")] // five characters
    [InlineData("Folio 1234")] // four digits: a year or a count
    [InlineData("Folio 00000")]
    [InlineData("PRJ- 2024")]
    public void Quantities_short_codes_and_years_are_not_references(string text) =>
        Assert.Empty(References(text));

    [Theory]
    [InlineData("oc12", "oc12")] // a prefix needs three characters after it
    [InlineData("oc123", "123")]
    [InlineData("ocn123", "123")]
    [InlineData("o.c. n° 123", "123")]
    [InlineData("ordendecompra123", "123")]
    [InlineData("contrato 123", "123")]
    [InlineData("np 123", "123")]
    [InlineData("hes 123", "123")]
    [InlineData("nro 123", "123")]
    [InlineData("no 123", "123")]
    [InlineData("n 123", "123")]
    [InlineData("ocx123", "ocx123")]
    [InlineData("nota12", "nota12")]
    [InlineData("000", "0")]
    [InlineData("0", "0")]
    [InlineData("", "")]
    [InlineData("oc 00123", "123")]
    public void A_reference_loses_its_prefixes_and_leading_zeros(string reference, string expected) =>
        Assert.Equal(expected, TextAnalyzer.NormalizeReference(reference));
}
