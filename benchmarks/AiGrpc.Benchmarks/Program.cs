using System.Reflection;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "validation-peak")
{
    AiGrpc.Benchmarks.Validation.ValidationPeak.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500);
    return;
}

if (args.Length > 0 && args[0] == "validation-profile")
{
    AiGrpc.Benchmarks.Validation.ValidationProfile.Run();
    return;
}

if (args.Length > 0 && args[0] == "analytics-latency")
{
    AiGrpc.Benchmarks.Analytics.AnalyticsLatency.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000);
    return;
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
