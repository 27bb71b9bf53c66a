using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// Reads the engine's knowledge files (geography, overhead lexicon, trade vocabulary) while the service starts, so that
/// a missing or malformed file stops the start with its name instead of failing the first match, and the first request
/// does not pay for reading them.
/// </summary>
internal sealed partial class KnowledgeLoader(ILogger<KnowledgeLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var knowledge = MatchingKnowledge.Load();
        Loaded(logger, knowledge.Communes, knowledge.Provinces, knowledge.Regions, knowledge.OverheadPhrases, knowledge.TradeTerms);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics knowledge loaded: {Communes} communes, {Provinces} provinces, {Regions} regions; {Overhead} overhead phrases; {Trades} trade terms.")]
    private static partial void Loaded(ILogger logger, int communes, int provinces, int regions, int overhead, int trades);
}
