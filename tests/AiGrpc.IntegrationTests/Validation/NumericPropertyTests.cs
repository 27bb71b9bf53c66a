using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiGrpc.Validation.V1;
using Grpc.Core;

namespace AiGrpc.IntegrationTests.Validation;

/// <summary>
/// Arithmetic never throws: random numbers (zero, negative, huge, fractional, at the limits of int64 and double) in
/// every numeric field of every validation route, over REST and gRPC, never answer INTERNAL. Seeded, so a failure
/// reproduces. The first rounds are the case that once divided by zero: gross amounts with a VAT rate of -100.
/// </summary>
public class NumericPropertyTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Rounds = 120;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly double[] Edges = [0, -0.0, 1, -1, -100, 100, 0.5, -0.5, 19, 1e6, 1e15, -1e15, 1e18, 9.2e18, -9.2e18, 1e300, -1e300, double.Epsilon, 123456.789];

    private static double Next(Random random) => random.Next(3) == 0 ? Edges[random.Next(Edges.Length)] : (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(0, 19));

    private static long NextLong(Random random) => random.Next(4) switch
    {
        0 => long.MaxValue,
        1 => long.MinValue,
        2 => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
        _ => (long)Math.Clamp(Edges[random.Next(Edges.Length)], -9e18, 9e18),
    };

    [Fact]
    public async Task Structured_documents_over_rest_and_grpc_never_answer_internal()
    {
        var random = new Random(20261206);
        using var rest = app.CreateRestClient();
        using var channel = app.CreateChannel();
        var client = new ValidationService.ValidationServiceClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + AppFactory.ApiKey } };
        for (var i = 0; i < Rounds; i++)
        {
            var document = new StructuredDocument
            {
                DocumentType = random.Next(3) == 0 ? random.Next() : new[] { 33, 34, 39, 41, 46, 52, 56, 61, 110, 111, 112 }[random.Next(11)],
                Folio = NextLong(random),
                IssueDate = "2024-03-01",
                Issuer = new Party { Rut = "76354771-K", Name = "Emisor" },
                Receiver = new Party { Rut = "96790240-3", Name = "Receptor" },
                GrossAmounts = i < 10 || random.Next(2) == 0,
                Totals = new Totals { Net = NextLong(random), Exempt = NextLong(random), VatRate = i < 10 ? -100 : Next(random), Vat = NextLong(random), Total = NextLong(random) },
            };
            document.Totals.Taxes.Add(new Tax { Code = random.Next(-5, 400), Rate = Next(random), Amount = NextLong(random) });
            document.Lines.Add(new Line { Name = "Ítem", Quantity = Next(random), Price = Next(random), Discount = NextLong(random), Surcharge = NextLong(random), Amount = i < 10 ? 119_000 : NextLong(random) });

            var request = new ValidateDteRequest { Document = document };
            var status = StatusCode.OK;
            try
            {
                await client.ValidateDteAsync(request, headers, cancellationToken: Ct);
            }
            catch (RpcException ex)
            {
                status = ex.StatusCode;
            }

            Assert.True(status is StatusCode.OK or StatusCode.InvalidArgument, $"gRPC round {i}: {status} for {document}");

            using var body = new StringContent(Google.Protobuf.JsonFormatter.Default.Format(request), Encoding.UTF8, "application/json");
            using var response = await rest.PostAsync("/api/v1/validation/dte", body, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"REST round {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    [Fact]
    public async Task The_modules_routes_never_answer_internal()
    {
        var random = new Random(20261207);
        using var rest = app.CreateRestClient();
        string[] amounts = ["monto_neto", "monto_iva", "iva", "monto_exento", "monto_total", "tasa_iva", "folio", "tipo_dte"];
        for (var i = 0; i < Rounds; i++)
        {
            var data = new JsonObject { ["tipo_dte"] = 33, ["rut_emisor"] = "76354771-K", ["fecha_emision"] = "2024-03-01" };
            foreach (var key in amounts.Where(_ => random.Next(3) > 0))
            {
                var value = Next(random);
                data[key] = random.Next(4) == 0 ? JsonValue.Create(value.ToString("R", CultureInfo.InvariantCulture)) : JsonValue.Create(value);
            }

            var history = new JsonArray();
            for (var h = random.Next(0, 6); h > 0; h--)
            {
                history.Add(new JsonObject { ["tipo_dte"] = "33", ["folio"] = Next(random), ["monto_total"] = Next(random), ["fecha_emision"] = "2024-02-01" });
            }

            var body = new JsonObject { ["dte_data"] = data, ["company_id"] = 1, ["history"] = history, ["mode"] = random.Next(2) == 0 ? "reception" : "" };
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await rest.PostAsync("/api/ai/validate", content, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"legacy round {i}: {(int)response.StatusCode} {body.ToJsonString()}");

            var received = new JsonObject
            {
                ["document"] = new JsonObject { ["document_type"] = 33, ["folio"] = 10, ["total"] = Next(random), ["net"] = Next(random), ["vat"] = Next(random), ["exempt"] = Next(random) },
                ["history"] = new JsonArray(new JsonObject { ["document_type"] = 33, ["folio"] = 9, ["total"] = Next(random) }, new JsonObject { ["document_type"] = 33, ["folio"] = 8, ["total"] = Next(random) }, new JsonObject { ["document_type"] = 33, ["folio"] = 7, ["total"] = Next(random) }),
            };
            using var receivedContent = new StringContent(received.ToJsonString(), Encoding.UTF8, "application/json");
            using var receivedResponse = await rest.PostAsync("/api/v1/validation/received", receivedContent, Ct);
            Assert.True(receivedResponse.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"received round {i}: {(int)receivedResponse.StatusCode} {received.ToJsonString()}");
        }
    }
}
