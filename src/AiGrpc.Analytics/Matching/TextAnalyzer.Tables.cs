using System.Collections.Frozen;

namespace AiGrpc.Analytics.Matching;

/// <summary>The analyzer's word tables: abbreviations, stopwords and units, and the fold of each ASCII character. Apart
/// from the code that reads them: they are data, built once per process.</summary>
public static partial class TextAnalyzer
{
    /// <summary>Stem length: Spanish words sharing their first letters usually share a meaning
    /// (mantención / mantenimiento, eléctrico / eléctrica); six keeps instalación apart from instrumento.</summary>
    private const int StemLength = 6;

    /// <summary><see cref="FoldChar"/> of each ASCII character, looked up in the fold loop (most invoice text is ASCII).
    /// First of the tables: the ones below are built with the analyzer's own functions.</summary>
    private static readonly char[] AsciiFold = [.. Enumerable.Range(0, 128).Select(c => FoldChar((char)c))];

    // Abbreviations seen on Chilean invoices and purchase orders, expanded to the word they stand for.
    private static readonly FrozenDictionary<string, string> Abbreviations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mant"] = "mantencion", ["mantto"] = "mantencion", ["mantenc"] = "mantencion", ["mtto"] = "mantencion", ["mtt"] = "mantencion",
        ["inst"] = "instalacion", ["instal"] = "instalacion",
        ["hh"] = "horas hombre", ["hrs"] = "horas", ["hr"] = "horas",
        ["serv"] = "servicio", ["svc"] = "servicio", ["ss"] = "servicios",
        ["arr"] = "arriendo", ["arrdo"] = "arriendo",
        ["sum"] = "suministro", ["sumin"] = "suministro", ["sumi"] = "suministro",
        ["transp"] = "transporte", ["trans"] = "transporte",
        ["const"] = "construccion", ["constr"] = "construccion",
        ["elec"] = "electrico", ["electr"] = "electrico",
        ["ing"] = "ingenieria", ["ingen"] = "ingenieria",
        ["eq"] = "equipo", ["eqs"] = "equipos", ["equip"] = "equipo",
        ["se"] = "subestacion", ["sse"] = "subestacion", ["subest"] = "subestacion", ["s/e"] = "subestacion",
        ["fv"] = "fotovoltaica", ["pv"] = "fotovoltaica",
        ["lt"] = "linea transmision", ["lat"] = "linea alta tension",
        ["mat"] = "materiales", ["mats"] = "materiales", ["matl"] = "materiales",
        ["rep"] = "reparacion", ["repar"] = "reparacion",
        ["insp"] = "inspeccion",
        ["cap"] = "capacitacion", ["capac"] = "capacitacion",
        ["comb"] = "combustible", ["petr"] = "petroleo",
        ["hormig"] = "hormigon", ["horm"] = "hormigon",
        ["estr"] = "estructura", ["estruct"] = "estructura",
        ["obr"] = "obras", ["ob"] = "obras",
        ["aliment"] = "alimentacion", ["alim"] = "alimentacion",
        ["aloj"] = "alojamiento",
        ["prev"] = "preventiva", ["correct"] = "correctiva",
        ["trafo"] = "transformador", ["transf"] = "transformador",
        ["gen"] = "generador", ["grupo"] = "grupo",
        ["topog"] = "topografia", ["topo"] = "topografia",
        ["aseo"] = "aseo", ["vig"] = "vigilancia",
        ["contab"] = "contabilidad", ["admin"] = "administracion", ["adm"] = "administracion",
        ["cta"] = "cuenta", ["fact"] = "factura",
        ["depto"] = "departamento", ["deptos"] = "departamentos", ["dpto"] = "departamento", ["dptos"] = "departamentos",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Stopwords = new[]
    {
        "a", "al", "ante", "bajo", "con", "contra", "de", "del", "desde", "durante", "e", "el", "en", "entre", "es", "esta",
        "este", "hacia", "hasta", "la", "las", "lo", "los", "mas", "n", "no", "nro", "num", "o", "otro", "otros", "para",
        "por", "que", "se", "segun", "sin", "sobre", "su", "sus", "tras", "u", "un", "una", "uno", "unos", "y", "ya",
        "mes", "segun", "total", "neto", "iva", "valor", "monto", "item", "items", "detalle", "glosa", "factura",
        "correspondiente", "corresponde", "periodo", "sr", "sra", "sres", "favor", "cliente", "proyecto", "obra",
        "cod", "codigo", "sku", "ref", "art", "articulo",
        "oc", "hes", "np", "contrato", // reference prefixes: the reference signal carries them, as text they are noise
    }.ToFrozenSet(StringComparer.Ordinal);

    // Units of measure: noise for text similarity (a line "10 un" says nothing about the project).
    private static readonly FrozenSet<string> Units = new[]
    {
        "un", "und", "unid", "unidad", "unidades", "uds", "gl", "glb", "global", "kg", "kgs", "gr", "grs", "ton", "tons", "tn",
        "m", "m2", "m3", "mt", "mts", "ml", "mm", "cm", "km", "lt", "lts", "litro", "litros", "cc", "pza", "pzas", "pieza",
        "piezas", "caja", "cajas", "rollo", "rollos", "par", "pares", "set", "kit", "jgo", "juego", "dia", "dias", "mes", "meses", "kw", "kwh", "mw", "mwh", "kva", "kv", "v", "a", "hp", "clp", "uf", "usd", "pulg",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The three tables in one, looked up by span (tokens are slices of the folded text, not strings): an
    /// abbreviation gives the stems a written-out expansion would give (its words obey the same filters as written
    /// words: "hh" and "horas hombre" must agree); a stopword or unit gives none, and the token is dropped. One
    /// look-up per token instead of three; where a word is in two tables the abbreviation wins, as it is read first.</summary>
    private static readonly FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> TableWords = Stopwords.Concat(Units).Distinct()
        .Where(w => !Abbreviations.ContainsKey(w))
        .Select(w => KeyValuePair.Create(w, Array.Empty<string>()))
        .Concat(Abbreviations.Select(a => KeyValuePair.Create(a.Key, a.Value.Split(' ').Where(w => !Stopwords.Contains(w) && !Units.Contains(w)).Select(Stem).ToArray())))
        .ToFrozenDictionary(StringComparer.Ordinal)
        .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Texts up to this length are folded on the stack; longer ones in a pooled buffer.</summary>
    private const int StackFoldLength = 256;
}
