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

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_project_whose_texts_differ_in_any_field_has_its_own_analysis(string field)
    {
        AnalysisCache.Clear();
        var project = Project();
        var analysis = AnalysisCache.Project(project);
        Assert.NotSame(analysis, AnalysisCache.Project(WithText(project, field, "otro texto")));
        Assert.Same(analysis, AnalysisCache.Project(project));
    }

    /// <summary>Each text of a project; "keyword" replaces its one keyword (as many keywords, one different),
    /// "keywords" adds one.</summary>
    public static TheoryData<string> Fields => ["name", "code", "client", "location", "description", "keyword", "keywords"];

    private static ProjectCandidate WithText(ProjectCandidate project, string field, string text) => field switch
    {
        "name" => project with { Name = text },
        "code" => project with { Code = text },
        "client" => project with { Client = text },
        "location" => project with { Location = text },
        "description" => project with { Description = text },
        "keyword" => project with { Keywords = [text] },
        _ => project with { Keywords = [.. project.Keywords, text] },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_project_with_too_much_text_in_any_field_is_analysed_every_time(string field)
    {
        var project = WithText(Project(), field, new string('x', 2_100));
        Assert.NotSame(AnalysisCache.Project(project), AnalysisCache.Project(project));
    }

    [Fact]
    public void A_project_of_up_to_2048_characters_is_kept()
    {
        AnalysisCache.Clear();
        var empty = new ProjectCandidate(1, null, null, null, null, null, null, null, null, []);
        var kept = empty with { Description = new string('x', 2_040), Name = "tablero" }; // 2,047
        Assert.Same(AnalysisCache.Project(kept), AnalysisCache.Project(kept));
        var limit = kept with { Code = "P1" }; // 2,049
        Assert.NotSame(AnalysisCache.Project(limit), AnalysisCache.Project(limit));
        var exactly = kept with { Code = "P" }; // 2,048
        Assert.Same(AnalysisCache.Project(exactly), AnalysisCache.Project(exactly));
    }

    [Fact]
    public void The_key_of_a_project_counts_the_characters_of_every_text()
    {
        var project = new ProjectCandidate(1, "ab", "cde", "fghi", "j", "kl", null, null, null, ["mno", "p"]);
        Assert.Equal(16, new AnalysisCache.ProjectText(project).Length);
        Assert.Equal(0, new AnalysisCache.ProjectText(new ProjectCandidate(1, null, null, null, null, null, null, null, null, [])).Length);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void The_key_of_a_project_tells_apart_a_change_in_any_text(string field)
    {
        var key = new AnalysisCache.ProjectText(Project());
        var same = new AnalysisCache.ProjectText(Project(id: 7));
        var changed = new AnalysisCache.ProjectText(WithText(Project(), field, "otro texto"));
        Assert.True(key.Equals(same));
        Assert.Equal(key.GetHashCode(), same.GetHashCode());
        Assert.False(key.Equals(changed));
        Assert.False(changed.Equals(key));
        Assert.NotEqual(key.GetHashCode(), changed.GetHashCode()); // a hash that ignored the field would make all such projects collide
        Assert.False(key.Equals((object)"texto"));
        Assert.True(key.Equals((object)same));
    }

    [Fact]
    public void Clearing_empties_every_analysis()
    {
        var terms = AnalysisCache.Terms("tablero de prueba vaciado");
        var references = AnalysisCache.References("OC 4500771122");
        var bare = AnalysisCache.BareReference("PRJ-0771");
        var project = AnalysisCache.Project(Project());
        var past = AnalysisCache.PastInvoiceTerms("tablero vaciado");
        var supplier = AnalysisCache.SupplierName("Comercial Vaciado SpA");
        AnalysisCache.Clear();
        Assert.Equal(0, AnalysisCache.InternedTermCount);
        Assert.NotSame(terms, AnalysisCache.Terms("tablero de prueba vaciado"));
        Assert.NotSame(references, AnalysisCache.References("OC 4500771122"));
        Assert.NotSame(bare, AnalysisCache.BareReference("PRJ-0771"));
        Assert.NotSame(project, AnalysisCache.Project(Project()));
        Assert.NotSame(past, AnalysisCache.PastInvoiceTerms("tablero vaciado"));
        Assert.NotSame(supplier, AnalysisCache.SupplierName("Comercial Vaciado SpA"));
    }

    [Theory]
    [InlineData("Constructora Sur S.P.A.", "constructora sur")]
    [InlineData("CONSTRUCTORA SUR SPA", "constructora sur")]
    [InlineData("Transportes Ruta-Cinco Ltda.", "transportes ruta cinco")]
    [InlineData("Pérez y Cía. Limitada", "perez")]
    [InlineData("Comercial Andes S.A. / E.I.R.L.", "comercial andes")]
    public void Supplier_names_lose_accents_punctuation_and_company_types(string name, string expected) =>
        Assert.Equal(expected, AnalysisCache.SupplierName(name));

    private static void Fill(int entries, int from = 0)
    {
        for (var i = from; i < from + entries; i++)
        {
            AnalysisCache.BareReference("R" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void It_holds_its_capacity_and_is_emptied_by_one_more()
    {
        AnalysisCache.Clear();
        var first = AnalysisCache.References("OC 4500000001");
        var second = AnalysisCache.References("OC 4500000002");
        Assert.Same(first, AnalysisCache.References("OC 4500000001"));
        Fill(AnalysisCache.Capacity - 2); // full: 2 + (capacity - 2) analyses
        Assert.Same(first, AnalysisCache.References("OC 4500000001"));
        Assert.Same(second, AnalysisCache.References("OC 4500000002"));
        Fill(1, from: AnalysisCache.Capacity);
        var again = AnalysisCache.References("OC 4500000001");
        Assert.NotSame(first, again);

        // And it refills from empty: the texts analysed after the reset stay.
        var other = AnalysisCache.References("OC 4500000002");
        Assert.Same(again, AnalysisCache.References("OC 4500000001"));
        Assert.Same(other, AnalysisCache.References("OC 4500000002"));
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
