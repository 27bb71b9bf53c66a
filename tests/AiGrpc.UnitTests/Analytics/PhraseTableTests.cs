using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>
/// <see cref="PhraseTable{T}"/> on its own: phrases normalised as texts are, the first value of a phrase given twice, and
/// a text read left to right taking the longest phrase at each word, never overlapping.
/// </summary>
public class PhraseTableTests
{
    private static PhraseTable<int> Table => new(
    [
        ("Puerto Montt", 1),
        ("puerto", 2),
        ("montt", 3),
        ("PUERTO  MONTT", 4), // the same phrase once normalised: the first value stays
        ("  ", 5), // nothing once normalised: not a phrase
        ("a b c", 6),
        ("b", 7),
        ("c d", 8),
    ]);

    private static IEnumerable<(int Value, string Phrase, int Start, int Words)> Find(string text) =>
        Table.Find(PhraseTable<int>.Normalize(text)).Select(m => (m.Value, m.Phrase, m.Start, m.Words));

    [Theory]
    [InlineData("Región del Biobío", "region del biobio")]
    [InlineData("  --Ñuble--  ", "nuble")]
    [InlineData("S/E Los Vilos, 66 kV.", "s e los vilos 66 kv")]
    [InlineData("---", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalize_folds_and_leaves_single_spaces_between_words(string? text, string expected) =>
        Assert.Equal(expected, PhraseTable<int>.Normalize(text));

    [Fact]
    public void A_phrase_given_twice_keeps_its_first_value_and_an_empty_one_is_dropped()
    {
        Assert.Equal(6, Table.Count);
        Assert.True(Table.Contains("puerto montt"));
        Assert.False(Table.Contains(string.Empty));
        Assert.Equal([(1, "puerto montt", 2, 2)], Find("flete a Puerto Montt"));
    }

    [Fact]
    public void The_longest_phrase_at_a_word_wins_and_matches_do_not_overlap()
    {
        Assert.Equal([(2, "puerto", 0, 1), (3, "montt", 2, 1)], Find("puerto varas montt"));
        Assert.Equal([(6, "a b c", 0, 3), (8, "c d", 3, 2)], Find("a b c c d"));

        // "a" starts a three-word phrase that is not there: the shorter ones at "a" are tried, then the next word.
        Assert.Equal([(7, "b", 1, 1), (8, "c d", 3, 2)], Find("a b x c d"));
        Assert.Equal([(7, "b", 1, 1)], Find("a b"));
    }

    [Fact]
    public void A_phrase_at_the_end_of_the_text_is_found()
    {
        Assert.Equal([(3, "montt", 1, 1)], Find("hacia montt"));
        Assert.Equal([(1, "puerto montt", 0, 2)], Find("puerto montt"));
        Assert.Empty(Find(string.Empty));
        Assert.Empty(Find("nada aqui"));
    }

    [Fact]
    public void A_long_text_is_read_whole()
    {
        var text = string.Join(' ', Enumerable.Repeat("relleno", 200)) + " puerto montt";
        Assert.True(text.Length > 1024);
        Assert.Equal([(1, "puerto montt", 200, 2)], Find(text));
    }

    [Fact]
    public void A_long_text_of_one_letter_words_is_read_whole()
    {
        // The most words a text of this length can hold: every other character starts one.
        var text = string.Join(' ', Enumerable.Repeat("a", 600)) + " c d";
        Assert.True(text.Length > 1024);
        Assert.Equal([(8, "c d", 600, 2)], Find(text));
    }

    [Fact]
    public void A_knowledge_file_that_is_not_embedded_is_an_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KnowledgeFile.Rows("no-such-file.tsv"));
        Assert.Equal("Knowledge file no-such-file.tsv is not embedded in AiGrpc.Analytics.", error.Message);
        Assert.Equal(16, KnowledgeFile.Rows("regions.tsv").Count);
        Assert.Equal(["a", "b c"], KnowledgeFile.List(" a, ,b c ,"));
    }
}
