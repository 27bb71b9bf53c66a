using System.Buffers;
using System.IO.Hashing;
using AiGrpc.Analytics.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// Parses MatchInvoice requests off the wire (the gRPC request marshaller, <see cref="AnalyticsServiceBinding"/>),
/// reusing the parsed projects and history of a recent request whose <c>projects</c> and <c>history</c> bytes are the
/// same, byte for byte. Callers that do not use <c>context_id</c> send the same ~10 KB context with every invoice, and
/// parsing it (a hundred messages and their strings) was the largest cost of such a request. Only those bytes are
/// compared, after a hash has picked the slot: nothing is shared between requests that did not send identical context
/// bytes, whoever sent them. The shared messages are only read downstream. Bounded: <see cref="Slots"/> slots of at most
/// <see cref="MaxContextBytes"/> each; anything else (other field layouts, tiny or huge contexts, malformed input) is
/// parsed as before, and a malformed message fails exactly as before.
/// </summary>
internal static class ContextParseCache
{
    /// <summary>Slots kept (a power of two); each is the last context that hashed to it.</summary>
    public const int Slots = 32;

    /// <summary>Smallest context worth keeping: below this, parsing costs less than keeping it.</summary>
    public const int MinContextBytes = 512;

    /// <summary>Largest context kept: larger ones spend their time building the index anyway.</summary>
    public const int MaxContextBytes = 256 * 1024;

    /// <summary>Largest whole request looked at: the largest context kept and room for its invoice.</summary>
    public const int MaxRequestBytes = MaxContextBytes + (64 * 1024);

    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The request's marshaller: a <see cref="Marshaller{T}"/> whose serializer is the generated one.</summary>
    public static Marshaller<MatchInvoiceRequest> Marshaller(Marshaller<MatchInvoiceRequest> generated) =>
        Marshallers.Create(generated.ContextualSerializer, static context => Parse(context.PayloadAsReadOnlySequence()));

    /// <summary>Parses <paramref name="payload"/> as a <see cref="MatchInvoiceRequest"/>.</summary>
    public static MatchInvoiceRequest Parse(ReadOnlySequence<byte> payload)
    {
        if (payload.Length < MinContextBytes || payload.Length > MaxRequestBytes)
        {
            return MatchInvoiceRequest.Parser.ParseFrom(payload);
        }

        var length = (int)payload.Length;
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> data;
            if (payload.IsSingleSegment)
            {
                data = payload.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent(length);
                payload.CopyTo(rented);
                data = rented.AsSpan(0, length);
            }

            return Parse(data);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static MatchInvoiceRequest Parse(ReadOnlySpan<byte> data)
    {
        if (!ContextFields.TryFind(data, out var start, out var end) || end - start < MinContextBytes || end - start > MaxContextBytes)
        {
            return MatchInvoiceRequest.Parser.ParseFrom(data);
        }

        var context = data[start..end];
        var hash = Hash(context);
        ref var slot = ref Table[hash & (Slots - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && entry.Hash == hash && context.SequenceEqual(entry.Bytes))
        {
            var request = new MatchInvoiceRequest();
            request.MergeFrom(data[..start]);
            request.MergeFrom(data[end..]);
            request.Projects.AddRange(entry.Projects);
            request.History.AddRange(entry.History);
            return request;
        }

        var parsed = MatchInvoiceRequest.Parser.ParseFrom(data);
        Volatile.Write(ref slot, new Entry(hash, context.ToArray(), [.. parsed.Projects], [.. parsed.History]));
        return parsed;
    }

    private static int Hash(ReadOnlySpan<byte> bytes) => (int)XxHash3.HashToUInt64(bytes, ContextHashSeed.Value); // see ContextHashSeed

    private sealed record Entry(int Hash, byte[] Bytes, Project[] Projects, PastInvoice[] History);
}
