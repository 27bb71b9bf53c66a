namespace AiGrpc.Analytics.Matching;

/// <summary>
/// The embedded matching engine: exact references, supplier history, TF-IDF text similarity (stems,
/// abbreviations, typo-tolerant lookup) and date/budget plausibility, combined by a conditional-logit
/// model (<see cref="MatchWeights"/>) into one probability per project and for "no project".
/// </summary>
/// <param name="weights">Model weights; <see cref="MatchWeights.Default"/> when null.</param>
/// <param name="abstention">When to abstain; defaults when null.</param>
/// <param name="confidence">The probability that the best candidate is right; <see cref="ConfidenceModel.Default"/>
/// when null.</param>
public sealed class LocalInvoiceMatcher(MatchWeights? weights = null, AbstentionPolicy? abstention = null, ConfidenceModel? confidence = null) : IInvoiceMatcher
{
    private readonly MatchWeights _weights = weights ?? MatchWeights.Default;
    private readonly AbstentionPolicy _abstention = abstention ?? new AbstentionPolicy();
    private readonly ConfidenceModel _confidence = confidence ?? ConfidenceModel.Default;

    /// <inheritdoc />
    public IMatchIndex BuildIndex(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<AssignedInvoice> history) => Build(projects, history);

    /// <summary>Same as <see cref="BuildIndex"/>, typed, for tools that need the candidates' features.</summary>
    public LocalMatchIndex Build(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<AssignedInvoice> history)
    {
        ArgumentNullException.ThrowIfNull(projects);
        ArgumentNullException.ThrowIfNull(history);
        using var activity = MatchingTelemetry.Source.StartActivity("analytics.index");
        activity?.SetTag("aigrpc.projects.count", projects.Count);
        activity?.SetTag("aigrpc.history.count", history.Count);
        return new LocalMatchIndex(projects, history, _weights, _abstention, _confidence);
    }
}
