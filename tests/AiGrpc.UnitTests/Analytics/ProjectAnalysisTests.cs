using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>What the index reads of one project and one past invoice (<c>ProjectAnalysis.cs</c>): each field's weight,
/// the sub-linear term frequency, the order of the terms, the references and the name's terms and tags.</summary>
public class ProjectAnalysisTests
{
    private static ProjectCandidate Project(string? name = null, string? code = null, string? client = null, string? location = null, string? description = null, params string[] keywords) =>
        new(1, code, name, description, client, location, null, null, null, keywords);

    private static Dictionary<string, double> Weights(ProjectAnalysis analysis) => analysis.Terms.ToDictionary(t => t.Term.Text, t => t.LogTf);

    private static string S(string word) => TextAnalyzer.Stem(word);

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 1.6931471805599454)]
    [InlineData(1.5, 1.4054651081081644)]
    [InlineData(4.5, 2.5040773967762742)]
    public void Term_frequency_is_sub_linear(double tf, double expected) =>
        Assert.Equal(expected, ProjectAnalysis.LogTf(tf), 12);

    [Fact]
    public void Each_field_weighs_what_it_says_about_the_project()
    {
        var analysis = ProjectAnalysis.Of(Project(name: "tablero", code: "bomba", client: "minera", location: "valle", description: "cable", keywords: ["pozo", "pozo"]));
        var weights = Weights(analysis);
        Assert.Equal(ProjectAnalysis.LogTf(2.0), weights[S("tablero")]); // name
        Assert.Equal(ProjectAnalysis.LogTf(1.0), weights[S("bomba")]); // code
        Assert.Equal(ProjectAnalysis.LogTf(1.5), weights[S("minera")]); // client
        Assert.Equal(ProjectAnalysis.LogTf(1.5), weights[S("valle")]); // location
        Assert.Equal(ProjectAnalysis.LogTf(1.0), weights[S("cable")]); // description
        Assert.Equal(ProjectAnalysis.LogTf(4.0), weights[S("pozo")]); // two keywords
    }

    [Fact]
    public void A_term_in_several_fields_sums_their_weights_and_keeps_its_first_place()
    {
        var analysis = ProjectAnalysis.Of(Project(name: "tablero eléctrico", client: "eléctrica sur", description: "tablero y cable, cable"));
        Assert.Equal([S("tablero"), S("electrico"), S("sur"), S("cable")], analysis.Terms.Select(t => t.Term.Text));
        var weights = Weights(analysis);
        Assert.Equal(ProjectAnalysis.LogTf(3.0), weights[S("tablero")]); // name 2 + description 1
        Assert.Equal(ProjectAnalysis.LogTf(3.5), weights[S("electrico")]); // name 2 + client 1.5
        Assert.Equal(ProjectAnalysis.LogTf(2.0), weights[S("cable")]); // twice in the description
    }

    [Fact]
    public void Empty_fields_add_nothing()
    {
        var analysis = ProjectAnalysis.Of(Project(name: " ", code: "", client: null, location: "  ", description: null));
        Assert.Empty(analysis.Terms);
        Assert.Empty(analysis.NameTerms);
        Assert.Empty(analysis.ClientTerms);
        Assert.Empty(analysis.NameTags);
        Assert.Empty(analysis.References);
    }

    [Fact]
    public void The_names_and_the_clients_terms_are_kept_apart_once_each()
    {
        var analysis = ProjectAnalysis.Of(Project(name: "Cambio correa correa CV-310", client: "Minera Sur", description: "correa transportadora"));
        Assert.Equal([S("cambio"), S("correa"), "cv"], analysis.NameTerms.Select(t => t.Text));
        Assert.Equal([S("minera"), S("sur")], analysis.ClientTerms.Select(t => t.Text));
        Assert.Equal(["cv310"], analysis.NameTags);
    }

    [Fact]
    public void References_come_from_the_code_name_description_and_keywords()
    {
        var analysis = ProjectAnalysis.Of(Project(
            name: "Obra contrato 4600020011", code: "PRJ-017", description: "según OC 4500123456", keywords: ["OC 987", "LIC 1234-56-LP25", "ABC", "12"]));
        // The keyword "LIC 1234-56-LP25" gives both the code read from its text and the whole keyword without spaces.
        Assert.Equal(
            ["123456lp25", "4500123456", "4600020011", "987", "lic123456lp25", "prj017"],
            analysis.References.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("abc", analysis.References); // a keyword without a digit is a word, not a reference
        Assert.DoesNotContain("12", analysis.References); // two characters are too few
    }

    [Fact]
    public void A_code_that_holds_an_order_number_gives_it_too() =>
        Assert.Contains("4500123456", ProjectAnalysis.Of(Project(code: "PRJ-017 OC 4500123456")).References);

    [Fact]
    public void A_short_code_is_a_reference_only_with_three_characters()
    {
        Assert.Contains("a12", ProjectAnalysis.Of(Project(code: "A-12")).References);
        Assert.Empty(ProjectAnalysis.Of(Project(code: "A1")).References);
    }

    [Fact]
    public void A_past_invoice_counts_each_term_once_in_order()
    {
        var terms = AssignedInvoiceAnalysis.Of("cable tablero cable cable bomba");
        Assert.Equal([S("cable"), S("tablero"), S("bomba")], terms.Select(t => t.Term.Text));
        Assert.Equal([ProjectAnalysis.LogTf(3), ProjectAnalysis.LogTf(1), ProjectAnalysis.LogTf(1)], terms.Select(t => t.LogTf));
    }
}
