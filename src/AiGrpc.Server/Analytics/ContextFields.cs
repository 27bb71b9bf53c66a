using AiGrpc.Analytics.V1;

namespace AiGrpc.Server.Analytics;

/// <summary>Finds the bytes of a serialized <see cref="MatchInvoiceRequest"/>'s <c>projects</c> and <c>history</c>
/// fields by walking its top-level tags (protobuf wire format), without parsing anything.</summary>
internal static class ContextFields
{
    /// <summary>True when the message is well-formed at the top level and its <c>projects</c> and <c>history</c> fields
    /// are one contiguous run of bytes <c>[start, end)</c> (as every serializer writes fields in number order); false
    /// otherwise, and the caller parses the message as a whole.</summary>
    public static bool TryFind(ReadOnlySpan<byte> data, out int start, out int end)
    {
        start = -1;
        end = -1;
        var position = 0;
        while (position < data.Length)
        {
            var fieldStart = position;
            if (!TryReadVarint(data, ref position, out var tag) || !TrySkip(data, ref position, (int)(tag & 7)))
            {
                return false;
            }

            var field = tag >> 3;
            if (field is MatchInvoiceRequest.ProjectsFieldNumber or MatchInvoiceRequest.HistoryFieldNumber)
            {
                if (start < 0)
                {
                    start = fieldStart;
                }
                else if (fieldStart != end)
                {
                    return false; // interleaved with other fields: not one run
                }

                end = position;
            }
        }

        return start >= 0;
    }

    private static bool TrySkip(ReadOnlySpan<byte> data, ref int position, int wireType)
    {
        switch (wireType)
        {
            case 0:
                return TryReadVarint(data, ref position, out _);
            case 1:
                return Advance(data, ref position, 8);
            case 2:
                return TryReadVarint(data, ref position, out var length) && length <= (ulong)(data.Length - position) && Advance(data, ref position, (int)length);
            case 5:
                return Advance(data, ref position, 4);
            default:
                return false; // groups and invalid wire types: let the parser decide
        }
    }

    private static bool Advance(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (count > data.Length - position)
        {
            return false;
        }

        position += count;
        return true;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
