using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary><see cref="TermDictionary"/>: the stems of one index, looked up exactly, through one typo and by prefix.</summary>
public class TermDictionaryTests
{
    private static TermDictionary Of(params string[] stems)
    {
        var dictionary = new TermDictionary();
        foreach (var stem in stems)
        {
            dictionary.GetOrAdd(new Term(stem));
        }

        return dictionary;
    }

    // Ids are given in the order stems are added: the stems one edit away, by id.
    private static string[] Within(string[] stems, string term) => [.. Of(stems).WithinOneEdit(term).Select(id => stems[id])];

    [Fact]
    public void A_stem_keeps_its_id_whatever_string_instance_carries_it()
    {
        var dictionary = Of("manten", "pvc");
        var id = dictionary.GetOrAdd(new Term(new string("manten".ToCharArray())));
        Assert.Equal(0, id);
        Assert.Equal(2, dictionary.Count);
        Assert.True(dictionary.TryGet(new string("pvc".ToCharArray()), out var pvc));
        Assert.Equal(1, pvc);
        Assert.False(dictionary.TryGet("hormig", out var missing));
        Assert.Equal(-1, missing);
    }

    [Fact]
    public void Every_stem_is_found_after_the_table_grows()
    {
        var stems = Enumerable.Range(0, 500).Select(i => "stem" + i).ToArray();
        var dictionary = Of(stems);
        for (var i = 0; i < stems.Length; i++)
        {
            Assert.True(dictionary.TryGet(stems[i], out var id));
            Assert.Equal(i, id);
        }
    }

    [Theory]
    [InlineData("mnaten", "manten")] // a transposition
    [InlineData("mantn", "manten")] // a letter dropped
    [InlineData("mantnc", "manten")] // a letter dropped before the six-letter cut: one edit once one side loses its last
    [InlineData("abce", "abcd")] // four letters are the shortest stem a typo is read against
    [InlineData("abcxd", "abcde")] // five letters, the shortest cut stem
    public void A_stem_one_typo_away_is_found(string typo, string stem) =>
        Assert.Contains(stem, Within(["manten", "pvc", "abcd", "hormig", "abcde"], typo));

    [Theory]
    [InlineData("pvx")] // "pvc" is too short to be read through a typo
    [InlineData("mant")] // two letters shorter
    [InlineData("xyzw")]
    public void Short_stems_and_two_edits_are_not_typos(string typo) =>
        Assert.Empty(Within(["manten", "pvc", "hormig"], typo));

    [Fact]
    public void A_prefix_is_cut_to_six_letters()
    {
        var dictionary = Of("manten", "mantos", "pvc");
        Assert.Equal([0], dictionary.WithPrefix("mantencion"));
        Assert.Equal([0, 1], dictionary.WithPrefix("mant"));
    }

    [Theory]
    [InlineData("bacd", "abcd", true)] // a transposition at the start
    [InlineData("abdc", "abcd", true)] // and at the end
    [InlineData("abxd", "acbd", false)] // two differences that are no transposition
    [InlineData("abcd", "xycd", false)]
    [InlineData("abc", "abcde", false)] // two letters longer
    public void One_edit_is_a_single_change_or_a_swap_of_neighbours(string a, string b, bool expected) =>
        Assert.Equal(expected, TermDictionary.IsOneEdit(a, b));
}
