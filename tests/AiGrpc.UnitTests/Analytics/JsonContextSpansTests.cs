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
    [InlineData("""{"projects": [{"name": "a ] } \" [ {", "x": "\\"}], "amount": -1.5e3, "flag": true, "note": null, "history": [ ]}""")]
    [InlineData("{\n\t\"history\" :\r\n[ {\"d\": \"}]\"} ] ,\"projects\":[],\"lines\":[{\"q\":[1,[2,{}]]}]\n}\n")]
    [InlineData("""{"invoice_description": "OC \u00d1u\u00f1oa [2]", "projects": [{"keywords": ["4500", "{x}"]}]}""")]
    public void Values_end_where_a_json_reader_says(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var spans = JsonContextSpans.Find(bytes)!;
        using var document = System.Text.Json.JsonDocument.Parse(bytes);
        var values = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        if (values.TryGetValue("projects", out var projects))
        {
            Assert.Equal(projects, Encoding.UTF8.GetString(bytes.AsSpan()[spans.Projects]));
        }

        if (values.TryGetValue("history", out var history))
        {
            Assert.Equal(history, Encoding.UTF8.GetString(bytes.AsSpan()[spans.History]));
        }

        var others = document.RootElement.EnumerateObject().Where(p => p.Name is not "projects" and not "history").Select(p => p.Value.GetRawText());
        Assert.Equal(others, spans.Others.Select(r => Encoding.UTF8.GetString(bytes.AsSpan()[r])).Select(o => o[(o.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()));
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
    [InlineData("""{"projects": [{"a": "b]}""")]                       // a string that never closes
    [InlineData("""{"projects": [], "amount": }""")]                   // a property without a value
    [InlineData("""{"projects" [] }""")]                               // no colon
    [InlineData("""{"projects": [],}""")]                              // a trailing comma
    public void Anything_else_is_left_to_the_transcoder(string json) => Assert.Null(Find(json));

    [Fact]
    public void A_known_value_is_taken_whole_and_anything_after_it_still_judged()
    {
        var known = Encoding.UTF8.GetBytes("""[{"id": 1, "name": "a ] \" ["}]""");
        var json = Encoding.UTF8.GetBytes("""{"amount": 5, "projects": [{"id": 1, "name": "a ] \" ["}], "history": []}""");
        var spans = JsonContextSpans.Find(json, [known])!;
        Assert.Equal(known, json.AsSpan()[spans.Projects].ToArray());
        Assert.Equal("[]", Encoding.UTF8.GetString(json.AsSpan()[spans.History]));

        // The same start followed by more than a value: not a body this reading takes apart.
        Assert.Null(JsonContextSpans.Find(Encoding.UTF8.GetBytes("""{"projects": [{"id": 1, "name": "a ] \" ["}]], "history": []}"""), [known]));

        // A different value: read as usual.
        var other = Encoding.UTF8.GetBytes("""{"projects": [{"id": 2}], "history": []}""");
        Assert.Equal("""[{"id": 2}]""", Encoding.UTF8.GetString(other.AsSpan()[JsonContextSpans.Find(other, [known])!.Projects]));
    }
}
