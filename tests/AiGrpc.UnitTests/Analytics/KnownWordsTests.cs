using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

public class KnownWordsTests
{
    [Fact]
    public void The_long_words_of_the_phrases_are_kept_as_stems()
    {
        var stems = KnownWords.Read(["comisiones bancarias", "Cañería de cobre", "tóner tuerca", "cable 2x10 xtu"]);
        Assert.Contains(TextAnalyzer.Stem("bancarias"), stems.Items);
        Assert.Contains(TextAnalyzer.Stem("comisiones"), stems.Items);
        Assert.Contains(TextAnalyzer.Stem("caneria"), stems.Items); // folded before it is stemmed
        Assert.DoesNotContain(TextAnalyzer.Stem("tuerca"), stems.Items); // six letters: never offered to the typo lookup
        Assert.DoesNotContain("toner", stems.Items);
        Assert.DoesNotContain(TextAnalyzer.Stem("2x10"), stems.Items);
        Assert.Equal(3, stems.Count);
    }

    [Fact]
    public void Words_of_the_shipped_files_are_known_and_project_words_are_not()
    {
        Assert.True(KnownWords.Contains(TextAnalyzer.Stem("bancarias"))); // overhead-es.tsv
        Assert.True(KnownWords.Contains(TextAnalyzer.Stem("inversores"))); // trade-terms.tsv
        Assert.False(KnownWords.Contains(TextAnalyzer.Stem("blancas")));
    }
}
