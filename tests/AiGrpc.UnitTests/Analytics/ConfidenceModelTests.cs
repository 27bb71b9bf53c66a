using AiGrpc.Analytics.Matching;

namespace AiGrpc.UnitTests.Analytics;

public class ConfidenceModelTests
{
    private const int Projects = MatchWeights.ProjectCount;
    private const int None = MatchWeights.Count - MatchWeights.ProjectCount;

    // Layout: 3 probabilities, the lead and the date flag, 19 best-candidate features (all but the squared share), 8 "no project" features (all
    // but the constant), 19 best-minus-second features.
    private const int BestAt = 5;
    private const int NoneAt = BestAt + Projects - 1;
    private const int LeadAt = NoneAt + None - 1;

    private static double[] Inputs(double best = 0.6, double second = 0.2, double none = 0.1, double[]? bestFeatures = null, double[]? secondFeatures = null, double[]? noneFeatures = null, bool undated = false)
    {
        var into = new double[ConfidenceModel.FeatureCount];
        ConfidenceModel.Features(best, second, none, undated, bestFeatures ?? new double[Projects], secondFeatures ?? new double[Projects], noneFeatures ?? new double[None], into);
        return into;
    }

    [Fact]
    public void The_layout_counts_every_input_once()
    {
        Assert.Equal(5 + (Projects - 1) + (None - 1) + (Projects - 1), ConfidenceModel.FeatureCount);
        Assert.Equal(ConfidenceModel.FeatureCount, LeadAt + Projects - 1);
    }

    [Fact]
    public void Probabilities_enter_as_log_odds_and_the_lead_as_a_difference()
    {
        var inputs = Inputs(best: 0.75, second: 0.2, none: 0.5);
        Assert.Equal(Math.Log(3), inputs[0], 10);
        Assert.Equal(Math.Log(0.25), inputs[1], 10);
        Assert.Equal(0, inputs[2], 10);
        Assert.Equal(0.55, inputs[3], 10);
        Assert.Equal(0, inputs[4]);
        Assert.False(ConfidenceModel.IsUndated(inputs));
        Assert.Equal(1, Inputs(undated: true)[4]);
        Assert.True(ConfidenceModel.IsUndated(Inputs(undated: true)));

        // Probabilities of 0 and 1 are clamped, so the log-odds stay finite.
        var edges = Inputs(best: 1, second: 0, none: 0);
        Assert.Equal(Math.Log((1 - 1e-6) / 1e-6), edges[0], 6);
        Assert.Equal(Math.Log(1e-6 / (1 - 1e-6)), edges[1], 6);
        Assert.Equal(Math.Log(1e-6 / (1 - 1e-6)), edges[2], 6);
    }

    [Fact]
    public void Project_features_enter_for_the_best_and_as_its_lead_over_the_second()
    {
        var best = new double[Projects];
        var second = new double[Projects];
        best[0] = 1;        // reference
        best[2] = 0.4;      // project text
        second[2] = 0.1;
        best[19] = 5;       // address: capped at 3
        second[19] = 4;     // capped at 3 too: no lead
        second[18] = 1;     // rating of the second only
        var inputs = Inputs(bestFeatures: best, secondFeatures: second);

        Assert.Equal(1, inputs[BestAt + 0]);
        Assert.Equal(0.4, inputs[BestAt + 2], 10);
        Assert.Equal(3, inputs[BestAt + 18]); // address, one place earlier: the squared share (15) is left out
        Assert.Equal(0, inputs[BestAt + 17]);
        Assert.Equal(1, inputs[LeadAt + 0]);
        Assert.Equal(0.3, inputs[LeadAt + 2], 10);
        Assert.Equal(-1, inputs[LeadAt + 17]);
        Assert.Equal(0, inputs[LeadAt + 18]);
    }

    [Fact]
    public void The_squared_supplier_share_is_not_an_input()
    {
        var best = new double[Projects];
        var before = Inputs(bestFeatures: best);
        best[15] = 0.81;
        Assert.Equal(before, Inputs(bestFeatures: best));

        // Its neighbours are read, each once for the best and once for the lead.
        best[14] = 0.5;
        best[16] = 0.25;
        var after = Inputs(bestFeatures: best);
        Assert.Equal(0.5, after[BestAt + 14]);
        Assert.Equal(0.25, after[BestAt + 15]);
        Assert.Equal(0.5, after[LeadAt + 14]);
        Assert.Equal(0.25, after[LeadAt + 15]);
    }

    [Fact]
    public void No_project_features_enter_without_their_constant()
    {
        var none = new double[None];
        none[0] = 1;   // the bias: not an input
        none[1] = 0.5;
        none[8] = 7;   // capped
        var inputs = Inputs(noneFeatures: none);
        Assert.Equal(0.5, inputs[NoneAt]);
        Assert.Equal(3, inputs[NoneAt + 7]);
        Assert.Equal(2, inputs.Skip(NoneAt).Take(None - 1).Count(v => v != 0));
    }

    [Fact]
    public void Directions_follow_the_logit_and_turn_for_no_project()
    {
        var weights = MatchWeights.Default;
        var directions = ConfidenceModel.Directions(weights);
        Assert.Equal([1.0, -1, -1, 1, 0], directions.Take(5));
        var project = weights.ProjectVector();
        var none = weights.NoneVector();
        for (var i = 0; i < Projects; i++)
        {
            if (i == 15)
            {
                continue;
            }

            var k = i < 15 ? i : i - 1;
            var expected = project[i] >= 0 ? 1 : -1;
            Assert.Equal(expected, directions[BestAt + k]);
            Assert.Equal(expected, directions[LeadAt + k]);
        }

        for (var i = 1; i < None; i++)
        {
            Assert.Equal(none[i] >= 0 ? -1 : 1, directions[NoneAt + i - 1]);
        }

        // A weight of exactly 0 counts as pointing up.
        var zero = MatchWeights.FromArray(new double[MatchWeights.Count]);
        Assert.All(ConfidenceModel.Directions(zero).Skip(BestAt).Take(Projects - 1), d => Assert.Equal(1, d));
        Assert.All(ConfidenceModel.Directions(zero).Skip(NoneAt).Take(None - 1), d => Assert.Equal(-1, d));
    }

    [Fact]
    public void The_shipped_model_keeps_every_weight_in_its_direction()
    {
        var directions = ConfidenceModel.Directions(MatchWeights.Default);
        foreach (var weights in new[] { ConfidenceModel.Default.DatedWeights, ConfidenceModel.Default.UndatedWeights })
        {
            Assert.Equal(ConfidenceModel.FeatureCount, weights.Count);
            Assert.All(Enumerable.Range(0, weights.Count), i => Assert.True(weights[i] * directions[i] >= 0, $"weight {i}: {weights[i]}"));
        }
    }

    [Fact]
    public void The_probability_is_the_logistic_of_the_weighted_sum()
    {
        var weights = new double[ConfidenceModel.FeatureCount];
        weights[0] = 2;
        weights[3] = -1;
        var model = new ConfidenceModel(weights, bias: 0.5);
        var inputs = new double[ConfidenceModel.FeatureCount];
        inputs[0] = 1;
        inputs[3] = 0.5;
        inputs[5] = 100; // weight 0: no effect
        Assert.Equal(1 / (1 + Math.Exp(-2.0)), model.Probability(inputs), 12);
        Assert.Equal(0.5, model.DatedBias);
        Assert.Equal(0.5, model.UndatedBias);
        Assert.Equal(weights, model.DatedWeights);
        Assert.Equal(weights, model.UndatedWeights);

        // Far out, the sum is clamped rather than overflowing.
        inputs[0] = 1e6;
        Assert.Equal(1 / (1 + Math.Exp(-30.0)), model.Probability(inputs), 12);
        inputs[0] = -1e6;
        Assert.Equal(1 / (1 + Math.Exp(30.0)), model.Probability(inputs), 15);
    }

    [Fact]
    public void A_model_needs_one_weight_per_input()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConfidenceModel(new double[ConfidenceModel.FeatureCount - 1], 0));
        Assert.StartsWith($"Expected {ConfidenceModel.FeatureCount} weights.", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new ConfidenceModel(null!, 0));
        Assert.Throws<ArgumentNullException>(() => ConfidenceModel.Directions(null!));
    }

    [Fact]
    public void The_weights_are_copied()
    {
        var weights = new double[ConfidenceModel.FeatureCount];
        weights[0] = 1;
        var model = new ConfidenceModel(weights, 0);
        weights[0] = 5;
        Assert.Equal(1, model.DatedWeights[0]);
        Assert.Equal(1, model.UndatedWeights[0]);
    }

    [Fact]
    public void Requests_without_dates_use_their_own_weights()
    {
        var dated = new double[ConfidenceModel.FeatureCount];
        var undated = new double[ConfidenceModel.FeatureCount];
        dated[3] = 1;
        undated[3] = -1;
        var model = new ConfidenceModel(dated, 0.25, undated, -0.5);
        var withDates = Inputs(best: 0.9, second: 0.1);
        var withoutDates = Inputs(best: 0.9, second: 0.1, undated: true);
        Assert.Equal(1 / (1 + Math.Exp(-(0.25 + 0.8))), model.Probability(withDates), 12);
        Assert.Equal(1 / (1 + Math.Exp(-(-0.5 - 0.8))), model.Probability(withoutDates), 12);
        Assert.Throws<ArgumentException>(() => new ConfidenceModel(dated, 0, new double[3], 0));
        Assert.Throws<ArgumentNullException>(() => new ConfidenceModel(dated, 0, null!, 0));
    }
}
