using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

public class AnalysisCacheTests
{
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
