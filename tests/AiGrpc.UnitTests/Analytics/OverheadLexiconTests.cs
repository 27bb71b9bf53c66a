using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// <see cref="OverheadLexicon"/> on its own: each strength of <c>overhead-es.tsv</c> counted apart, bids among the strong
/// phrases, and the phrase the reasoning names (the strongest kind found first, never a works-site phrase). Each test
/// builds its own lexicon: the shared one is built once per process.
/// </summary>
public class OverheadLexiconTests
{
    private static OverheadEvidence Read(string text) => new OverheadLexicon().Read(PhraseTable<int>.Normalize(text));

    [Fact]
    public void Each_strength_is_counted_apart()
    {
        Assert.Equal(new OverheadEvidence(1, 0, 0, 0, "arriendo oficina"), Read("Arriendo oficina marzo"));
        Assert.Equal(new OverheadEvidence(0, 1, 0, 0, "carpetas"), Read("Carpetas y clips"));
        Assert.Equal(new OverheadEvidence(1, 0, 0, 0, "toner"), Read("Tóner impresora"));
        Assert.Equal(new OverheadEvidence(0, 0, 1, 0, "oficina central"), Read("Pintura oficina central"));
        Assert.Equal(new OverheadEvidence(0, 0, 0, 1, null), Read("Colación faena"));
        Assert.Equal(new OverheadEvidence(0, 0, 0, 0, null), Read("Hormigón H30"));
    }

    [Fact]
    public void The_phrase_named_is_the_strongest_kind_whatever_the_order()
    {
        Assert.Equal(new OverheadEvidence(1, 1, 1, 1, "arriendo oficina"), Read("carpetas, oficina central, faena, arriendo oficina"));
        Assert.Equal(new OverheadEvidence(0, 2, 1, 0, "carpetas"), Read("oficina central: carpetas y computador"));
        Assert.Equal("computador", Read("computador y carpetas").First);
    }

    [Fact]
    public void Bid_costs_are_strong_phrases_of_their_category()
    {
        Assert.Equal(new OverheadEvidence(1, 0, 0, 0, "seriedad de la oferta", 1), Read("Comisión seriedad de la oferta"));
        Assert.Equal(0, Read("Arriendo oficina").Bid);
    }

    [Fact]
    public void Evidence_is_empty_without_strong_weak_or_context_phrases_whatever_the_site_phrases()
    {
        Assert.True(new OverheadEvidence(0, 0, 0, 3, null).IsEmpty);
        Assert.False(new OverheadEvidence(1, 0, 0, 0, "a").IsEmpty);
        Assert.False(new OverheadEvidence(0, 1, 0, 0, "a").IsEmpty);
        Assert.False(new OverheadEvidence(0, 0, 1, 0, "a").IsEmpty);
    }
}
