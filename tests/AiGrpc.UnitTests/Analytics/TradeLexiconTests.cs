using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// <see cref="TradeLexicon"/> on its own: a term's weight shared among its kinds, overhead weighed apart, a project's
/// kinds from its cues and strong terms, and the voltage classes of the kV a text writes. Each test builds its own
/// lexicon: the shared one is built once per process.
/// </summary>
public class TradeLexiconTests
{
    private static int Kind(TradeLexicon lexicon, string id) =>
        Enumerable.Range(0, 64).First(k => lexicon.KindId(k) == id);

    private static TradeEvidence Read(TradeLexicon lexicon, string text) => lexicon.Read(PhraseTable<int>.Normalize(text), text);

    [Fact]
    public void Kinds_are_read_in_the_order_of_the_file_with_their_names()
    {
        var lexicon = new TradeLexicon();
        Assert.Equal(("transmission-line", "Línea de transmisión (AT/EAT)"), (lexicon.KindId(0), lexicon.KindName(0)));
        Assert.Equal(("substation", "Subestación de poder (AT/MT)"), (lexicon.KindId(1), lexicon.KindName(1)));
        Assert.Equal(TradeLexicon.Instance.TermCount, lexicon.TermCount);
    }

    [Fact]
    public void A_strong_term_weighs_one_shared_among_its_kinds_and_a_weak_one_half()
    {
        var lexicon = new TradeLexicon();
        var (line, network) = (Kind(lexicon, "transmission-line"), Kind(lexicon, "distribution-network"));

        var strong = Read(lexicon, "Conductor ACSR Flicker");
        Assert.Equal(new Dictionary<int, double> { [line] = 0.5, [network] = 0.5 }, strong.Kinds);
        Assert.Equal(("conductor acsr", 1d), (strong.FirstTerm, strong.TotalKindWeight));

        var weak = Read(lexicon, "Calza de tendido y conductor ACSR");
        Assert.Equal(new Dictionary<int, double> { [line] = 1.0, [network] = 0.5 }, weak.Kinds);
        Assert.Equal("calza de tendido", weak.FirstTerm);
    }

    [Fact]
    public void The_overhead_rows_name_no_kind_and_keep_their_share_of_a_term_from_the_project_kinds()
    {
        // "generador diesel" files six kinds, overhead one of them: the five project kinds get a sixth of its weight each,
        // and overhead nothing (it is read by overhead-es.tsv; these rows are works-site costs as much as company ones).
        var lexicon = new TradeLexicon();
        var evidence = Read(lexicon, "Arriendo generador diesel");
        Assert.Equal("generador diesel", evidence.FirstTerm);
        Assert.DoesNotContain(Kind(lexicon, "overhead"), evidence.Kinds.Keys);
        Assert.Equal(5, evidence.Kinds.Count);
        Assert.All(evidence.Kinds.Values, w => Assert.Equal(0.5 / 6, w, 12));
    }

    [Fact]
    public void A_text_with_no_term_and_no_voltage_is_the_empty_evidence()
    {
        var lexicon = new TradeLexicon();
        Assert.Same(TradeEvidence.Empty, Read(lexicon, "Almuerzo cuadrilla"));

        var voltageOnly = Read(lexicon, "Item 24 kV");
        Assert.NotSame(TradeEvidence.Empty, voltageOnly);
        Assert.Equal([23d], voltageOnly.Voltages);
        Assert.Empty(voltageOnly.Kinds);
        Assert.Null(voltageOnly.FirstTerm);
    }

    [Theory]
    [InlineData("Transformador 66/13,2 kV", new[] { 13.2, 66 })]
    [InlineData("LT 2x220 kV", new[] { 220d })]
    [InlineData("Aislador 245kV", new[] { 220d })]
    [InlineData("Interruptor 17,5 kV", new[] { 12, 13.2, 13.8, 15 })]
    [InlineData("Cable 8,7/15 kV", new[] { 12, 13.2, 13.8, 15 })]
    [InlineData("Red 13.2 KV", new[] { 13.2 })]
    [InlineData("Equipo 999 kV", new double[0])] // no standard class
    [InlineData("UPS 500 kVA", new double[0])] // kVA is not kV
    [InlineData("Sin voltaje", new double[0])]
    [InlineData("", new double[0])]
    public void Voltages_are_the_nominal_classes_of_each_kv_written(string text, double[] expected) =>
        Assert.Equal(expected, new TradeLexicon().Voltages(text).Order());

    [Fact]
    public void A_null_text_has_no_voltages() => Assert.Empty(new TradeLexicon().Voltages(null));

    [Fact]
    public void A_projects_kinds_come_from_its_cues_and_strong_terms_never_overhead()
    {
        var lexicon = new TradeLexicon();
        var (line, substation) = (Kind(lexicon, "transmission-line"), Kind(lexicon, "substation"));
        Assert.Equal([line], lexicon.ProjectKinds("linea de transmision norte"));
        Assert.Equal([line, substation], lexicon.ProjectKinds("tendido opgw").Order());
        Assert.Empty(lexicon.ProjectKinds("calza de tendido")); // a weak term says nothing of the project
        Assert.Empty(lexicon.ProjectKinds("se instalara en la oficina central")); // "se" is no cue; overhead is no kind
        Assert.Contains(substation, lexicon.ProjectKinds("subestacion los vilos"));
    }

    [Fact]
    public void The_best_kind_is_the_heaviest_of_the_projects_kinds()
    {
        var evidence = new TradeEvidence(new Dictionary<int, double> { [3] = 0.5, [4] = 1.0, [5] = 1.0 }, new HashSet<double>(), null);
        Assert.Equal(4, TradeLexicon.BestKind(evidence, new HashSet<int> { 3, 4, 5 }));
        Assert.Equal(5, TradeLexicon.BestKind(evidence, new HashSet<int> { 3, 5 }));
        Assert.Equal(3, TradeLexicon.BestKind(evidence, new HashSet<int> { 3 }));
        Assert.Null(TradeLexicon.BestKind(evidence, new HashSet<int> { 9 }));
        Assert.Null(TradeLexicon.BestKind(TradeEvidence.Empty, new HashSet<int> { 3 }));
    }
}
