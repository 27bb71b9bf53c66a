using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace AiGrpc.Analytics.Matching;

/// <summary>From evidence to an answer: the candidates' features, the conditional-logit probabilities, abstention and the
/// Spanish reasoning.</summary>
public sealed partial class LocalMatchIndex
{
    private const int ProjectFeatureCount = MatchWeights.ProjectCount;

    private const int TopCount = 5;

    /// <summary>Pooled arrays that are all zero whenever they are in the pool (users clear what they wrote), so
    /// renting one needs no clearing of its whole length. Not the shared pool: anyone may return dirty arrays there.</summary>
    private static readonly ArrayPool<double> ZeroedDoubles = ArrayPool<double>.Create();

    /// <inheritdoc cref="ZeroedDoubles"/>
    private static readonly ArrayPool<int> ZeroedInts = ArrayPool<int>.Create();

    /// <summary>A candidate's features, read through spans taken once per match (not once per project and signal).
    /// The one definition of the features: scoring and weight fitting both read them here.</summary>
    private readonly ref struct ProjectFeatureReader(Evidence e)
    {
        private readonly ReadOnlySpan<double> _reference = e.Reference;
        private readonly ReadOnlySpan<double> _projectText = e.ProjectText;
        private readonly ReadOnlySpan<double> _historyText = e.HistoryText;
        private readonly ReadOnlySpan<double> _date = e.Date;
        private readonly ReadOnlySpan<double> _overBudget = e.OverBudget;
        private readonly ReadOnlySpan<double> _supplierCount = e.SupplierCount;
        private readonly ReadOnlySpan<double> _place = e.Place;
        private readonly ReadOnlySpan<double> _placeConflict = e.PlaceConflict;
        private readonly ReadOnlySpan<double> _kind = e.Kind;
        private readonly ReadOnlySpan<double> _voltage = e.Voltage;
        private readonly ReadOnlySpan<double> _nameCoverage = e.NameCoverage;
        private readonly ReadOnlySpan<double> _rating = e.Rating;
        private readonly ReadOnlySpan<double> _address = e.Address;
        private readonly int _supplierTotal = e.Supplier?.Total ?? -1;
        private readonly int _supplierOnProjects = e.Supplier is { } s ? s.Total - s.Count(-1) : 0;
        private readonly (int Best, double Lead) _textLead = Lead(e.ProjectText);
        private readonly (int Best, double Lead) _historyLead = Lead(e.HistoryText);
        private readonly (int Best, double Lead) _placeLead = ShareLead(Lead(e.Place), e.Place);
        private readonly (int Best, double Lead) _kindLead = Lead(e.Kind);

        public void Read(int i, Span<double> f)
        {
            var supplierCount = _supplierCount[i];
            f[0] = _reference[i];
            f[1] = _supplierTotal < 0 ? 0 : SupplierStats.Share((int)supplierCount, _supplierTotal);
            f[2] = Math.Min(1, _projectText[i]);
            f[3] = Math.Min(1, _historyText[i]);
            f[4] = _date[i];
            f[5] = _overBudget[i];
            f[6] = _reference[i] == 0 && supplierCount == 0 && _projectText[i] < 0.05 && _historyText[i] < 0.05 && _place[i] == 0 && _kind[i] == 0 && _address[i] == 0 ? 1 : 0;
            f[7] = _place[i];
            f[8] = _placeConflict[i];
            f[9] = _kind[i];
            f[10] = _voltage[i];
            f[11] = _supplierTotal <= 0 ? 0 : f[1] * (_supplierOnProjects - supplierCount) / _supplierTotal;
            f[12] = i == _textLead.Best ? _textLead.Lead : 0;
            f[13] = i == _historyLead.Best ? _historyLead.Lead : 0;
            f[14] = Math.Min(1, _nameCoverage[i]);
            f[15] = f[1] * f[1];
            f[16] = i == _placeLead.Best ? _placeLead.Lead : 0;
            f[17] = i == _kindLead.Best ? _kindLead.Lead : 0;
            f[18] = _rating[i];
            f[19] = _address[i];
        }

        /// <summary>The lead as a share of the best project's own value: a bill that names only a region (closeness 1/3)
        /// where the company has one project points at it as surely as a commune with one project does; how specific
        /// the place is stays in the place feature itself.</summary>
        private static (int Best, double Lead) ShareLead((int Best, double Lead) lead, ReadOnlySpan<double> values) =>
            lead.Best < 0 ? lead : (lead.Best, lead.Lead / Math.Min(1, values[lead.Best]));

        /// <summary>The most similar project and how far ahead of the second it is (similarities capped at 1).</summary>
        private static (int Best, double Lead) Lead(ReadOnlySpan<double> similarity)
        {
            int best = -1;
            double first = 0, second = 0;
            for (var i = 0; i < similarity.Length; i++)
            {
                var s = Math.Min(1, similarity[i]);
                if (s > first)
                {
                    (second, first, best) = (first, s, i);
                }
                else if (s > second)
                {
                    second = s;
                }
            }

            return (best, first - second);
        }
    }

    /// <summary>The (at most five) indexes of <paramref name="values"/> with the highest values into
    /// <paramref name="top"/>, highest first, ties by the smaller index; one pass with a five-slot insertion list
    /// instead of sorting thousands of projects. Returns how many.</summary>
    private static int TopFive(ReadOnlySpan<double> values, Span<int> top)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (Enters(top, count, i, values))
            {
                count = Offer(top, count, i, values);
            }
        }

        return count;
    }

    /// <summary>As <see cref="TopFive(ReadOnlySpan{double}, Span{int})"/>, over the given <paramref name="items"/> only.</summary>
    private static int TopFive(ReadOnlySpan<int> items, ReadOnlySpan<double> values, Span<int> top)
    {
        var count = 0;
        foreach (var item in items)
        {
            if (Enters(top, count, item, values))
            {
                count = Offer(top, count, item, values);
            }
        }

        return count;
    }

    /// <summary>True when <paramref name="item"/> belongs in the top five so far: checked in the loops, because most
    /// items are not above the fifth (on a tie the smaller index ranks first) and need no call.</summary>
    private static bool Enters(ReadOnlySpan<int> top, int count, int item, ReadOnlySpan<double> values)
    {
        if (count < TopCount)
        {
            return true;
        }

        var fifth = top[TopCount - 1];
        return values[item] > values[fifth] || (values[item] == values[fifth] && item < fifth);
    }

    /// <summary>Inserts <paramref name="item"/>, which <see cref="Enters"/> admitted, at its rank; returns the new count.</summary>
    private static int Offer(Span<int> top, int count, int item, ReadOnlySpan<double> values)
    {
        var v = values[item];
        var at = count;
        while (at > 0 && (values[top[at - 1]] < v || (values[top[at - 1]] == v && top[at - 1] > item)))
        {
            at--;
        }

        // Enters admitted the item, so it ranks above the fifth: at is below TopCount.
        var kept = Math.Min(count, TopCount - 1);
        top[at..kept].CopyTo(top[(at + 1)..]);
        top[at] = item;
        return kept + 1;
    }

    private const int NoneFeatureCount = MatchWeights.Count - MatchWeights.ProjectCount;

    /// <summary>The "no project" option's features (bias, supplier's overhead share, best cosine with overhead history,
    /// supplier's share on projects); the one definition, for scoring and weight fitting.</summary>
    private static void NoneFeatures(Evidence e, Span<double> f)
    {
        var supplier = e.Supplier;
        var overhead = supplier?.Count(-1) ?? 0;
        f[0] = 1;
        f[1] = supplier is null ? 0 : SupplierStats.Share(overhead, supplier.Total);
        f[2] = Math.Min(1, e.NoneHistoryText);
        f[3] = supplier is null ? 0 : (supplier.Total - overhead) / (supplier.Total + 2.0);
        var words = e.Domain.Overhead;
        f[4] = Math.Min(1, words.Strong);
        f[5] = Math.Min(1, words.Weak / 2.0);
        f[6] = Math.Min(1, words.Context);
        f[7] = Math.Min(1, words.Site);
        f[8] = Math.Min(1, words.Bid);
    }

    /// <summary>The conditional-logit probabilities of the projects into <paramref name="scores"/>; returns the
    /// probability of "no project". <paramref name="referenced"/> is <see cref="SingleReference"/>'s answer.</summary>
    private double Probabilities(in ProjectFeatureReader features, ReadOnlySpan<double> none, int referenced, Span<double> scores)
    {
        var w = _projectWeights;
        var max = double.NegativeInfinity;
        Span<double> f = stackalloc double[ProjectFeatureCount];
        for (var i = 0; i < scores.Length; i++)
        {
            features.Read(i, f);
            scores[i] = Dot(w, f);
            max = Math.Max(max, scores[i]);
        }

        var noneScore = Dot(_noneWeights, none);
        max = Math.Max(max, noneScore);

        var noneWeight = Math.Exp(noneScore - max);
        var sum = noneWeight;

        // Most candidates share a score (no evidence at all, same dates): the exponential of a score equal to the
        // previous one is the previous result, bit for bit.
        var lastScore = double.NaN;
        var lastWeight = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] != lastScore)
            {
                lastScore = scores[i];
                lastWeight = Math.Exp(lastScore - max);
            }

            scores[i] = lastWeight;
            sum += lastWeight;
        }

        var pNone = noneWeight / sum;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= sum; // probabilities from here on
        }

        return FloorSingleReference(referenced, scores, pNone);
    }

    private MatchResult Decide(InvoiceToMatch invoice, Evidence e)
    {
        var rented = ArrayPool<double>.Shared.Rent(Math.Max(1, _projects.Length));
        try
        {
            var scores = rented.AsSpan(0, _projects.Length);

            // Read once, for the probabilities and then for the confidence.
            var features = new ProjectFeatureReader(e);
            Span<double> none = stackalloc double[NoneFeatureCount];
            NoneFeatures(e, none);
            var referenced = SingleReference(e);
            var pNone = Probabilities(features, none, referenced, scores);
            Span<int> top = stackalloc int[TopCount];
            var count = TopFive(scores, top);
            var ranked = new ScoredProject[count];
            for (var i = 0; i < count; i++)
            {
                ranked[i] = new ScoredProject(_projects[top[i]].Id, Round(scores[top[i]]));
            }

            var best = count > 0 ? top[0] : -1;
            var bestP = count > 0 ? scores[top[0]] : 0.0;
            var second = count > 1 ? scores[top[1]] : 0;
            var confidence = best < 0 ? 0 : Confidence(e, features, none, referenced, top[..count], scores, pNone);
            var warnings = RutWarnings(e.SupplierRutKey);
            int? matched = null;

            // The reasoning is written straight into one buffer: its parts are numbers and names that would
            // otherwise each be a string of their own.
            var reasoning = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
            if (best < 0)
            {
                reasoning.AppendLiteral("Sin proyectos candidatos: no hay a qué asignar la factura.");
            }
            else if (pNone >= bestP)
            {
                reasoning.AppendLiteral("Sin coincidencia confiable: lo más probable es que no corresponda a un proyecto (");
                AppendPercent(ref reasoning, pNone);
                reasoning.AppendLiteral(")");
                AppendNoneReason(ref reasoning, e);
                reasoning.AppendLiteral(".");
            }
            else if (count > 1 && (bestP - second < _abstention.MinMargin || confidence < _abstention.MinConfidence)
                && bestP - second < TwinMargin && bestP + second >= TwinShare)
            {
                // Checked before "weak evidence": two twins split a strong probability between them, and saying
                // so tells the bookkeeper which two to choose from.
                reasoning.AppendLiteral("Sin coincidencia confiable: dos proyectos demasiado parecidos, ");
                reasoning.AppendFormatted(Describe(best));
                reasoning.AppendLiteral(" (");
                AppendPercent(ref reasoning, bestP);
                reasoning.AppendLiteral(") y ");
                reasoning.AppendFormatted(Describe(top[1]));
                reasoning.AppendLiteral(" (");
                AppendPercent(ref reasoning, second);
                reasoning.AppendLiteral(").");
            }
            else if (confidence < _abstention.MinConfidence)
            {
                reasoning.AppendLiteral("Sin coincidencia confiable: evidencia débil; el mejor candidato, ");
                reasoning.AppendFormatted(Describe(best));
                reasoning.AppendLiteral(", llega a ");
                AppendPercent(ref reasoning, confidence);

                // What points at it, so the bookkeeper who chooses sees why it came first.
                reasoning.AppendLiteral(": ");
                AppendSignals(ref reasoning, e, best, _domains[best]);
                reasoning.AppendLiteral(".");
            }
            else
            {
                matched = _projects[best].Id;
                reasoning.AppendLiteral("Asignada a ");
                reasoning.AppendFormatted(Describe(best));
                reasoning.AppendLiteral(" (");
                AppendPercent(ref reasoning, confidence);
                reasoning.AppendLiteral("): ");
                AppendSignals(ref reasoning, e, best, _domains[best]);
                reasoning.AppendLiteral(".");
            }

            if (warnings.Count > 0)
            {
                reasoning.AppendLiteral(" Advertencia: ");
                reasoning.AppendFormatted(string.Join("; ", warnings));
                reasoning.AppendLiteral(".");
            }

            var alternatives = new List<ScoredProject>(3);
            foreach (var score in ranked)
            {
                if (score.ProjectId != matched && alternatives.Count < 3)
                {
                    alternatives.Add(score);
                }
            }

            return new MatchResult(matched, Round(confidence), reasoning.ToStringAndClear(), alternatives, ranked, e.SimilarHistory, warnings);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Two candidates closer than this, abstained on, are explained as twins (which two to choose from) rather
    /// than as weak evidence; it changes the wording of an abstention, never whether there is one.</summary>
    private const double TwinMargin = 0.15;

    /// <summary>Two twins hold at least this much of the probability between them: otherwise the bill is weak
    /// evidence for both, not a choice between two.</summary>
    private const double TwinShare = 0.5;

    /// <summary>The probability that the best candidate (<paramref name="top"/>[0]) is right
    /// (<see cref="ConfidenceModel"/>); never under <see cref="ReferencePrecision"/> when the bill names that
    /// project's reference and no other's (<paramref name="referenced"/>).</summary>
    private double Confidence(Evidence e, in ProjectFeatureReader features, ReadOnlySpan<double> none, int referenced, ReadOnlySpan<int> top, ReadOnlySpan<double> probabilities, double pNone)
    {
        Span<double> inputs = stackalloc double[ConfidenceModel.FeatureCount];
        ConfidenceInputs(e, features, none, top, probabilities, pNone, inputs);
        var confidence = _confidence.Probability(inputs);
        return referenced == top[0] ? Math.Max(confidence, ReferencePrecision) : confidence;
    }

    private static void ConfidenceInputs(Evidence e, in ProjectFeatureReader features, ReadOnlySpan<double> none, ReadOnlySpan<int> top, ReadOnlySpan<double> probabilities, double pNone, Span<double> inputs)
    {
        Span<double> best = stackalloc double[ProjectFeatureCount];
        Span<double> second = stackalloc double[ProjectFeatureCount];
        features.Read(top[0], best);
        if (top.Length > 1)
        {
            features.Read(top[1], second);
        }

        ConfidenceModel.Features(probabilities[top[0]], top.Length > 1 ? probabilities[top[1]] : 0, pNone, !e.Date.ContainsAnyExcept(0.0), best, second, none, inputs);
    }

    /// <summary>The inputs of <see cref="ConfidenceModel"/> for one bill and its best candidate's project id, for
    /// fitting the model; null when the request has no project.</summary>
    public (double[] Inputs, int BestProjectId)? ConfidenceInputs(InvoiceToMatch invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        using var e = Gather(invoice);
        var features = new ProjectFeatureReader(e);
        Span<double> none = stackalloc double[NoneFeatureCount];
        NoneFeatures(e, none);
        var scores = new double[_projects.Length];
        var pNone = Probabilities(features, none, SingleReference(e), scores);
        Span<int> top = stackalloc int[TopCount];
        var count = TopFive(scores, top);
        if (count == 0)
        {
            return null;
        }

        var inputs = new double[ConfidenceModel.FeatureCount];
        ConfidenceInputs(e, features, none, top[..count], scores, pNone, inputs);
        return (inputs, _projects[top[0]].Id);
    }

    /// <summary>
    /// A purchase order, contract or project code that names exactly one project is the company's own label on the
    /// bill: its probability is at least <see cref="ReferencePrecision"/>, the share of training bills with such a
    /// reference that belonged to that project. The logit alone under-rates a bill whose only evidence is its order
    /// number ("Materiales varios", OC 4500112233), because in the training bills a reference always came with other
    /// evidence. The other candidates and "no project" keep their proportions. Returns the new "no project" probability.
    /// </summary>
    private static double FloorSingleReference(int only, Span<double> probabilities, double pNone)
    {
        if (only < 0 || probabilities[only] >= ReferencePrecision)
        {
            return pNone;
        }

        var scale = (1 - ReferencePrecision) / (1 - probabilities[only]);
        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] *= scale;
        }

        probabilities[only] = ReferencePrecision;
        return pNone * scale;
    }

    /// <summary>The one project whose reference the bill names, or -1 (none, or several sharing the code).</summary>
    private static int SingleReference(Evidence e)
    {
        var reference = e.Reference;
        var only = -1;
        for (var i = 0; i < reference.Length; i++)
        {
            if (reference[i] > 0)
            {
                if (only >= 0)
                {
                    return -1; // several projects share the code: no single label
                }

                only = i;
            }
        }

        return only;
    }

    /// <summary>Lower bound (Wilson score, 95 %) of the share of training bills naming one project's reference that
    /// belonged to it: 2,650 of 2,651 (0.9996, kept at 0.98) (the dev set's training half and the hundred and eight fitting companies; <c>aigrpc-eval
    /// fit-all</c> prints it).</summary>
    internal const double ReferencePrecision = 0.98;

    private static double Dot(double[] weights, ReadOnlySpan<double> features)
    {
        var sum = 0.0;
        for (var j = 0; j < weights.Length; j++)
        {
            sum += weights[j] * features[j];
        }

        return sum;
    }
}
