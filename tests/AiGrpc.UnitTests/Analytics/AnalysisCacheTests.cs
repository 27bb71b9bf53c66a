using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>Alone: these tests read whether two calls return the one cached instance, which a cache emptied by another
/// test running beside them (its capacity reached) would change.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class AnalysisCacheCollection;

/// <summary>The process-wide analysis cache (<c>AnalysisCache.cs</c>): what it keeps, what it never keeps, what counts as
/// the same project, and its bound.</summary>
[Collection(typeof(AnalysisCacheCollection))]
public class AnalysisCacheTests
{
    private static ProjectCandidate Project(int id = 1) =>
        new(id, "PRJ-1", "Tablero eléctrico", "Montaje y pruebas", "Minera Sur", "Calama", null, null, null, ["OC 4500123456"]);

    [Fact]
    public void A_short_text_is_analysed_once_and_a_long_one_every_time()
    {
        AnalysisCache.Clear();
        const string Short = "montaje tablero eléctrico cache corto";
        Assert.Same(AnalysisCache.Terms(Short), AnalysisCache.Terms(Short));
        Assert.Same(AnalysisCache.References("OC 4500998877 cache"), AnalysisCache.References("OC 4500998877 cache"));
        Assert.Same(AnalysisCache.PastInvoiceTerms("montaje tablero cache"), AnalysisCache.PastInvoiceTerms("montaje tablero cache"));

        var limit = new string('x', 500) + " tablero cable"; // 514 characters: over the 512 kept
        Assert.NotSame(AnalysisCache.Terms(limit), AnalysisCache.Terms(limit));
        Assert.Equal(AnalysisCache.Terms(limit), AnalysisCache.Terms(limit));
        var kept = new string('x', 498) + " tablero cable"; // 512: kept
        Assert.Same(AnalysisCache.Terms(kept), AnalysisCache.Terms(kept));
    }

    [Fact]
    public void Each_stem_is_one_string_instance_whatever_text_it_came_from()
    {
        AnalysisCache.Clear();
        var first = AnalysisCache.Terms("tablero norte");
        var second = AnalysisCache.Terms("cambio tablero");
        Assert.Same(first[0].Text, second[1].Text);
        Assert.Equal(3, AnalysisCache.InternedTermCount);
    }

    [Fact]
    public void A_past_invoice_without_text_has_no_terms()
    {
        Assert.Empty(AnalysisCache.PastInvoiceTerms(null));
        Assert.Empty(AnalysisCache.PastInvoiceTerms("   "));
        Assert.Equal(["cable", "tabler"], AnalysisCache.PastInvoiceTerms("cable tablero cable").Select(t => t.Term.Text));
    }

    [Fact]
    public void Projects_with_the_same_texts_share_one_analysis_whatever_their_ids_dates_and_budgets()
    {
        AnalysisCache.Clear();
        var analysis = AnalysisCache.Project(Project());
        Assert.Same(analysis, AnalysisCache.Project(Project(id: 2) with { StartDate = new(2025, 1, 1), Budget = 10m }));
        Assert.Same(analysis, AnalysisCache.Project(Project() with { Keywords = ["OC 4500123456"] })); // an equal list, not the same one
    }

    public static TheoryData<string> ChangedTexts => ["name", "code", "client", "location", "description", "keyword", "keywords"];

    [Theory]
    [MemberData(nameof(ChangedTexts))]
    public void A_project_whose_texts_differ_in_any_field_has_its_own_analysis(string field)
    {
        AnalysisCache.Clear();
        var project = Project();
        var changed = field switch
        {
            "name" => project with { Name = "Tablero eléctrico 2" },
            "code" => project with { Code = "PRJ-2" },
            "client" => project with { Client = "Minera Norte" },
            "location" => project with { Location = "Antofagasta" },
            "description" => project with { Description = "Montaje" },
            "keyword" => project with { Keywords = ["OC 4500123457"] },
            _ => project with { Keywords = ["OC 4500123456", "OC 4500123457"] },
        };
        var analysis = AnalysisCache.Project(project);
        Assert.NotSame(analysis, AnalysisCache.Project(changed));
        Assert.Same(analysis, AnalysisCache.Project(project));
    }

    [Fact]
    public void A_project_with_too_much_text_is_analysed_every_time()
    {
        var project = Project() with { Description = new string('x', 2_100) };
        Assert.NotSame(AnalysisCache.Project(project), AnalysisCache.Project(project));
    }

    [Theory]
    [InlineData("Constructora Sur S.P.A.", "constructora sur")]
    [InlineData("CONSTRUCTORA SUR SPA", "constructora sur")]
    [InlineData("Transportes Ruta-Cinco Ltda.", "transportes ruta cinco")]
    [InlineData("Pérez y Cía. Limitada", "perez")]
    [InlineData("Comercial Andes S.A. / E.I.R.L.", "comercial andes")]
    public void Supplier_names_lose_accents_punctuation_and_company_types(string name, string expected) =>
        Assert.Equal(expected, AnalysisCache.SupplierName(name));

    [Fact]
    public void When_full_it_is_emptied_and_refills()
    {
        AnalysisCache.Clear();
        const string Text = "tablero de prueba del límite";
        var first = AnalysisCache.Terms(Text);
        for (var i = 0; i <= AnalysisCache.Capacity; i++)
        {
            AnalysisCache.BareReference("R" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var again = AnalysisCache.Terms(Text);
        Assert.NotSame(first, again);
        Assert.Same(again, AnalysisCache.Terms(Text));
    }

    [Fact]
    public void Stems_of_texts_too_long_to_cache_do_not_accumulate_without_bound()
    {
        // Descriptions over the cache's length limit are analysed every time and not kept, but their stems are
        // interned: a caller sending ever new long texts must not grow the process's memory without end.
        var random = new Random(20261202);
        var distinct = 0;
        for (var text = 0; text < 150; text++)
        {
            var words = Enumerable.Range(0, 1_000).Select(_ => new string([.. Enumerable.Range(0, 6).Select(_ => (char)('a' + random.Next(26)))]));
            distinct += AnalysisCache.Terms(string.Join(' ', words)).Length;
            Assert.InRange(AnalysisCache.InternedTermCount, 0, AnalysisCache.Capacity + 1_000);
        }

        Assert.True(distinct > 2 * AnalysisCache.Capacity, $"only {distinct} stems were offered"); // the bound was reached
    }
}
