namespace AiGrpc.Eval;

/// <summary>How well a confidence is calibrated: answers in ten equal-width bins of confidence, and the expected
/// calibration error over them. One definition for <c>make eval</c>'s figures and for choosing the abstention.</summary>
public static class Calibration
{
    /// <summary>Per bin: the summed confidence, the right answers and the count.</summary>
    public static (double Confidence, double Correct, int Count)[] Bins(IEnumerable<(double Confidence, bool Right)> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var bins = new (double Confidence, double Correct, int Count)[10];
        foreach (var (confidence, right) in answers)
        {
            var b = Math.Min(9, (int)(confidence * 10));
            bins[b] = (bins[b].Confidence + confidence, bins[b].Correct + (right ? 1 : 0), bins[b].Count + 1);
        }

        return bins;
    }

    /// <summary>The expected calibration error: each bin's gap between mean confidence and accuracy, weighted by its
    /// share of the answers.</summary>
    public static double Ece((double Confidence, double Correct, int Count)[] bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var total = bins.Sum(b => b.Count);
        return bins.Where(b => b.Count > 0).Sum(b => b.Count / (double)total * Math.Abs((b.Confidence / b.Count) - (b.Correct / b.Count)));
    }
}
