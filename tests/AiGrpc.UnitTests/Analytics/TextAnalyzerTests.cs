using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

public class TextAnalyzerTests
{
    private static List<string> Terms(string text)
    {
        var terms = new List<string>();
        TextAnalyzer.Terms(text, terms);
        return terms;
    }

    [Theory]
    [InlineData("Mantención eléctrica", "MANTENCION ELECTRICA")]
    [InlineData("mant. elec.", "Mantención eléctrica")]
    [InlineData("Instalaciones", "instalación")]
    [InlineData("transformadores", "Transformador")]
    [InlineData("S/E Polpaico", "Subestación Polpaico")]
    [InlineData("HH", "horas hombre")]
    public void Writings_of_the_same_words_give_the_same_terms(string a, string b) =>
        Assert.Equal(Terms(b), Terms(a));

    [Fact]
    public void Units_numbers_skus_and_stopwords_are_not_text_evidence()
    {
        Assert.Equal(Terms("cable"), Terms("CABLE de 120 MT COD 300145 x2 un"));
    }

    [Theory]
    [InlineData("OC N° 004500123456", "4500123456")]
    [InlineData("O.C. 4500123456", "4500123456")]
    [InlineData("orden de compra 4500123456", "4500123456")]
    [InlineData("Contrato 4600020011", "4600020011")]
    [InlineData("ref PRJ-2024-001", "prj2024001")]
    public void References_are_normalised(string text, string expected)
    {
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        Assert.Contains(expected, references);
    }

    [Theory]
    [InlineData("Mantención eléctrica subestación Ñuble")]
    [InlineData("OC \uFF14\uFF15\uFF10\uFF10\uFF11\uFF12\uFF13")] // fullwidth digits
    [InlineData("OC \u0664\u0665\u0660\u0660\u0661\u0662\u0663")] // Arabic-Indic digits
    [InlineData("PRJ-\u00B2\u00B3\u00B9")] // superscripts
    public void Text_without_ascii_digits_has_no_references(string text)
    {
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        TextAnalyzer.References(text + " OC 4500123", references);
        Assert.Equal(["4500123"], references);
    }

    [Theory]
    [InlineData("OC 4500871203", "4500871203")]
    [InlineData("Contrato 20000-45", "2000045")]
    [InlineData("Orden 12.3456", "123456")]
    public void Numbers_not_grouped_by_thousands_are_still_references(string text, string expected)
    {
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        Assert.Contains(expected, references);
    }

    [Theory]
    [InlineData("BASE GRANULAR OC PV-SRA-PP34", "pvsrapp34")]
    [InlineData("CORTE JUNTAS CALZADA OC PV-SB-EYZ", "pvsbeyz")]
    [InlineData("FLETE ANDAMIOS HUALPEN - NORTE AT-TOC-AND", "attocand")] // " - " joins nothing: spaces around it
    [InlineData("obra at/toc.and", "attocand")]
    [InlineData("ALOJAMIENTO CUADRILLA CAMBIO POLINES CV-310", "cv310")] // an equipment tag, to look up among the names' tags
    [InlineData("EPP CAMBIO POLEAS CT-12", "ct12")]
    public void Joined_codes_are_read_whatever_their_digits(string text, string code)
    {
        var codes = new HashSet<string>();
        TextAnalyzer.JoinedCodes(text, codes);
        Assert.Equal([code], codes);
    }

    [Theory]
    [InlineData("S/E ELEVADORA 6,6/23 KV")] // too short once joined ("se", "6623" has digits only four)
    [InlineData("ARRIENDO GRUA PLUMA")] // nothing joined
    [InlineData("CONTRATO 1063-43-LR25")] // three digits or more: a reference of free text, read by References
    [InlineData("")]
    [InlineData(null)]
    public void Words_not_joined_short_joins_and_numbered_identifiers_are_not_joined_codes(string? text)
    {
        var codes = new HashSet<string>();
        TextAnalyzer.JoinedCodes(text, codes);
        Assert.Empty(codes);
    }

    [Theory]
    [InlineData("EXAMENES PREOCUPACIONALES - LICITACION ENAMI LP 2025 0087", "ENAMI-LP-2025-0087")]
    [InlineData("COMISION BOLETA FIEL CUMPLIMIENTO CONTRATO CT EM 2025 0342", "CT-EM-2025-0342")]
    [InlineData("HORMIGON HF-4,5 LOSA 18 CM - OC SA 0530 25", "OC SA-0530-25")] // the keyword itself mixes both
    [InlineData("POLIZA RC - ORDEN AMT OC 25 0479.", "AMT-OC-25-0479")] // a full stop ends the last word, not the code
    [InlineData("CERTIFICADO FIANZA ETSV LP 09 2025", "ETSV-LP-09-2025")]
    [InlineData("FLETE LP 25 0187", "LP-25-0187")] // eight characters joined, the fewest read
    [InlineData("EXAMENES ENAMI  LP  2025  0087", "ENAMI-LP-2025-0087")] // double spaces are no words of the run
    public void References_written_with_spaces_are_read_as_the_code_joined(string text, string keyword)
    {
        var references = new HashSet<string>();
        TextAnalyzer.SpacedReferences(text, references);
        Assert.Contains(TextAnalyzer.NormalizeReference(keyword), references);
    }

    [Theory]
    [InlineData("RECTIFICADOR 60 V / 40 A")] // a slash standing alone ends a run; "60v" and "40a" have one number each
    [InlineData("LICITACION ENAMI LP 2025")] // one word with digits
    [InlineData("LP 25 01")] // two, but shorter than eight characters joined
    [InlineData("LP-2025-0087")] // no space: References reads it
    [InlineData("2025 0087 1234")] // no letter
    [InlineData("")]
    [InlineData(null)]
    public void Runs_without_two_numbers_a_letter_and_eight_characters_are_not_spaced_references(string? text)
    {
        var references = new HashSet<string>();
        TextAnalyzer.SpacedReferences(text, references);
        Assert.Empty(references);
    }

    [Theory]
    [InlineData("CURSO IEC 61850 AVANZADO")]
    [InlineData("INSPECCION API 653 ESTANQUES")]
    [InlineData("DISENO SISMICO SEGUN NCH 2369")]
    [InlineData("ENSAYO ASTM-D1557 PROCTOR")] // joined to its body
    [InlineData("CERTIFICACION ISO 9001:2015")]
    public void A_standards_number_is_not_a_reference(string text)
    {
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        Assert.Empty(references);
    }

    [Theory]
    [InlineData("OC 4500871203 SEGUN NCH 2369", "4500871203")] // the order still is
    [InlineData("CONTRATO API-2025-0087", "api20250087")] // a body's letters before a longer number: a code
    [InlineData("OC API 123456", "123456")] // six digits after a body: an order, not a standard
    public void A_reference_beside_or_like_a_standard_is_still_read(string text, string reference)
    {
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        Assert.Contains(reference, references);
    }

    [Fact]
    public void Words_longer_together_than_any_code_are_read_without_failing()
    {
        // Five words of 13 letters and digits each: 65 characters, more than a code is ever joined to.
        var references = new HashSet<string>();
        TextAnalyzer.SpacedReferences("ABCDEFGHIJKL1 ABCDEFGHIJKL2 ABCDEFGHIJKLM ABCDEFGHIJKLN ABCDEFGHIJKLO", references);
        Assert.Contains("abcdefghijkl1abcdefghijkl2", references);
        Assert.All(references, r => Assert.True(r.Length <= 64, r));
    }

    [Fact]
    public void A_spaced_reference_joins_at_most_five_words()
    {
        var references = new HashSet<string>();
        TextAnalyzer.SpacedReferences("AA1 BB CC DD EE FF2", references); // six words from the first to the last number
        Assert.DoesNotContain("aa1bbccddeeff2", references);
        TextAnalyzer.SpacedReferences("AA1 BB CC DD EE2", references);
        Assert.Contains("aa1bbccddee2", references);
    }

    [Fact]
    public void The_sets_read_into_are_required()
    {
        HashSet<string>? none = null;
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.References("OC 4500123", null!));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.References("OC 4500123", null!, ref none));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.JoinedCodes("PV-SB-EYZ", null!));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.EquipmentTags("CV-310", null!));
        Assert.Throws<ArgumentNullException>(() => TextAnalyzer.SpacedReferences("LP 2025 0087", null!));
    }

    [Theory]
    [InlineData("Suministro y cambio de polines correa CV-310 pebbles", "cv310")]
    [InlineData("Reemplazo poleas motrices correa de carbón CT-12", "ct12")]
    [InlineData("Cambio correa CV-4A chancado", "cv4a")]
    [InlineData("Reparación estanque TK-3105", "tk3105")]
    [InlineData("Mantención tanques TK-3105 y TK-3106", "tk3105", "tk3106")]
    [InlineData("Cambio correa CV-3", "cv3")] // three characters are the shortest tag
    public void Equipment_tags_are_letters_then_a_number_joined(string name, params string[] tags)
    {
        var found = new HashSet<string>();
        TextAnalyzer.EquipmentTags(name, found);
        Assert.Equal(tags.ToHashSet(), found);
    }

    [Theory]
    [InlineData("Condominio social DS49 Nuevo Amanecer")] // not joined
    [InlineData("Cambio correa OC PV-SB-EYZ")] // a joined code without digits
    [InlineData("Línea 2x220 kV")] // digits first
    [InlineData("Correa CV-12345")] // five digits: an order number's shape
    [InlineData("Correa CV-310-B2")] // letters after the number are one at most
    [InlineData("Cambio correa 1-A")] // a digit first
    [InlineData(null)]
    public void Other_codes_and_words_are_not_equipment_tags(string? name)
    {
        var found = new HashSet<string>();
        TextAnalyzer.EquipmentTags(name, found);
        Assert.Empty(found);
    }

    [Fact]
    public void Short_numbers_are_not_references()
    {
        var references = new HashSet<string>();
        TextAnalyzer.References("estado de pago 3, 10 un, 2024", references);
        Assert.DoesNotContain("3", references);
        Assert.DoesNotContain("10", references);
    }

    [Theory]
    [InlineData("Luminarias LED viales 60 W con nodo NEMA, 1.500 un", "1500")]
    [InlineData("Desconectador 72,5 kV 1250 A", "1250")]
    [InlineData("Empalme correa 1.200 mm EP 800/4", "1200")]
    [InlineData("Tubería HDPE PE100 D=315 mm", "pe100")]
    [InlineData("licitación LT 2x220 kV", "2x220")]
    [InlineData("Cable XTU 500 MCM, 6.000 m", "6000")]
    [InlineData("MANTENCION 20.000 KM CAMIONETA", "20000")]
    [InlineData("Embalse 180.000 m3", "180000")]
    [InlineData("Arriendo 1.250.000 mensual", "1250000")]
    [InlineData("MONTANTE ALUMINIO 6063-T6 250 MM", "6063t6")] // aluminium alloy and temper (ANSI H35.1)
    [InlineData("Plancha 5052-H32 3 mm", "5052h32")]
    [InlineData("Perfil 6061-T651", "6061t651")]
    [InlineData("CAMARAS TERMICAS 640x480", "640x480")] // a resolution
    [InlineData("TABLERO CONTROL 2000X800X600", "2000x800x600")] // dimensions
    [InlineData("POLIZA RC EMPRESA 2025-2026", "20252026")] // a period dates a policy or a contract
    [InlineData("Contrato 2025-2025", "20252025")] // one year
    [InlineData("Contrato 2025-2030", "20252030")] // five years, the longest period
    [InlineData("Archivo 1900-1901", "19001901")] // the earliest year read as one
    [InlineData("Concesión 2099-2101", "20992101")] // the latest first year
    [InlineData("Barra 6061-T6511", "6061t6511")] // a temper of four digits
    [InlineData("BARRAS A630-420H D16", "a630420h")] // a rebar grade (NCh 204)
    [InlineData("Fierro A440-280H 12 mm", "a440280h")]
    [InlineData("Monitoreo piezométrico 2025/2027", "20252027")]
    public void Quantities_ratings_and_material_grades_are_not_references(string text, string notExpected)
    {
        // They recur across unrelated bills and projects: "1.500 un" of luminaires is not the stadium's 1.500 lux.
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        Assert.DoesNotContain(notExpected, references);
    }

    [Theory]
    [InlineData("Boleta de garantía licitación 2394-18-LR24", "239418lr24")]
    [InlineData("OC 45008712", "45008712")]
    [InlineData("Contrato CPC-VTX-2025-03", "cpcvtx202503")]
    [InlineData("OC 4500-T12345", "4500t12345")] // a temper has at most four digits
    [InlineData("Pedido 9063-T6", "9063t6")] // no aluminium alloy series starts with 9
    [InlineData("Pedido 6063-Z6", "6063z6")] // Z is no temper letter
    [InlineData("Pedido 606-T61", "606t61")] // three digits: no alloy
    [InlineData("Pedido 4500x12345b", "4500x12345b")] // a letter after the numbers: not dimensions
    [InlineData("Pedido x4500123", "x4500123")] // an x before any number: not dimensions
    [InlineData("Pedido 45001x", "45001x")] // an x after the last number: not dimensions
    [InlineData("OC 2025-2031", "20252031")] // six years apart: no contract period
    [InlineData("Pedido A630-420X", "a630420x")] // no H: not a rebar grade
    [InlineData("Pedido B630-420H", "b630420h")]
    [InlineData("OC 2026-2025", "20262025")] // backwards: no period
    [InlineData("OC 1899-1900", "18991900")] // not years of a contract
    public void Identifiers_in_text_stay_references(string text, string expected)
    {
        var references = new HashSet<string>();
        TextAnalyzer.References(text, references);
        Assert.Contains(expected, references);
    }

    [Theory]
    [InlineData("manten", "mnaten", true)]   // transposition
    [InlineData("manten", "manen", true)]    // deletion
    [InlineData("manten", "mantten", true)]  // insertion
    [InlineData("manten", "marten", true)]   // substitution
    [InlineData("manten", "martin", false)]
    [InlineData("compra", "compre", true)]
    public void One_edit_distance(string a, string b, bool expected) =>
        Assert.Equal(expected, TermDictionary.IsOneEdit(a, b));
}
