using System.Globalization;
using AiGrpc.Analytics.Matching;
using AiGrpc.Eval;

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

// Fitting companies: the training set and the retired blind batches (tuning/), each measured on once and then read
// while choosing features, so it can no longer measure anything.
IReadOnlyList<(string Company, DevSet Set)> training = [.. CompanySets.LoadIfPresent("training"), .. CompanySets.LoadIfPresent("tuning")];
var blind = CompanySets.LoadIfPresent("blind");

if (verb is "fit-all")
{
    // The committed weights and thresholds: fitted on the dev set's training half and every training company; the
    // dev set's other half and the blind companies are never seen here.
    var l2 = args.Length > 1 ? double.Parse(args[1], culture) : WeightFitter.DefaultL2;
    var groups = TrainingGroups(set, training, except: null);
    var fitted = WeightFitter.Fit(groups, l2: l2);
    Console.WriteLine(string.Create(culture, $"fitted on {groups.Sum(g => g.Cases.Count())} cases (dev training half + {training.Count} training companies, L2 {l2}): {fitted}"));
    var (confidence, policy, summary) = ConfidenceFitter.Fit(groups, fitted);
    Console.WriteLine($"confidence model fitted on the same cases; {summary}");
    Console.WriteLine("ConfidenceWeights:");
    Console.WriteLine(ConfidenceFitter.CSharp(confidence));
    var (right, cases, bound) = ReferencePrecision.Measure(groups);
    Console.WriteLine(string.Create(culture, $"bills naming one project's reference: {right} of {cases} belonged to it; Wilson 95 % lower bound {bound:0.00} (the engine's ReferencePrecision)"));
    return 0;
}

if (verb is "fit-confidence")
{
    // The confidence model and threshold alone, for the committed weights (fit-all does both).
    var groups = TrainingGroups(set, training, except: null);
    var (confidence, policy, summary) = ConfidenceFitter.Fit(groups, MatchWeights.Default);
    Console.WriteLine($"confidence model fitted on {groups.Sum(g => g.Cases.Count())} cases in {RequestShapes.Names.Count} shapes; {summary}");
    Console.WriteLine("ConfidenceWeights:");
    Console.WriteLine(ConfidenceFitter.CSharp(confidence));
    return 0;
}

if (verb is "shapes")
{
    // The fitting companies (or, measuring only, the blind ones) as sparser callers send them (RequestShapes),
    // answered by the shipped engine.
    var (name, companies) = args.Length > 1 && args[1] == "blind" ? ("blind companies", blind) : ("fitting companies", training);
    foreach (var shape in RequestShapes.Names)
    {
        var reports = companies.SelectMany(c => RequestShapes.Shape(c.Set, c.Set.Cases, shape)).Select(g => DevSetEvaluator.Evaluate(g.Set, g.Cases)).ToList();
        PrintTotals($"{name}, {shape} requests", reports);
    }

    return 0;
}

if (verb is "explain")
{
    // One fitting bill's answer and the features of its strongest candidates, to read a miss. Fitting companies only:
    // reading a blind bill this way would make the blind set no longer blind.
    if (args.Length < 3 || training.FirstOrDefault(c => c.Company == args[1]).Set is not { } company)
    {
        Console.Error.WriteLine("usage: aigrpc-eval explain <fitting company> <bill id>");
        return 2;
    }

    var bill = company.Cases.FirstOrDefault(c => c.Id == args[2]);
    if (bill is null)
    {
        Console.Error.WriteLine($"explain: no bill {args[2]} in {args[1]}");
        return 2;
    }

    Explain.Print(company, bill);
    return 0;
}

if (verb is "policies")
{
    // The abstention trade-off on the training cases (what fit-all chooses from), one line per policy.
    var groups = TrainingGroups(set, training, except: null);
    foreach (var (policy, right, wrong, cases, answerable) in AbstentionSearch.Grid(groups, MatchWeights.Default))
    {
        Console.WriteLine(string.Create(culture, $"{policy.MinConfidence:0.00} {policy.MinMargin:0.00}: right {right}/{cases} ({(double)right / cases:P1}), wrong {wrong} ({(double)wrong / answerable:P1} of answerable)"));
    }

    return 0;
}

if (verb is "all" or "training" && training.Count > 0)
{
    var reports = training.Select(c => (c.Company, Report: DevSetEvaluator.Evaluate(c.Set, c.Set.Cases))).ToList();
    foreach (var (company, report) in reports)
    {
        Print($"training {company} (fitted on)", report);
    }

    PrintTotals("training, all companies (fitted on)", [.. reports.Select(r => r.Report)]);
    if (verb is "training")
    {
        foreach (var (company, report) in reports)
        {
            Console.WriteLine($"misses {company} ({report.Misses.Count}):");
            foreach (var miss in report.Misses)
            {
                Console.WriteLine("  " + miss);
            }
        }
    }
}

if (verb is "all" or "cross" && training.Count > 1)
{
    // Cross-company: weights and thresholds fitted without one training company, reported on it, in turn. The folds
    // are independent, so they run on every core; they print in the companies' order.
    var reports = new DevSetReport[training.Count];
    Parallel.For(0, training.Count, i =>
    {
        var (company, held) = training[i];
        var groups = TrainingGroups(set, training, except: company);
        var weights = WeightFitter.Fit(groups);
        var (confidence, policy, _) = ConfidenceFitter.Fit(groups, weights);
        reports[i] = DevSetEvaluator.Evaluate(held, held.Cases, new LocalInvoiceMatcher(weights, policy, confidence));
    });
    for (var i = 0; i < training.Count; i++)
    {
        Print($"cross-company {training[i].Company} (fitted on the others)", reports[i]);
    }

    PrintTotals("cross-company, all held-out companies", reports);
}

if (verb is "all" or "blind")
{
    if (blind.Count == 0)
    {
        Console.WriteLine("blind: skipped, tests/data/analytics/blind is absent.");
    }
    else
    {
        Console.WriteLine($"blind set (frozen, written outside the team; never fitted on): {blind.Count} companies, {blind.Sum(c => c.Set.Cases.Count)} bills");
        var reports = blind.Select(c => (c.Company, Report: DevSetEvaluator.Evaluate(c.Set, c.Set.Cases))).ToList();
        foreach (var (company, report) in reports)
        {
            Print($"blind {company}", report);
        }

        PrintTotals("blind, all companies", [.. reports.Select(r => r.Report)]);
        foreach (var (company, report) in reports)
        {
            Console.WriteLine($"misses {company} ({report.Misses.Count}):");
            foreach (var miss in report.Misses)
            {
                Console.WriteLine("  " + miss);
            }
        }
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
        $"{title}: {r.Cases} cases | overall {r.Overall:P1} | top-1 on answerable {r.Top1:P1} ({r.Answerable}; best candidate right {r.BestCandidateTop1:P1}) | no-project abstained (recall) {r.AbstentionRecall:P1} of {r.NoProject}, abstention precision {r.AbstentionPrecision:P1} | wrong matches {r.WrongMatches} | ECE {r.Ece:0.000}"));
    Console.WriteLine("  reliability: " + r.Reliability);
    if (r.ByKind is { Count: > 0 } kinds)
    {
        Console.WriteLine("  by kind: " + string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value.Right}/{k.Value.Cases} ({(double)k.Value.Right / k.Value.Cases:P0})"))));
    }
}

static void PrintTotals(string title, IReadOnlyList<DevSetReport> reports)
{
    var cases = reports.Sum(r => r.Cases);
    var answerable = reports.Sum(r => r.Answerable);
    var none = reports.Sum(r => r.NoProject);
    double Weighted(Func<DevSetReport, double> metric, Func<DevSetReport, int> weight) => reports.Sum(r => metric(r) * weight(r)) / Math.Max(1, reports.Sum(weight));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{title}: {cases} cases | overall {Weighted(r => r.Overall, r => r.Cases):P1} | top-1 on answerable {Weighted(r => r.Top1, r => r.Answerable):P1} ({answerable}; best candidate right {Weighted(r => r.BestCandidateTop1, r => r.Answerable):P1}) | no-project abstained {Weighted(r => r.AbstentionRecall, r => r.NoProject):P1} of {none} | wrong matches {reports.Sum(r => r.WrongMatches)} ({(double)reports.Sum(r => r.WrongMatches) / Math.Max(1, answerable):P1} of answerable) | ECE {Weighted(r => r.Ece, r => r.Cases):0.000} (case-weighted mean of per-company ECE)"));
}

static List<(DevSet Set, IEnumerable<DevCase> Cases)> TrainingGroups(DevSet dev, IReadOnlyList<(string Company, DevSet Set)> training, string? except) =>
    [(dev, dev.Training), .. training.Where(c => c.Company != except).Select(c => (c.Set, (IEnumerable<DevCase>)c.Set.Cases))];

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
