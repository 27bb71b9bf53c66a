using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>What the trade vocabulary reads in one text: the kinds of project its equipment belongs to, and its
/// voltage classes.</summary>
/// <param name="Kinds">Kind id → weight (a strong term 1, a weak one 0.5); empty when none.</param>
/// <param name="Voltages">Nominal system voltages (kV) the text's voltages belong to: 245 kV equipment serves 220 kV.</param>
/// <param name="FirstTerm">The first trade term found, for the reasoning.</param>
internal sealed record TradeEvidence(IReadOnlyDictionary<int, double> Kinds, IReadOnlySet<double> Voltages, string? FirstTerm)
{
    public static readonly TradeEvidence Empty = new(FrozenDictionary<int, double>.Empty, FrozenSet<double>.Empty, null);

    public double TotalKindWeight { get; } = Kinds.Values.Sum();

    /// <summary><see cref="Kinds"/> as an array, made once: a match reads it for every project.</summary>
    public (int Kind, double Weight)[] KindList { get; } = [.. Kinds.Select(k => (k.Key, k.Value))];
}

/// <summary>
/// The trade vocabulary (<c>Analytics/Knowledge/project-kinds.tsv</c>, <c>trade-terms.tsv</c>, <c>voltage-classes.tsv</c>
/// and their README for sources): equipment, materials and services named on bills, mapped to the kinds of project they
/// belong to (ACSR conductor → transmission line, MC4 connector → solar plant, mill liners → grinding mill), the cues
/// that say what kind a project is, and the voltage classes of IEC 60038 / IEC 62271 with which a 245 kV insulator
/// fits a 220 kV substation and a 66 kV transformer does not.
/// </summary>
internal sealed partial class TradeLexicon
{
    private static readonly Lazy<TradeLexicon> Shared = new(() => new TradeLexicon());

    // Cues of two letters or fewer that are ordinary words in project descriptions ("se instalará").
    private static readonly FrozenSet<string> UnsafeCues = FrozenSet.ToFrozenSet(["se", "de", "la", "el", "en", "y", "a"], StringComparer.Ordinal);

    private readonly string[] _kindNames;
    private readonly string[] _kindIds;
    private readonly int _overheadKind;
    private readonly PhraseTable<int[]> _cues;
    private readonly PhraseTable<(int[] Kinds, double Weight)> _terms;
    private readonly FrozenDictionary<double, double[]> _voltageClasses;

    /// <summary>Reads the files. The service uses <see cref="Instance"/>; a test builds its own to exercise the reading
    /// (the shared instance is built once per process).</summary>
    internal TradeLexicon()
    {
        var kinds = KnowledgeFile.Rows("project-kinds.tsv");
        _kindIds = [.. kinds.Select(k => k["kind"])];
        _kindNames = [.. kinds.Select(k => k["name_es"])];
        var byId = _kindIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        _overheadKind = byId.GetValueOrDefault("overhead", -1);
        _cues = new(kinds.SelectMany((k, i) => KnowledgeFile.List(k["cues"]).Where(c => !UnsafeCues.Contains(PhraseTable<int>.Normalize(c))).Select(c => (c, new[] { i }))));
        _terms = new(KnowledgeFile.Rows("trade-terms.tsv").Select(r =>
            (r["phrase"], (KnowledgeFile.List(r["kinds"]).Where(byId.ContainsKey).Select(k => byId[k]).ToArray(), r["strength"] == "strong" ? 1.0 : 0.5))));

        // Each nominal voltage serves itself; each equipment rating (Um) serves the nominal voltages it is used on.
        var classes = new Dictionary<double, HashSet<double>>();
        foreach (var row in KnowledgeFile.Rows("voltage-classes.tsv"))
        {
            var nominal = double.Parse(row["nominal_kv"], CultureInfo.InvariantCulture);
            var um = double.Parse(row["equipment_um_kv"], CultureInfo.InvariantCulture);
            Add(nominal, nominal);
            Add(um, nominal);
        }

        _voltageClasses = classes.ToFrozenDictionary(c => c.Key, c => c.Value.Order().ToArray());

        void Add(double rating, double nominal)
        {
            if (!classes.TryGetValue(rating, out var set))
            {
                classes[rating] = set = [];
            }

            set.Add(nominal);
        }
    }

    /// <summary>The process-wide instance.</summary>
    public static TradeLexicon Instance => Shared.Value;

    /// <summary>Number of trade terms.</summary>
    public int TermCount => _terms.Count;

    /// <summary>Spanish name of kind <paramref name="kind"/>.</summary>
    public string KindName(int kind) => _kindNames[kind];

    /// <summary>Id of kind <paramref name="kind"/> (e.g. <c>substation</c>).</summary>
    public string KindId(int kind) => _kindIds[kind];

    /// <summary>Of <paramref name="kinds"/>, the one the invoice's trade evidence weighs most on; null when none.</summary>
    public static int? BestKind(TradeEvidence evidence, IReadOnlySet<int> kinds)
    {
        int? best = null;
        var weight = 0.0;
        foreach (var (kind, w) in evidence.Kinds)
        {
            if (w > weight && kinds.Contains(kind))
            {
                (best, weight) = (kind, w);
            }
        }

        return best;
    }

    /// <summary>The kinds a project is, from the cues and strong trade terms of its texts (normalised).</summary>
    public IReadOnlySet<int> ProjectKinds(string normalized)
    {
        var kinds = new HashSet<int>();
        foreach (var m in _cues.Find(normalized))
        {
            kinds.UnionWith(m.Value);
        }

        foreach (var m in _terms.Find(normalized))
        {
            if (m.Value.Weight >= 1)
            {
                kinds.UnionWith(m.Value.Kinds);
            }
        }

        kinds.Remove(_overheadKind);
        return kinds;
    }

    /// <summary>The trade evidence of a text: <paramref name="normalized"/> for terms, <paramref name="raw"/> for voltages
    /// (decimal commas and "2x220" survive only there).</summary>
    public TradeEvidence Read(string normalized, string raw)
    {
        Dictionary<int, double>? kinds = null;
        string? first = null;
        foreach (var m in _terms.Find(normalized))
        {
            first ??= m.Phrase;
            foreach (var kind in m.Value.Kinds)
            {
                // The overhead rows are works-site costs as much as company ones (EPP, fuel, lodging, chemical toilets:
                // in the fitting bills "estanque" is never overhead and "alojamiento" 2 times in 267): they name no
                // kind of project, and they stay in the file so that "tracker gps" or "bolsa jumbo" is not read as the
                // shorter "tracker" or "jumbo". Overhead is read by overhead-es.tsv.
                if (kind == _overheadKind)
                {
                    continue;
                }

                kinds ??= [];
                kinds[kind] = kinds.GetValueOrDefault(kind) + (m.Value.Weight / m.Value.Kinds.Length);
            }
        }

        var voltages = Voltages(raw);
        return kinds is null && voltages.Count == 0 && first is null
            ? TradeEvidence.Empty
            : new TradeEvidence(kinds ?? (IReadOnlyDictionary<int, double>)FrozenDictionary<int, double>.Empty, voltages, first);
    }

    /// <summary>Nominal voltage classes of every "N kV" in <paramref name="raw"/> (13,2 kV; 2x220 kV; 245kV); values
    /// that are no standard class are left out.</summary>
    public IReadOnlySet<double> Voltages(string? raw)
    {
        if (string.IsNullOrEmpty(raw) || !raw.Contains("kv", StringComparison.OrdinalIgnoreCase))
        {
            return FrozenSet<double>.Empty;
        }

        HashSet<double>? found = null;
        foreach (Match m in KiloVolts().Matches(raw))
        {
            // "66/13,2 kV" (a transformer's two windings) names two voltages.
            for (var g = 1; g <= 2; g++)
            {
                if (m.Groups[g].Success && double.TryParse(m.Groups[g].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var kv)
                    && _voltageClasses.TryGetValue(kv, out var nominal))
                {
                    (found ??= []).UnionWith(nominal);
                }
            }
        }

        return found ?? (IReadOnlySet<double>)FrozenSet<double>.Empty;
    }

    [GeneratedRegex(@"(?<![\d.,])(?:\d+\s*x\s*)?(\d{1,3}(?:[.,]\d{1,2})?)(?:\s*/\s*(\d{1,3}(?:[.,]\d{1,2})?))?\s*-?\s*kv(?![a-z])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KiloVolts();
}
