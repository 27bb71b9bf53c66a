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
/// <param name="NoEvidence">1 when nothing but plausibility speaks for the project (no reference, supplier
/// history or text): keeps the probability mass of many irrelevant projects from diluting the answer.</param>
/// <param name="NoneBias">Score of "no project" before evidence.</param>
/// <param name="NoneSupplierShare">Smoothed share of the supplier's past invoices assigned to no project.</param>
/// <param name="NoneHistoryText">Best cosine with a past invoice assigned to no project.</param>
/// <param name="NoneSupplierOnProjects">Smoothed share of the supplier's past invoices assigned to some project
/// (a supplier that always bills projects is rarely overhead; fitted negative).</param>
public sealed record MatchWeights(
    double Reference,
    double SupplierShare,
    double ProjectText,
    double HistoryText,
    double DateInside,
    double OverBudget,
    double NoEvidence,
    double NoneBias,
    double NoneSupplierShare,
    double NoneHistoryText,
    double NoneSupplierOnProjects)
{
    /// <summary>Number of weights (for fitting).</summary>
    public const int Count = 11;

    /// <summary>Number of project weights (the first ones); the rest score "no project".</summary>
    public const int ProjectCount = 7;

    /// <summary>
    /// Produced by <c>aigrpc-eval fit</c> (maximum likelihood on the even-numbered cases of the 236-case dev set,
    /// L2 0.0005, 6000 gradient steps). A stronger penalty (0.002) left the model under-confident.
    /// </summary>
    public static MatchWeights Default { get; } = new(
        Reference: 6.848,
        SupplierShare: 6.722,
        ProjectText: 12.107,
        HistoryText: 4.071,
        DateInside: 2.928,
        OverBudget: -3.631,
        NoEvidence: -4.528,
        NoneBias: 3.859,
        NoneSupplierShare: 3.769,
        NoneHistoryText: 5.111,
        NoneSupplierOnProjects: -2.348);

    /// <summary>The weights as a vector, in parameter order.</summary>
    public double[] ToArray() => [Reference, SupplierShare, ProjectText, HistoryText, DateInside, OverBudget, NoEvidence, NoneBias, NoneSupplierShare, NoneHistoryText, NoneSupplierOnProjects];

    /// <summary>Weights from a vector in parameter order.</summary>
    public static MatchWeights FromArray(IReadOnlyList<double> w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return w.Count != Count ? throw new ArgumentException($"Expected {Count} weights.", nameof(w)) : new(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10]);
    }
}

/// <summary>When the engine abstains rather than name a project.</summary>
/// <param name="MinConfidence">Abstain when the best project's probability is below this.</param>
/// <param name="MinMargin">Abstain when the best two projects' probabilities are closer than this.</param>
public sealed record AbstentionPolicy(double MinConfidence = 0.5, double MinMargin = 0.15);
