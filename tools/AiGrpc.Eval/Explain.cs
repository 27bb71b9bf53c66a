using System.Globalization;
using AiGrpc.Analytics.Matching;

namespace AiGrpc.Eval;

/// <summary>
/// <c>aigrpc-eval explain company bill</c>: the engine's answer to one fitting bill and, for the expected project and the
/// strongest candidates, each feature's value and what it adds to the score (value × weight). A miss read this way
/// shows which signal outvoted which, instead of guessing from the reasoning sentence.
/// </summary>
public static class Explain
{
    /// <summary>Prints the answer and the candidates' contributions.</summary>
    public static void Print(DevSet set, DevCase bill)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(bill);
        var culture = CultureInfo.InvariantCulture;
        var weights = MatchWeights.Default;
        var index = new LocalInvoiceMatcher().Build(set.Projects, set.History);
        var result = index.Match(bill.Invoice);
        var lines = string.Join(" | ", bill.Invoice.Lines.Select(l => l.Description));
        Console.WriteLine($"{bill.Id} [{bill.Kind}] \"{bill.Invoice.Description}\" po {bill.Invoice.PurchaseOrder} lines: {lines}");
        Console.WriteLine(string.Create(culture, $"expected {bill.Expected?.ToString(culture) ?? "none"}, got {result.MatchedProjectId?.ToString(culture) ?? "none"} ({result.Confidence:0.00}): {result.Reasoning}"));

        var features = index.Features(bill.Invoice);
        var projectWeights = weights.ProjectVector();
        var scored = features.Where(f => f.ProjectIndex >= 0)
            .Select(f => (Id: index.ProjectIdAt(f.ProjectIndex), f.Values, Score: Dot(projectWeights, f.Values)))
            .OrderByDescending(c => c.Score)
            .ToList();
        var shown = scored.Take(4).Concat(scored.Where(c => c.Id == bill.Expected)).DistinctBy(c => c.Id);
        foreach (var (id, values, score) in shown)
        {
            var project = index.FindProject(id);
            Console.WriteLine(string.Create(culture, $"  {id} {project?.Name} [{project?.Location}] score {score:0.00}: {Terms(MatchWeights.ProjectNames, values, projectWeights)}"));
        }

        var none = features.Single(f => f.ProjectIndex < 0).Values;
        var noneWeights = weights.NoneVector();
        Console.WriteLine(string.Create(culture, $"  none score {Dot(noneWeights, none):0.00}: {Terms(MatchWeights.NoneNames, none, noneWeights)}"));
    }

    private static string Terms(IReadOnlyList<string> names, double[] values, double[] weights) =>
        string.Join(", ", values.Select((v, i) => (Name: names[i], Value: v, Adds: v * weights[i]))
            .Where(t => t.Value != 0)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Value:0.00} ({t.Adds:+0.00;-0.00})")));

    private static double Dot(double[] weights, double[] values) => weights.Zip(values, (w, v) => w * v).Sum();
}
