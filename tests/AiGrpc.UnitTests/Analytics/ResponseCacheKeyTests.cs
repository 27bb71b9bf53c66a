using AiGrpc.Analytics.V1;
using AiGrpc.Server.Analytics;
using Google.Protobuf.Reflection;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The response-cache key of a MatchInvoice is its context id plus the invoice's own fields: every field
/// that is not projects, history or context id must be among them, or two different invoices would share an answer.</summary>
public class ResponseCacheKeyTests
{
    private static readonly HashSet<string> ContextFields = ["projects", "history", "context_id"];

    [Fact]
    public void The_invoice_part_carries_every_field_but_the_context()
    {
        var request = new MatchInvoiceRequest
        {
            InvoiceDescription = "Arriendo grúa",
            SupplierRut = "76.234.567-6",
            SupplierName = "Grúas del Norte SpA",
            Amount = 1_250_000,
            IssueDate = "2024-09-10",
            PurchaseOrder = "4500112233",
            Lines = { new InvoiceLine { Description = "hh operador", Quantity = 8, Unit = "hh", UnitPrice = 25_000 } },
            Projects = { new Project { Id = 1, Name = "A" } },
            History = { new AiGrpc.Analytics.V1.PastInvoice { Description = "x", ProjectId = 1 } },
            ContextId = "0123456789abcdef0123456789abcdef",
        };

        // The sample sets every field, so a field added to the message later cannot slip past this test.
        foreach (var field in MatchInvoiceRequest.Descriptor.Fields.InDeclarationOrder())
        {
            Assert.True(IsSet(field, request), $"the sample request leaves {field.Name} unset");
        }

        var part = MatchContexts.InvoiceFields(request);
        foreach (var field in MatchInvoiceRequest.Descriptor.Fields.InDeclarationOrder())
        {
            if (ContextFields.Contains(field.Name))
            {
                Assert.False(IsSet(field, part), $"{field.Name} belongs to the context, not to the invoice");
            }
            else
            {
                Assert.Equal(field.Accessor.GetValue(request), field.Accessor.GetValue(part));
            }
        }
    }

    private static bool IsSet(FieldDescriptor field, MatchInvoiceRequest message) => field.Accessor.GetValue(message) switch
    {
        null => false,
        string s => s.Length > 0,
        System.Collections.IList list => list.Count > 0,
        _ => true,
    };
}
