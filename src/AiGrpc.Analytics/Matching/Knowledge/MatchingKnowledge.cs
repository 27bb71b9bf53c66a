namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>What <see cref="MatchingKnowledge.Load"/> read.</summary>
/// <param name="Communes">Communes of Chile.</param>
/// <param name="Provinces">Provinces.</param>
/// <param name="Regions">Regions.</param>
/// <param name="OverheadPhrases">Phrases of the overhead lexicon.</param>
/// <param name="TradeTerms">Terms of the trade vocabulary.</param>
public sealed record KnowledgeSummary(int Communes, int Provinces, int Regions, int OverheadPhrases, int TradeTerms);

/// <summary>
/// The knowledge files as a whole, for a host: the tables themselves stay internal to the engine, but a host reads
/// them while it starts, so that a missing or malformed file stops the start with its name instead of failing the
/// first match, and the first request does not pay for reading them.
/// </summary>
public static class MatchingKnowledge
{
    /// <summary>Reads every knowledge file (once per process) and says how much it read.</summary>
    /// <exception cref="InvalidOperationException">A file is missing or malformed.</exception>
    public static KnowledgeSummary Load()
    {
        var geography = ChileGeography.Instance;
        _ = KnownWords.Count; // read now, not by the first request's typo look-up
        return new KnowledgeSummary(geography.Communes, geography.Provinces, geography.Regions,
            OverheadLexicon.Instance.Count, TradeLexicon.Instance.TermCount);
    }
}
