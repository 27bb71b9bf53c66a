using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

public class TextNormalisationTests
{
    private static List<string> Terms(string text)
    {
        var terms = new List<string>();
        TextAnalyzer.Terms(text, terms);
        return terms;
    }

    [Theory]
    [InlineData("MANTENCIÓN SUBESTACIÓN", "mantencion subestacion")]
    [InlineData("Ñuñoa, Región del Biobío", "nunoa  region del biobio")]
    [InlineData("Línea de Transmisión", "linea de transmision")]
    public void Fold_removes_case_and_accents(string text, string expected) => Assert.Equal(expected, TextAnalyzer.Fold(text));

    [Fact]
    public void Accented_and_plain_spellings_give_the_same_terms() =>
        Assert.Equal(Terms("instalación eléctrica"), Terms("INSTALACION ELECTRICA"));

    [Theory]
    [InlineData("mant. preventiva", "mantencion preventiva")]
    [InlineData("inst. tablero", "instalacion tablero")]
    [InlineData("serv. topografía", "servicio topografia")]
    [InlineData("arr. camión pluma", "arriendo camion pluma")]
    [InlineData("40 hh supervisor", "horas hombre supervisor")]
    public void Abbreviations_expand_to_the_full_words(string abbreviated, string full) =>
        Assert.Equal(Terms(full), Terms(abbreviated));

    [Theory]
    [InlineData("transformadores", "transformador")]
    [InlineData("instalaciones", "instalacion")]
    [InlineData("equipos", "equipo")]
    [InlineData("luces", "luz")]
    public void Plural_and_singular_share_a_stem(string plural, string singular) =>
        Assert.Equal(TextAnalyzer.Stem(singular), TextAnalyzer.Stem(plural));

    [Fact]
    public void Stopwords_units_and_quantities_do_not_become_terms()
    {
        var terms = Terms("Suministro de 250 m de cable XLPE para la obra, 3 un");
        Assert.DoesNotContain(terms, t => t is "de" or "para" or "la" or "m" or "un" or "250" or "3");
        Assert.Contains(TextAnalyzer.Stem("suministro"), terms);
        Assert.Contains(TextAnalyzer.Stem("cable"), terms);
    }

    [Theory]
    [InlineData("OC 4500112233", "4500112233")]
    [InlineData("O.C. N° 4500112233", "4500112233")]
    [InlineData("oc-0004500112233", "4500112233")]
    [InlineData("OC N°4500112233", "4500112233")]
    [InlineData("Contrato 4600020011", "4600020011")]
    [InlineData("PRJ-2024-001", "prj2024001")]
    [InlineData("prj 2024/001", "prj2024001")]
    public void References_are_normalised_across_prefixes_separators_and_zeros(string written, string expected) =>
        Assert.Equal(expected, TextAnalyzer.NormalizeReference(written));

    [Fact]
    public void References_are_found_inside_free_text()
    {
        var found = new HashSet<string>();
        TextAnalyzer.References("Servicio según O.C. 4500112233 del proyecto PRJ-2024-001", found);
        Assert.Contains("4500112233", found);
        Assert.Contains("prj2024001", found);
    }
}
