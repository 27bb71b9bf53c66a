using System.Buffers;
using AiGrpc.Analytics.V1;
using AiGrpc.Server.Analytics;
using Google.Protobuf;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The MatchInvoice request parser that reuses the parsed context of identical context bytes.</summary>
public class ContextParseCacheTests
{
    private static MatchInvoiceRequest Request(string invoice, string site = "Buin", int projects = 30)
    {
        var request = new MatchInvoiceRequest { InvoiceDescription = invoice, SupplierRut = "76.086.428-5", PurchaseOrder = "4500112233" };
        request.Lines.Add(new InvoiceLine { Description = invoice, Quantity = 2 });
        for (var i = 1; i <= projects; i++)
        {
            request.Projects.Add(new Project { Id = i, Name = $"Subestación {site} {i} 220 kV", Location = site, Keywords = { $"OC-45001122{i:00}" } });
            request.History.Add(new PastInvoice { SupplierRut = "76.086.428-5", Description = $"arriendo grúa obra {i}", ProjectId = i });
        }

        return request;
    }

    private static MatchInvoiceRequest Parse(IMessage message) => ContextParseCache.Parse(new ReadOnlySequence<byte>(message.ToByteArray()));

    [Fact]
    public void A_repeated_context_is_parsed_once_and_every_request_equals_a_plain_parse()
    {
        var site = Guid.NewGuid().ToString("N"); // a context no other test has sent
        var first = Parse(Request("arriendo grúa marzo", site));
        var second = Parse(Request("hormigón H30, 12 m3", site));

        Assert.Equal(Request("arriendo grúa marzo", site), first);
        Assert.Equal(Request("hormigón H30, 12 m3", site), second);
        Assert.Same(first.Projects[0], second.Projects[0]); // the second request reused the first one's parse
        Assert.Same(first.History[^1], second.History[^1]);
    }

    [Fact]
    public void A_context_that_differs_in_one_byte_is_not_shared()
    {
        var site = Guid.NewGuid().ToString("N");
        var first = Parse(Request("arriendo grúa", site));
        var other = Request("arriendo grúa", site);
        other.Projects[7].Name += "x";
        var second = Parse(other);

        Assert.Equal(other, second);
        Assert.NotSame(first.Projects[0], second.Projects[0]);
    }

    [Fact]
    public void Fields_interleaved_with_the_context_are_parsed_as_a_whole()
    {
        // Writers put fields in number order, but the wire format allows any order: a description between projects and
        // history leaves no single run of context bytes.
        var site = Guid.NewGuid().ToString("N");
        var request = Request("grúa", site);
        var projects = new MatchInvoiceRequest { Projects = { request.Projects } }.ToByteArray();
        var history = new MatchInvoiceRequest { History = { request.History } }.ToByteArray();
        var description = new MatchInvoiceRequest { InvoiceDescription = "grúa" }.ToByteArray();
        byte[] bytes = [.. projects, .. description, .. history];

        var parsed = ContextParseCache.Parse(new ReadOnlySequence<byte>(bytes));
        var again = ContextParseCache.Parse(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(MatchInvoiceRequest.Parser.ParseFrom(bytes), parsed);
        Assert.NotSame(parsed.Projects[0], again.Projects[0]);
    }

    [Fact]
    public void Malformed_input_fails_as_the_plain_parser_does()
    {
        var bytes = Request("grúa", Guid.NewGuid().ToString("N")).ToByteArray();
        var truncated = bytes[..^3];
        Assert.Throws<InvalidProtocolBufferException>(() => MatchInvoiceRequest.Parser.ParseFrom(truncated));
        Assert.Throws<InvalidProtocolBufferException>(() => ContextParseCache.Parse(new ReadOnlySequence<byte>(truncated)));
    }

    [Fact]
    public void A_payload_split_across_segments_parses_the_same()
    {
        var request = Request("grúa", Guid.NewGuid().ToString("N"));
        var bytes = request.ToByteArray();
        var first = new Segment(bytes.AsMemory(0, 100));
        var last = first.Append(bytes.AsMemory(100));
        Assert.Equal(request, ContextParseCache.Parse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
