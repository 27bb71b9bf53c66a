using System.Text.Json;
using AiGrpc.Client;
using Grpc.Core;

// Usage: aigrpc <command> [--address http://localhost:50051] [--key KEY]
//   health   grpc.health.v1.Health/Check (no key needed); exit code 0 when SERVING
//   report   aigrpc.health.v1.HealthService/GetHealth (needs a key unless the server runs in development mode)
// The key may also come from the AIGRPC_API_KEY environment variable.
var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "health";
var address = new Uri(Option("--address") ?? Environment.GetEnvironmentVariable("AIGRPC_ADDRESS") ?? "http://localhost:50051");
var key = Option("--key") ?? Environment.GetEnvironmentVariable("AIGRPC_API_KEY");
var json = new JsonSerializerOptions { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

using var client = AiGrpcClientFactory.Create(new AiGrpcClientOptions { Address = address, ApiKey = key, DefaultDeadline = TimeSpan.FromSeconds(5) });
try
{
    switch (command)
    {
        case "health":
            var serving = await client.Health.IsServingAsync();
            Console.WriteLine(serving ? "SERVING" : "NOT_SERVING");
            return serving ? 0 : 1;
        case "report":
            Console.WriteLine(JsonSerializer.Serialize(await client.Health.GetReportAsync(), json));
            return 0;
        default:
            Console.Error.WriteLine($"unknown command '{command}'; try: health, report");
            return 2;
    }
}
catch (RpcException ex)
{
    Console.Error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
    return 3;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
