using AiGrpc.Analytics.V1;

namespace AiGrpc.IntegrationTests.Analytics;

/// <summary>A small, realistic request: three projects of a Chilean contractor and some supplier history.</summary>
internal static class AnalyticsSamples
{
    public const string SupplierRut = "76.234.567-6";

    public static object RestProjects => new object[]
    {
        new { id = 11, code = "PRJ-2024-001", name = "Ampliación Subestación Alto Jahuel 220 kV", client = "Transelec", location = "Buin", start_date = "2024-01-15", end_date = "2025-06-30", budget = 2_800_000_000, keywords = new[] { "OC-4500112233" } },
        new { id = 12, code = "PRJ-2024-006", name = "Planta Fotovoltaica Pampa Norte 80 MW", client = "Enel Green Power", location = "María Elena", start_date = "2024-02-01", end_date = "2025-08-31", budget = 7_200_000_000, keywords = Array.Empty<string>() },
        new { id = 13, code = "PRJ-2023-030", name = "Mantención eléctrica Mina Ministro Hales", client = "Codelco", location = "Calama", start_date = "2023-01-01", end_date = "2025-12-31", budget = 1_900_000_000, keywords = Array.Empty<string>() },
    };

    public static MatchInvoiceRequest Grpc(string description, string purchaseOrder = "")
    {
        var request = new MatchInvoiceRequest { InvoiceDescription = description, PurchaseOrder = purchaseOrder, SupplierRut = SupplierRut, SupplierName = "Transportes Hualpén SpA", IssueDate = "2024-09-10", Amount = 1_500_000 };
        request.Projects.Add(new Project { Id = 11, Code = "PRJ-2024-001", Name = "Ampliación Subestación Alto Jahuel 220 kV", Client = "Transelec", Location = "Buin", StartDate = "2024-01-15", EndDate = "2025-06-30", Budget = 2_800_000_000, Keywords = { "OC-4500112233" } });
        request.Projects.Add(new Project { Id = 12, Code = "PRJ-2024-006", Name = "Planta Fotovoltaica Pampa Norte 80 MW", Client = "Enel Green Power", Location = "María Elena", StartDate = "2024-02-01", EndDate = "2025-08-31" });
        request.Projects.Add(new Project { Id = 13, Code = "PRJ-2023-030", Name = "Mantención eléctrica Mina Ministro Hales", Client = "Codelco", Location = "Calama", StartDate = "2023-01-01", EndDate = "2025-12-31" });
        for (var i = 0; i < 4; i++)
        {
            request.History.Add(new AiGrpc.Analytics.V1.PastInvoice { SupplierRut = SupplierRut, SupplierName = "Transportes Hualpén SpA", Description = "transporte de personal turnos", ProjectId = 13 });
        }

        return request;
    }
}
