using System.Text.Json;
using AiGrpc.Client;
using Grpc.Core;

// Usage: aigrpc <command> [--address http://localhost:50051] [--key KEY]
//   health   grpc.health.v1.Health/Check (no key needed); exit code 0 when SERVING
//   report   aigrpc.health.v1.HealthService/GetHealth (needs a key unless the server runs in development mode)
//   analytics match --file request.json
//            MatchInvoice through the typed client; the file has the REST request's snake_case shape
//            ({"invoice_description", "supplier_rut", ..., "projects": [...], "history": [...]}); prints the match as JSON
// The key may also come from the AIGRPC_API_KEY environment variable.
var words = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToArray();
var command = string.Join(' ', words.DefaultIfEmpty("health"));
var address = new Uri(Option("--address") ?? Environment.GetEnvironmentVariable("AIGRPC_ADDRESS") ?? "http://localhost:50051");
var key = Option("--key") ?? Environment.GetEnvironmentVariable("AIGRPC_API_KEY");
// Spanish as written ("Asignada a … según"), not as \u00F3 escapes: the output is read by people on a UTF-8 console.
Console.OutputEncoding = System.Text.Encoding.UTF8;
var json = new JsonSerializerOptions
{
    WriteIndented = true,
    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
};

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
        case "analytics match":
            var file = Option("--file") ?? throw new ArgumentException("analytics match needs --file request.json");
            var request = JsonSerializer.Deserialize<MatchFile>(await File.ReadAllTextAsync(file), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
                ?? throw new ArgumentException($"{file} is empty");
            var match = await client.Analytics.MatchInvoiceAsync(
                new InvoiceInput(request.InvoiceDescription, request.SupplierRut, request.SupplierName, request.Amount, request.IssueDate, request.PurchaseOrder, request.Lines),
                request.Projects ?? [], request.History);
            Console.WriteLine(JsonSerializer.Serialize(match, json));
            return 0;
        default:
            Console.Error.WriteLine($"unknown command '{command}'; try: health, report, analytics match --file request.json");
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

/// <summary>The REST request's shape (snake_case in the file), mapped onto the client library's records.</summary>
internal sealed record MatchFile(
    string? InvoiceDescription,
    string? SupplierRut,
    string? SupplierName,
    double? Amount,
    DateOnly? IssueDate,
    string? PurchaseOrder,
    IReadOnlyList<InvoiceLineInput>? Lines,
    IReadOnlyList<ProjectInput>? Projects,
    IReadOnlyList<PastInvoiceInput>? History);
