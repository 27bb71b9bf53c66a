using AiGrpc.Analytics.Matching;

namespace AiGrpc.Eval;

/// <summary>
/// Fits <see cref="MatchWeights"/> by maximum likelihood of the conditional-logit model (the right
/// candidate, or "no project", against all others) with a small L2 penalty, by gradient descent.
/// Maximum likelihood is what makes the softmax probabilities calibrated on the data it saw.
/// </summary>
public static class WeightFitter
{
    /// <summary>The L2 penalty the committed weights were fitted with (0.002 left the model under-confident).</summary>
    public const double DefaultL2 = 0.0005;

    public static MatchWeights Fit(DevSet set, IEnumerable<DevCase> cases, int iterations = 6000, double learningRate = 0.5, double l2 = DefaultL2) =>
        Fit([(set, cases)], iterations, learningRate, l2);

    /// <summary>Fits on the cases of several companies at once, each against its own projects and history.</summary>
    public static MatchWeights Fit(IEnumerable<(DevSet Set, IEnumerable<DevCase> Cases)> groups, int iterations = 6000, double learningRate = 0.5, double l2 = DefaultL2)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var examples = groups.SelectMany(g =>
        {
            var index = new LocalInvoiceMatcher().Build(g.Set.Projects, g.Set.History);
            return g.Cases.Select(c =>
            {
                var features = index.Features(c.Invoice);
                var correct = c.Expected is { } id ? features.Select((f, i) => (f, i)).First(x => x.f.ProjectIndex >= 0 && index.ProjectIdAt(x.f.ProjectIndex) == id).i : features.Count - 1;
                return (Features: features, Correct: correct);
            });
        }).ToList();

        var w = MatchWeights.Default.ToArray();
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var gradient = new double[MatchWeights.Count];
            foreach (var (features, correct) in examples)
            {
                var scores = features.Select(f => Score(w, f)).ToArray();
                var max = scores.Max();
                var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                var sum = exp.Sum();
                for (var k = 0; k < features.Count; k++)
                {
                    var residual = (exp[k] / sum) - (k == correct ? 1 : 0);
                    var (offset, values) = Slice(features[k]);
                    for (var j = 0; j < values.Length; j++)
                    {
                        gradient[offset + j] += residual * values[j];
                    }
                }
            }

            for (var j = 0; j < w.Length; j++)
            {
                w[j] -= learningRate * ((gradient[j] / examples.Count) + (l2 * w[j]));
            }
        }

        return MatchWeights.FromArray([.. w.Select(x => Math.Round(x, 3))]);
    }

    private static double Score(double[] w, CandidateFeatures f)
    {
        var (offset, values) = Slice(f);
        var s = 0.0;
        for (var j = 0; j < values.Length; j++)
        {
            s += w[offset + j] * values[j];
        }

        return s;
    }

    // Project candidates use the first weights, "no project" the rest.
    private static (int Offset, double[] Values) Slice(CandidateFeatures f) => (f.ProjectIndex >= 0 ? 0 : MatchWeights.ProjectCount, f.Values);
}
