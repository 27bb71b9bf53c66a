namespace AiGrpc.Server.Analytics.Engine;

/// <summary>
/// Weights of the conditional-logit model that turns a candidate's signals into a probability. A
/// candidate's score is the dot product of its features with the project weights; the "no project"
/// option's score uses the none weights; a softmax over all candidates and "no project" gives the
/// probabilities. <see cref="Default"/> was fitted by maximum likelihood on the training half of the
/// development set (<c>make eval</c> prints a fresh fit with <c>aigrpc-eval fit</c>), so the
/// probabilities are calibrated on that data; the held-out half measures it.
/// </summary>
/// <param name="Reference">A purchase order, contract or project code of the invoice names this project.</param>
/// <param name="SupplierShare">Smoothed share of the supplier's past invoices assigned to this project.</param>
/// <param name="ProjectText">TF-IDF cosine of the invoice text with the project's own texts.</param>
/// <param name="HistoryText">Best TF-IDF cosine with a past invoice assigned to this project.</param>
/// <param name="DateInside">+1 issue date inside the project's dates, -1 clearly outside, 0 unknown.</param>
/// <param name="OverBudget">1 when the amount exceeds the project's budget.</param>
/// <param name="NoneBias">Score of "no project" before evidence.</param>
/// <param name="NoneSupplierShare">Smoothed share of the supplier's past invoices assigned to no project.</param>
/// <param name="NoneHistoryText">Best cosine with a past invoice assigned to no project.</param>
public sealed record MatchWeights(
    double Reference,
    double SupplierShare,
    double ProjectText,
    double HistoryText,
    double DateInside,
    double OverBudget,
    double NoneBias,
    double NoneSupplierShare,
    double NoneHistoryText)
{
    /// <summary>Number of weights (for fitting).</summary>
    public const int Count = 9;

    /// <summary>
    /// Produced by <c>aigrpc-eval fit 0.0005</c> (maximum likelihood on the even-numbered dev-set cases, L2 0.0005,
    /// 3000 gradient steps; 236-case dev set with budget cases). A stronger penalty (0.002) left the model
    /// under-confident (held-out ECE 0.087 vs 0.040 on the earlier 224-case set).
    /// </summary>
    public static MatchWeights Default { get; } = new(
        Reference: 7.534,
        SupplierShare: 7.453,
        ProjectText: 12.196,
        HistoryText: 7.524,
        DateInside: 2.94,
        OverBudget: -3.379,
        NoneBias: 5.788,
        NoneSupplierShare: 4.353,
        NoneHistoryText: 3.14);

    /// <summary>The weights as a vector, in parameter order.</summary>
    public double[] ToArray() => [Reference, SupplierShare, ProjectText, HistoryText, DateInside, OverBudget, NoneBias, NoneSupplierShare, NoneHistoryText];

    /// <summary>Weights from a vector in parameter order.</summary>
    public static MatchWeights FromArray(IReadOnlyList<double> w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return w.Count != Count ? throw new ArgumentException($"Expected {Count} weights.", nameof(w)) : new(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]);
    }
}

/// <summary>When the engine abstains rather than name a project.</summary>
/// <param name="MinConfidence">Abstain when the best project's probability is below this.</param>
/// <param name="MinMargin">Abstain when the best two projects' probabilities are closer than this.</param>
public sealed record AbstentionPolicy(double MinConfidence = 0.5, double MinMargin = 0.15);
