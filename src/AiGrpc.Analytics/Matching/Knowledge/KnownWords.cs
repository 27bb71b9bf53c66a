using System.Collections.Frozen;

namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>
/// Words the knowledge files spell out (the overhead lexicon and the trade vocabulary), as stems. A long word of a bill
/// that the request's projects and history do not use is looked up as a typo of one of theirs ("mantencion" for
/// "mantención" is found, "bancarias" one letter from "blancas" would be too); a word these files write is spelt right
/// by definition, so it is not bent into another ("COMISIONES BANCARIAS" is not "Tierras Blancas").
/// </summary>
internal static class KnownWords
{
    // The length from which TextAnalyzer offers a word to the typo lookup.
    private const int TypoLength = 7;

    private static readonly Lazy<FrozenSet<string>> Stems = new(() => Read(
        KnowledgeFile.Rows("overhead-es.tsv").Select(r => r["phrase"]).Concat(KnowledgeFile.Rows("trade-terms.tsv").Select(r => r["phrase"]))));

    /// <summary>Number of stems (reading it reads the files: <see cref="MatchingKnowledge.Load"/> does, at start).</summary>
    public static int Count => Stems.Value.Count;

    /// <summary>Whether <paramref name="stem"/> (a <see cref="TextAnalyzer.Stem(string)"/>) is the stem of a word the files write.</summary>
    public static bool Contains(string stem) => Stems.Value.Contains(stem);

    /// <summary>The stems of the long words of <paramref name="phrases"/>.</summary>
    internal static FrozenSet<string> Read(IEnumerable<string> phrases) =>
        phrases.SelectMany(p => TextAnalyzer.Fold(p).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= TypoLength && w.All(char.IsAsciiLetterLower))
            .Select(TextAnalyzer.Stem)
            .ToFrozenSet(StringComparer.Ordinal);
}
