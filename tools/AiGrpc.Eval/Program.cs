using System.Globalization;
using AiGrpc.Eval;
using AiGrpc.Server.Analytics.Engine;

// make eval: quality of the Analytics engine. Verbs: devset (default), fit, chilecompra [dir].
var verb = args.Length > 0 ? args[0] : "all";
var culture = CultureInfo.InvariantCulture;
var set = DevSet.Load();

if (verb is "fit")
{
    var l2 = args.Length > 1 ? double.Parse(args[1], culture) : WeightFitter.DefaultL2;
    var fitted = WeightFitter.Fit(set, set.Training, l2: l2);
    Console.WriteLine(string.Create(culture, $"fitted on {set.Training.Count()} training cases (L2 {l2}): {fitted}"));
    Print("held-out, fitted weights", DevSetEvaluator.Evaluate(set, set.HeldOut, new LocalInvoiceMatcher(fitted)));
    return 0;
}

if (verb is "all" or "devset")
{
    Console.WriteLine($"dev set: {set.Cases.Count} cases ({set.Cases.Count(c => c.Expected is null)} no-project), {set.Projects.Count} projects, {set.History.Count} history rows");
    Console.WriteLine($"weights: {MatchWeights.Default}");
    Print("held-out half (weights fitted on the other half)", DevSetEvaluator.Evaluate(set, set.HeldOut));
    var all = DevSetEvaluator.Evaluate(set, set.Cases);
    Print("all cases", all);
    var latency = DevSetEvaluator.MeasureLatency(set);
    Console.WriteLine(string.Create(culture, $"latency per request (index {set.Projects.Count} projects + {set.History.Count} history, then match; Stopwatch, {Environment.ProcessorCount} cores, not a benchmark): p50 {latency.P50:0} us, p95 {latency.P95:0} us, p99 {latency.P99:0} us"));
    Console.WriteLine($"cases still wrong ({all.Misses.Count}):");
    foreach (var miss in all.Misses)
    {
        Console.WriteLine("  " + miss);
    }
}

if (verb is "all" or "chilecompra")
{
    var dir = args.Length > 1 ? args[1] : FindChileCompra();
    if (dir is null)
    {
        Console.WriteLine("chilecompra: skipped, ../shared/datasets/chilecompra-licitaciones-2025 is absent.");
    }
    else
    {
        var report = ChileCompraTask.Run(dir);
        Console.WriteLine(string.Create(culture, $"chilecompra (description -> own title among the same institution's tenders; {report.Institutions} institutions with 5-300 tenders, {report.Queries} queries): ours top-1 {report.OursTop1:P1}, plain TF-IDF baseline top-1 {report.BaselineTop1:P1}"));
    }
}

return 0;

static void Print(string title, DevSetReport r)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{title}: {r.Cases} cases | top-1 on answerable {r.Top1:P1} ({r.Answerable}; best candidate right {r.BestCandidateTop1:P1}) | no-project abstained (recall) {r.AbstentionRecall:P1} of {r.NoProject}, abstention precision {r.AbstentionPrecision:P1} | wrong matches {r.WrongMatches} | ECE {r.Ece:0.000}"));
    Console.WriteLine("  reliability: " + r.Reliability);
}

static string? FindChileCompra()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        var path = Path.Combine(dir.FullName, "shared", "datasets", "chilecompra-licitaciones-2025");
        if (Directory.Exists(path))
        {
            return path;
        }
    }

    return null;
}
