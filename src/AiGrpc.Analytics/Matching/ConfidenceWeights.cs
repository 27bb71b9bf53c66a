namespace AiGrpc.Analytics.Matching;

/// <summary>The fitted weights of <see cref="ConfidenceModel.Default"/>, in <see cref="ConfidenceModel.Features"/>
/// order. Written by <c>aigrpc-eval fit-all</c> (which prints this file's body); not edited by hand.</summary>
internal static class ConfidenceWeights
{
    /// <summary>The intercept for requests that give dates.</summary>
    public const double DatedBias = -3.9090672283129937;

    /// <summary>The intercept for requests that give no date.</summary>
    public const double UndatedBias = -1.4575726250684238;

    /// <summary>The weights for requests that give dates.</summary>
    public static readonly double[] Dated =
    [
        0.140193, 0, -0.037497, 3.090282, 0, 1.183652,
        0.399945, 0, 0, 2.704253, -7.085965, -1.95752,
        0, -0.055838, 0.065276, 0, 0, 0.072449,
        0.026827, 0.187454, 0, 0.944841, 0, 0,
        -0.199375, -0.624226, 0.584372, -3.605947, -1.586962, -2.847173,
        0.580455, -3.0123, 1.285159, 0, 3.557735, 0,
        0.506999, 0, 0, 1.51491, -0.50497, 0.083085,
        1.098881, 0, 1.127395, 0, 0.01273, 0,
        0, 1.085708, 2.382162,
    ];

    /// <summary>The weights for requests that give no date.</summary>
    public static readonly double[] Undated =
    [
        0.106285, 0, 0, 0.967806, 0, 2.048499,
        2.322138, 0, 1.152895, 0, -4.415257, -1.923624,
        0.539137, -0.683209, 0.124875, 0.492561, 0, 0,
        1.11117, 0.988986, 0.3152, 0.225021, 1.084619, 0.95576,
        0, -0.223067, 0, -3.813249, -1.548277, -2.933715,
        0.463222, -2.533108, 2.22062, 0.600389, 1.298089, 0,
        0, -0.966462, -0.109605, 1.335695, -1.331417, 0.542493,
        1.197564, 3.218438, 0, 0, 2.10763, 0.158056,
        0, 1.712207, 2.691913,
    ];
}
