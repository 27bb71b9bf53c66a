using System.Reflection;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "validation-peak")
{
    AiGrpc.Benchmarks.Validation.ValidationPeak.Run(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500,
        schema: !(args.Length > 2 && args[2] == "no-schema"));
    return 0;
}

if (args.Length > 0 && args[0] == "validation-profile")
{
    AiGrpc.Benchmarks.Validation.ValidationProfile.Run();
    return 0;
}

if (args.Length > 0 && args[0] == "analytics-latency")
{
    AiGrpc.Benchmarks.Analytics.AnalyticsLatency.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000);
    return 0;
}

if (args.Length > 0 && args[0] == "grpc-throughput")
{
    return await AiGrpc.Benchmarks.Analytics.GrpcThroughput.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;
