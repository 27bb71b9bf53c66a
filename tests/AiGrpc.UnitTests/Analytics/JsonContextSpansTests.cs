using System.Text;
using AiGrpc.Server.Analytics;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>Finding the context of a REST MatchInvoice body without parsing it.</summary>
public class JsonContextSpansTests
{
    private static JsonContextSpans? Find(string json) => JsonContextSpans.Find(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Projects_history_and_the_other_properties_are_found_as_written()
    {
        const string json = """{ "invoice_description": "grúa", "projects": [ {"id": 1} ], "amount": 10, "history": [] }""";
        var bytes = Encoding.UTF8.GetBytes(json);
        var spans = JsonContextSpans.Find(bytes)!;
        Assert.Equal("""[ {"id": 1} ]""", Encoding.UTF8.GetString(bytes.AsSpan()[spans.Projects]));
        Assert.Equal("[]", Encoding.UTF8.GetString(bytes.AsSpan()[spans.History]));
        Assert.Equal(["\"invoice_description\": \"grúa\"", "\"amount\": 10"], spans.Others.Select(r => Encoding.UTF8.GetString(bytes.AsSpan()[r])));
    }

    [Theory]
    [InlineData("""{"projects": [], "context_id": "0123"}""")]         // already named by id
    [InlineData("""{"projects": [], "contextId": "0123"}""")]
    [InlineData("""{"projects": [], "Context_ID": "0123"}""")]
    [InlineData("""{"Projects": [], "history": []}""")]               // another casing: the transcoder's call
    [InlineData("""{"projects": [], "projects": [{"id": 2}]}""")]     // repeated: the transcoder decides
    [InlineData("""{"projects": []} {"x": 1}""")]                      // more than one value
    [InlineData("""{"projects": [""")]                                 // truncated
    [InlineData("""[{"projects": []}]""")]                             // not an object
    [InlineData("""{"invoice_description": "grúa"}""")]               // no context at all
    [InlineData("""{"proj\u0065cts": []}""")]                          // escaped names are left to the transcoder
    public void Anything_else_is_left_to_the_transcoder(string json) => Assert.Null(Find(json));
}
