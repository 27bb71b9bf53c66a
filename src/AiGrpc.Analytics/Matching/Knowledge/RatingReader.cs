using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>A number with a unit that says what something is: "500 kVA", "42 m", "DN 300", "144 FO".</summary>
/// <param name="Quantity">What it measures (<c>units.tsv</c>'s quantity: apparent-power, length...).</param>
/// <param name="Value">The value in the quantity's base unit.</param>
/// <param name="Decisive">A rating: a different value of the same quantity says it is another thing (a 250 kVA UPS is
/// not the 500 kVA one). A size only counts when it agrees (120 m of cable does not contradict a 36 m tower).</param>
/// <param name="Text">As written, for the reasoning.</param>
internal readonly record struct Rating(string Quantity, double Value, bool Decisive, string Text)
{
    /// <summary>The same quantity and value (1 % apart at most: "3.150 kVA" and "3,15 MVA").</summary>
    public bool Agrees(Rating other) =>
        Quantity == other.Quantity && Math.Abs(Value - other.Value) <= 0.01 * Math.Max(Math.Abs(Value), Math.Abs(other.Value));
}

/// <summary>
/// Reads the ratings and sizes a text writes (<c>Analytics/Knowledge/units.tsv</c>: aliases, base units, and whether a
/// quantity is a rating, a size or an amount bought, which is never compared). Voltages are left to the voltage classes
/// of <see cref="TradeLexicon"/>. Numbers are read the Chilean way: "3.000" is three thousand, "13,2" thirteen point two.
/// </summary>
internal sealed class RatingReader
{
    private static readonly Lazy<RatingReader> Shared = new(() => new RatingReader());

    private readonly FrozenDictionary<string, (string Quantity, double Factor, bool Decisive)> _units;
    private readonly Regex _after;
    private readonly Regex? _before;
    private readonly (Regex Pattern, FrozenDictionary<string, (string Quantity, double Factor, bool Decisive)> Units, string[] Words)[] _rated;
    private readonly FrozenSet<string> _aliases; // every unit alias, amounts too: "20 dias" is no count of things

    /// <summary>Reads the files. The service uses <see cref="Instance"/>; a test builds its own to exercise the reading
    /// (the shared instance is built once per process).</summary>
    internal RatingReader()
    {
        var units = new Dictionary<string, (string, double, bool)>(StringComparer.Ordinal);
        var aliases = new HashSet<string>(StringComparer.Ordinal);
        List<string> after = [], before = [];
        foreach (var row in KnowledgeFile.Rows("units.tsv"))
        {
            aliases.UnionWith(KnowledgeFile.List(row["aliases"]));
            var compare = row["compare"];
            if (compare is not ("rating" or "size") || row["factor_to_base"].Length == 0)
            {
                continue;
            }

            var unit = (row["quantity"], double.Parse(row["factor_to_base"], CultureInfo.InvariantCulture), compare == "rating");
            foreach (var alias in KnowledgeFile.List(row["aliases"]))
            {
                units[alias] = unit;
                (row["position"] == "before" ? before : after).Add(alias);
            }
        }

        _units = units.ToFrozenDictionary(StringComparer.Ordinal);
        _aliases = aliases.ToFrozenSet(StringComparer.Ordinal);
        _rated = [.. RatedEquipment()];
        _after = new Regex(
            $@"(?<![\p{{L}}\d.,])(?:\d+\s*x\s*)?(?<n>{Number})\s*-?\s*(?<u>{Alternation(after)})(?![\p{{L}}\d])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);
        _before = before.Count == 0 ? null : new Regex(
            $@"(?<![\p{{L}}\d])(?<u>{Alternation(before)})\s*-?\s*(?<n>{Number})(?![\d])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);
    }

    /// <summary>The process-wide instance (the file is read on first use).</summary>
    public static RatingReader Instance => Shared.Value;

    // Thousands with dots and an optional decimal comma ("3.000", "1.200,5"), or plain digits with an optional decimal
    // part ("13,2", "1.5").
    private const string Number = @"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?";

    /// <summary>The ratings and sizes of <paramref name="raw"/> (as written: decimal commas survive only there).
    /// <paramref name="normalized"/>, the same text normalised when the caller has it, lets the equipment patterns be
    /// skipped for a text that names none of their equipment.</summary>
    public IReadOnlyList<Rating> Read(string? raw, string? normalized = null)
    {
        if (string.IsNullOrEmpty(raw) || !raw.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return [];
        }

        List<Rating>? found = null;
        Collect(_after, _units, raw, ref found);
        if (_before is not null)
        {
            Collect(_before, _units, raw, ref found);
        }

        foreach (var (pattern, units, words) in _rated)
        {
            if (normalized is null || ContainsAny(normalized, words))
            {
                Collect(pattern, units, raw, ref found);
            }
        }

        CollectCounts(raw, ref found);
        return found ?? (IReadOnlyList<Rating>)[];
    }

    /// <summary>
    /// Counts of things: "640 detectores", "72 colectores planos", "CERRADURAS 96 PUERTAS", "DETECTORES 640 UN". A project
    /// is sized by how many of its things it installs or keeps ("120 viviendas", "18 torniquetes"), and a bill for the same
    /// number of the same thing is for that project; two projects of one client differ in such numbers more than in
    /// anything else. A size (<see cref="Rating.Decisive"/> false): only agreement counts, since a bill often covers a part
    /// ("2da entrega 90 un"). The thing is the word's stem (<see cref="TextAnalyzer.Stem(string)"/>: "puerta" and "puertas" agree);
    /// units (<c>units.tsv</c>, amounts too: "20 días", "45 HH"), times and small words are not things, and one of a thing
    /// says nothing.
    /// </summary>
    private void CollectCounts(string raw, ref List<Rating>? found)
    {
        foreach (Match m in CountBefore.Matches(raw))
        {
            AddCount(m, ref found);
        }

        foreach (Match m in CountAfter.Matches(raw))
        {
            AddCount(m, ref found);
        }

        if (raw.Contains('(', StringComparison.Ordinal))
        {
            foreach (Match m in CountInParentheses.Matches(raw))
            {
                AddCount(m, ref found);
            }
        }

        if (raw.Contains('-', StringComparison.Ordinal))
        {
            foreach (Match m in CountAfterDash.Matches(raw))
            {
                AddCount(m, ref found);
            }
        }
    }

    private void AddCount(Match m, ref List<Rating>? found)
    {
        var word = TextAnalyzer.Fold(m.Groups["w"].Value);
        if (_aliases.Contains(word) || NotThings.Contains(word) || Parse(m.Groups["n"].Value) is not { } number || number < 2
            || (number <= SmallCrew && CrewWords.Contains(word)))
        {
            return;
        }

        // "112 deptos" counts what "112 departamentos" does.
        (found ??= []).Add(new Rating("count:" + TextAnalyzer.Stem(TextAnalyzer.Expanded(word)), number, false, m.Value.Trim()));
    }

    /// <summary>A crew of this many or fewer ("2 TECNICOS", "3 TRONADORES") is not a size of the project: crews that small
    /// travel to every contract. In the fitting bills written before the twenty-sixth batch, a crew of two to five that a
    /// project's description also wrote belonged to another project all 12 times; of larger crews, all 15 to it.</summary>
    private const int SmallCrew = 5;

    /// <summary>Trades and roles a crew is counted in (accent-folded, four letters or more as the patterns read).</summary>
    private static readonly FrozenSet<string> CrewWords = new[]
    {
        "tecnico", "tecnicos", "mecanico", "mecanicos", "operador", "operadores", "soldador", "soldadores", "topografo",
        "topografos", "rigger", "riggers", "tronador", "tronadores", "laboratorista", "laboratoristas", "montajista",
        "montajistas", "supervisor", "supervisores", "ayudante", "ayudantes", "maestro", "maestros", "chofer", "choferes",
        "conductor", "conductores", "electricista", "electricistas", "instalador", "instaladores", "ingeniero", "ingenieros",
        "inspector", "inspectores", "prevencionista", "prevencionistas", "buzo", "buzos", "piloto", "pilotos", "agrimensor",
        "agrimensores",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words a number is followed by that are not things a project has: times, months, frequencies and small
    /// words (accent-folded, four letters or more as the patterns read; days and hours are units of <c>units.tsv</c>).</summary>
    private static readonly FrozenSet<string> NotThings = new[]
    {
        "meses", "anos", "semana", "semanas", "noche", "noches", "minuto", "minutos", "segundos", "veces", "cuotas", "para",
        "desde", "hasta", "entre", "sobre", "segun", "cada", "como",
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre",
        "noviembre", "diciembre", "total", "partida", "etapa", "entrega", "cuota", "parte", "item", "pagina",
    }.ToFrozenSet(StringComparer.Ordinal);

    // The number of a count: a whole number, thousands grouped with dots ("1.150"); and the words for units after it.
    private const string CountNumber = @"(?<n>\d{1,3}(?:\.\d{3})+|\d{1,5})";
    private const string CountUnits = "(?:un|und|unid|unidades|uds|u)";

    // A whole number (thousands with dots) then a word of four letters or more: "640 detectores". Plain compiled regexes,
    // not generated ones: the mutation runs compile without source generators.
    private static readonly Regex CountBefore = new(
        @"(?<![\p{L}\d.,/-])" + CountNumber + @"(?![\d.,/])\s+(?<w>\p{L}{4,})(?![\p{L}\d])",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);

    // A plural word, a whole number and "un" (units): "DETECTORES 640 UN"; a singular word is not what is counted
    // ("ALMUERZOS CUADRILLA 220 UN" counts lunches).
    private static readonly Regex CountAfter = new(
        @"(?<![\p{L}\d])(?<w>\p{L}{3,}[sS])\s+" + CountNumber + @"\s*" + CountUnits + @"\.?(?![\p{L}\d])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);

    // A plural word and, later in the same item, the number of them in parentheses: "COLECTORES SOLARES PLANOS 2,5 M2 (80)",
    // "MEDIDORES ENERGIA (36) SGE", "APOYOS NEOPRENO 300X400X52 (64 UN)". The item ends at "+", ",", ";", "|" or another
    // parenthesis (not at a decimal comma: "2,5 M2"), so "MODULOS FV + INVERSORES (3)" counts inverters; the first plural
    // word of the item is the thing counted.
    private static readonly Regex CountInParentheses = new(
        @"(?<![\p{L}\d])(?<w>\p{L}{3,}[sS])(?![\p{L}\d])(?:[^()+,;|]|,(?=\d)){0,40}?\(" + CountNumber + @"\s*" + CountUnits + @"?\.?\)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);

    // An item, a dash and how many of it: "POSTE HORMIGON 8 M - 24 UN", "TRANSFORMADOR MONOFASICO 10 KVA - 20 UN". The first
    // word of the item (four letters or more, singular or plural) is the thing counted; the item ends as above.
    private static readonly Regex CountAfterDash = new(
        @"(?<![\p{L}\d])(?<w>\p{L}{4,})(?![\p{L}\d])(?:[^()+,;|-]|,(?=\d)){0,40}?\s-\s*" + CountNumber + @"\s*" + CountUnits + @"\.?(?![\p{L}\d])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);

    // A loop, not Array.Exists with a lambda: no closure per text read.
    private static bool ContainsAny(string normalized, string[] words)
    {
        foreach (var word in words)
        {
            if (normalized.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void Collect(
        Regex pattern, FrozenDictionary<string, (string Quantity, double Factor, bool Decisive)> units, string raw, ref List<Rating>? found)
    {
        foreach (Match m in pattern.Matches(raw))
        {
            if (IsMilepostWord(m, raw))
            {
                continue;
            }

            if (units.TryGetValue(m.Groups["u"].Value.ToLowerInvariant(), out var unit) && Parse(m.Groups["n"].Value) is { } number)
            {
                (found ??= []).Add(new Rating(unit.Quantity, number * unit.Factor, unit.Decisive, m.Value.Trim()));
            }
        }
    }

    /// <summary>Kilometres written before a number are a road's milepost ("RUTA 78 KM 24": kilometre 24 of route 78), so
    /// the number before them is not a length (a route's number here).</summary>
    private static bool IsMilepostWord(Match m, string raw)
    {
        var unit = m.Groups["u"];
        if (!unit.Success || !StreetAddresses.IsMilepostWord(unit.Value.ToLowerInvariant()))
        {
            return false;
        }

        var next = unit.Index + unit.Length;
        while (next < raw.Length && raw[next] is ' ' or '.')
        {
            next++;
        }

        return next < raw.Length && char.IsAsciiDigit(raw[next]);
    }

    /// <summary>The rows of <c>rated-equipment.tsv</c>: "puente grúa (de) 80 t" is the crane's rated load, a rating.
    /// One pattern per quantity and unit list, so a text is scanned once for all the equipment that shares them; with
    /// the last word of each equipment name (normalised), which a text that names it contains.</summary>
    private static IEnumerable<(Regex, FrozenDictionary<string, (string Quantity, double Factor, bool Decisive)>, string[])> RatedEquipment()
    {
        var units = KnowledgeFile.Rows("units.tsv");
        foreach (var group in KnowledgeFile.Rows("rated-equipment.tsv").GroupBy(r => (Quantity: r["quantity"], Units: r["units"])))
        {
            var symbols = KnowledgeFile.List(group.Key.Units).ToHashSet(StringComparer.Ordinal);
            var factors = new Dictionary<string, (string Quantity, double Factor, bool Decisive)>(StringComparer.Ordinal);
            foreach (var unit in units.Where(u => symbols.Contains(u["symbol"])))
            {
                foreach (var alias in KnowledgeFile.List(unit["aliases"]))
                {
                    factors[alias] = (group.Key.Quantity, double.Parse(unit["factor_to_base"], CultureInfo.InvariantCulture), true);
                }
            }

            var equipment = string.Join('|', group.Select(r => r["equipment"]).OrderByDescending(e => e.Length).Select(AccentTolerant));
            var pattern = new Regex(
                $@"(?<![\p{{L}}\d])(?:{equipment})(?:\s+de)?\s+(?<n>{Number})\s*-?\s*(?<u>{Alternation(factors.Keys)})(?![\p{{L}}\d])",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);
            string[] words = [.. group.Select(r => PhraseTable<Place>.Normalize(r["equipment"]).Split(' ')[^1]).Distinct(StringComparer.Ordinal)];
            yield return (pattern, factors.ToFrozenDictionary(StringComparer.Ordinal), words);
        }
    }

    // "puente grua" as a pattern that also reads "puente grúa" and "PUENTE  GRÚA".
    private static string AccentTolerant(string folded) =>
        string.Concat(folded.Select(c => c switch
        {
            'a' => "[aá]",
            'e' => "[eé]",
            'i' => "[ií]",
            'o' => "[oó]",
            'u' => "[uúü]",
            ' ' => @"\s+",
            _ => Regex.Escape(c.ToString()),
        }));

    private static double? Parse(string number)
    {
        // "3.000" and "1.200,5": dots group thousands; otherwise a dot or comma is the decimal mark.
        var text = number.Contains(',', StringComparison.Ordinal) && number.Contains('.', StringComparison.Ordinal)
            ? number.Replace(".", string.Empty, StringComparison.Ordinal).Replace(',', '.')
            : ThousandsOnly(number) ? number.Replace(".", string.Empty, StringComparison.Ordinal) : number.Replace(',', '.');
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
    }

    private static bool ThousandsOnly(string number)
    {
        var parts = number.Split('.');
        return parts.Length > 1 && parts.Skip(1).All(p => p.Length == 3);
    }

    private static string Alternation(IEnumerable<string> aliases) =>
        string.Join('|', aliases.Distinct(StringComparer.Ordinal).OrderByDescending(a => a.Length).Select(Regex.Escape));
}
