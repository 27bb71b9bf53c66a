namespace AiGrpc.Analytics.Matching;

/// <summary>
/// The probability that the best-ranked candidate is the bill's project: the engine's confidence, which decides
/// whether it names the project or abstains. A logistic model over what the conditional logit says (the best,
/// second and "no project" probabilities), the evidence behind the best candidate, its lead over the second in each
/// signal, and the "no project" option's evidence.
/// </summary>
/// <remarks>
/// Why a model of its own: the conditional logit's probability of the best project is one number for very different
/// situations. Three in ten points from a supplier that bills every project is not the same as three in ten points
/// from the project's own reference number, and a thin lead over a twin is not a thin lead over nothing. The logit
/// cannot say so (it only ranks one bill's candidates against each other); this model is fitted on the question that
/// abstaining asks, "is the best candidate right?", over the fitting companies' bills, by <c>aigrpc-eval fit-all</c>,
/// which also chooses the threshold (<see cref="AbstentionPolicy.MinConfidence"/>) on companies left out of each fit.
/// It has two sets of weights: one for requests that give dates (a bill dated inside one project's window, or
/// outside another's), one for requests that give none, as the Odoo module's do. One set for both would have to
/// trade one kind of request against the other; in the fitting bills that cost the dated requests two points.
/// </remarks>
public sealed class ConfidenceModel
{
    /// <summary>Inputs: the three probabilities, the best one's lead and whether any date is known, the best candidate's
    /// project features, the "no project" features without its constant, and the best minus the second candidate's
    /// project features. Not the number of projects: the fitting companies all have about thirty, and a weight on it
    /// would say anything at all about a request with three.</summary>
    public const int FeatureCount = Head + ProjectInputs + (NoneCount - 1) + ProjectInputs;

    /// <summary>The inputs before the project features.</summary>
    private const int Head = 5;

    /// <summary>Where the "no project" features start.</summary>
    private const int NoneAt = Head + ProjectInputs;

    /// <summary>Where the best-minus-second project features start.</summary>
    private const int LeadAt = NoneAt + NoneCount - 1;

    /// <summary>The project feature that is the supplier's share squared (<see cref="MatchWeights.SupplierConcentration"/>)
    /// is left out: beside the share itself it would let the model bend confidence down as a supplier's history grows
    /// more consistent, which the fitting bills happened to reward and no bookkeeper would.</summary>
    private const int SquaredShare = 15;

    private const int ProjectInputs = MatchWeights.ProjectCount - 1;

    private const int NoneCount = MatchWeights.Count - MatchWeights.ProjectCount;

    /// <summary>Feature values above this are capped: a rating or address score of 5 says no more than 3 does, and
    /// the model stays linear in what it has seen.</summary>
    private const double Cap = 3;

    /// <summary>Probabilities are clamped this far from 0 and 1 before taking their log-odds.</summary>
    private const double Epsilon = 1e-6;

    /// <summary>The input that says whether the request gives any date; it chooses the set of weights.</summary>
    private const int DatesUnknown = 4;

    private readonly double[] _dated;
    private readonly double _datedBias;
    private readonly double[] _undated;
    private readonly double _undatedBias;

    /// <summary>A model with one set of weights (<see cref="FeatureCount"/> of them, in <see cref="Features"/> order) and
    /// intercept for every request.</summary>
    public ConfidenceModel(IReadOnlyList<double> weights, double bias)
        : this(weights, bias, weights, bias)
    {
    }

    /// <summary>A model with its weights and intercept for requests that give dates and for those that do not.</summary>
    public ConfidenceModel(IReadOnlyList<double> dated, double datedBias, IReadOnlyList<double> undated, double undatedBias)
    {
        _dated = Checked(dated);
        _datedBias = datedBias;
        _undated = Checked(undated);
        _undatedBias = undatedBias;
    }

    /// <summary>The weights for requests that give dates, in <see cref="Features"/> order.</summary>
    public IReadOnlyList<double> DatedWeights => _dated;

    /// <summary>The intercept for requests that give dates.</summary>
    public double DatedBias => _datedBias;

    /// <summary>The weights for requests that give no date.</summary>
    public IReadOnlyList<double> UndatedWeights => _undated;

    /// <summary>The intercept for requests that give no date.</summary>
    public double UndatedBias => _undatedBias;

    /// <summary>The fitted model (<c>aigrpc-eval fit-all</c>; see <see cref="ConfidenceWeights"/>).</summary>
    public static ConfidenceModel Default { get; } = new(ConfidenceWeights.Dated, ConfidenceWeights.DatedBias, ConfidenceWeights.Undated, ConfidenceWeights.UndatedBias);

    /// <summary>Whether <paramref name="features"/> (from <see cref="Features"/>) are those of a request without dates.</summary>
    public static bool IsUndated(ReadOnlySpan<double> features) => features[DatesUnknown] > 0;

    /// <summary>The model's inputs into <paramref name="into"/> (<see cref="FeatureCount"/> long): the one definition,
    /// for matching and for fitting.</summary>
    /// <param name="best">The best candidate's probability.</param>
    /// <param name="second">The second candidate's (0 when there is none).</param>
    /// <param name="none">The probability of "no project".</param>
    /// <param name="datesUnknown">Whether the request gives no date to compare (no issue date, or no project with
    /// dates): then no candidate is inside its dates, which on a dated request would count against it.</param>
    /// <param name="bestFeatures">The best candidate's project features.</param>
    /// <param name="secondFeatures">The second candidate's (all zero when there is none).</param>
    /// <param name="noneFeatures">The "no project" option's features.</param>
    /// <param name="into">Where the inputs go.</param>
    public static void Features(double best, double second, double none, bool datesUnknown, ReadOnlySpan<double> bestFeatures,
        ReadOnlySpan<double> secondFeatures, ReadOnlySpan<double> noneFeatures, Span<double> into)
    {
        into[0] = LogOdds(best);
        into[1] = LogOdds(second);
        into[2] = LogOdds(none);
        into[3] = best - second;
        into[DatesUnknown] = datesUnknown ? 1 : 0;
        for (var i = 0; i < MatchWeights.ProjectCount; i++)
        {
            var k = ProjectInput(i);
            if (k >= 0)
            {
                into[Head + k] = Math.Min(Cap, bestFeatures[i]);
                into[LeadAt + k] = Math.Min(Cap, bestFeatures[i]) - Math.Min(Cap, secondFeatures[i]);
            }
        }

        for (var i = 1; i < NoneCount; i++)
        {
            into[NoneAt + i - 1] = Math.Min(Cap, noneFeatures[i]);
        }
    }

    /// <summary>Which way each input may move the confidence (+1 up, -1 down, 0 either), for fitting: the direction the
    /// conditional logit gives its signal. Evidence for the best candidate, or its lead over the second, never lowers the
    /// confidence, and evidence for "no project" never raises it; the fit may only say how much. Unconstrained, a
    /// logistic model over inputs this correlated gives some of them the wrong sign, which is harmless on bills like
    /// the fitting ones and absurd on a request of two projects.</summary>
    public static double[] Directions(MatchWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var project = weights.ProjectVector();
        var none = weights.NoneVector();
        var directions = new double[FeatureCount];
        directions[0] = 1;
        directions[1] = -1;
        directions[2] = -1;
        directions[3] = 1;
        directions[DatesUnknown] = 0; // constant within each set of weights
        for (var i = 0; i < MatchWeights.ProjectCount; i++)
        {
            var k = ProjectInput(i);
            if (k >= 0)
            {
                directions[Head + k] = directions[LeadAt + k] = project[i] >= 0 ? 1 : -1;
            }
        }

        for (var i = 1; i < NoneCount; i++)
        {
            directions[NoneAt + i - 1] = none[i] >= 0 ? -1 : 1;
        }

        return directions;
    }

    /// <summary>The probability that the best candidate is right, from <see cref="Features"/>.</summary>
    public double Probability(ReadOnlySpan<double> features)
    {
        var (weights, z) = IsUndated(features) ? (_undated, _undatedBias) : (_dated, _datedBias);
        for (var i = 0; i < weights.Length; i++)
        {
            z += weights[i] * features[i];
        }

        return 1 / (1 + Math.Exp(-Math.Clamp(z, -30, 30)));
    }

    /// <summary>Where project feature <paramref name="feature"/> goes among the project inputs; -1 for the one left
    /// out (<see cref="SquaredShare"/>).</summary>
    private static int ProjectInput(int feature) => feature == SquaredShare ? -1 : feature < SquaredShare ? feature : feature - 1;

    private static double[] Checked(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return weights.Count == FeatureCount ? [.. weights] : throw new ArgumentException($"Expected {FeatureCount} weights.", nameof(weights));
    }

    private static double LogOdds(double p)
    {
        p = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return Math.Log(p / (1 - p));
    }
}
