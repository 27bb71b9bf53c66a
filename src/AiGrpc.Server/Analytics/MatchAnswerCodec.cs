using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AiGrpc.Analytics.Matching;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// The bytes a cached <see cref="MatchAnswer"/> is kept as (in memory or in Redis). Binary rather than JSON: a
/// cache hit must cost less than the match it saves, and decoding the JSON of an answer took about as long as the
/// local engine takes to match. Layout (little-endian): format byte, matched project (a byte saying whether there is
/// one, then the id as an int), confidence (double), reasoning, alternatives (count, then id and confidence each),
/// engine, warnings (count, then each); strings as a length-prefixed UTF-8 run. Anything else (another format, truncated, oversized) reads as a miss.
/// </summary>
public static class MatchAnswerCodec
{
    /// <summary>First byte of the current layout; change it when the layout changes.</summary>
    private const byte Format = 2;

    /// <summary>At most this many alternatives or warnings in a value; more means it is not one of ours.</summary>
    private const int MaxItems = 1024;

    /// <summary>The answer as bytes.</summary>
    public static byte[] Encode(MatchAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var buffer = new ArrayBufferWriter<byte>(256 + (3 * answer.Reasoning.Length));
        WriteByte(buffer, Format);
        WriteByte(buffer, answer.MatchedProjectId is null ? (byte)0 : (byte)1);
        WriteInt(buffer, answer.MatchedProjectId ?? 0);
        WriteDouble(buffer, answer.Confidence);
        WriteString(buffer, answer.Reasoning);
        WriteInt(buffer, answer.Alternatives.Count);
        foreach (var alternative in answer.Alternatives)
        {
            WriteInt(buffer, alternative.ProjectId);
            WriteDouble(buffer, alternative.Confidence);
        }

        WriteString(buffer, answer.Engine);
        WriteInt(buffer, answer.Warnings.Count);
        foreach (var warning in answer.Warnings)
        {
            WriteString(buffer, warning);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The answer in <paramref name="bytes"/>, or null when they are not a value of this layout.</summary>
    public static MatchAnswer? TryDecode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        if (!reader.Byte(out var format) || format != Format
            || !reader.Byte(out var hasMatch) || hasMatch > 1 || !reader.Int(out var matched) || !reader.Double(out var confidence) || !reader.String(out var reasoning)
            || !reader.Count(out var alternativeCount))
        {
            return null;
        }

        var alternatives = new ScoredProject[alternativeCount];
        for (var i = 0; i < alternatives.Length; i++)
        {
            if (!reader.Int(out var id) || !reader.Double(out var p))
            {
                return null;
            }

            alternatives[i] = new ScoredProject(id, p);
        }

        if (!reader.String(out var engine) || !reader.Count(out var warningCount))
        {
            return null;
        }

        var warnings = new string[warningCount];
        for (var i = 0; i < warnings.Length; i++)
        {
            if (!reader.String(out warnings[i]))
            {
                return null;
            }
        }

        return reader.AtEnd ? new MatchAnswer(hasMatch == 1 ? matched : null, confidence, reasoning, alternatives, engine, warnings) : null;
    }

    private static void WriteByte(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private static void WriteInt(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static void WriteDouble(ArrayBufferWriter<byte> buffer, double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt(buffer, length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    /// <summary>Reads forward; every read says whether the bytes held what was asked.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool Byte(out byte value)
        {
            value = _rest.IsEmpty ? (byte)0 : _rest[0];
            return Take(1, out _);
        }

        public bool Int(out int value)
        {
            value = _rest.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(_rest) : 0;
            return Take(4, out _);
        }

        public bool Double(out double value)
        {
            value = _rest.Length >= 8 ? BinaryPrimitives.ReadDoubleLittleEndian(_rest) : 0;
            return Take(8, out _);
        }

        public bool Count(out int count) => Int(out count) && count is >= 0 and <= MaxItems;

        public bool String(out string value)
        {
            value = string.Empty;
            if (!Int(out var length) || length < 0 || !Take(length, out var utf8))
            {
                return false;
            }

            value = Encoding.UTF8.GetString(utf8);
            return true;
        }

        private bool Take(int length, out ReadOnlySpan<byte> taken)
        {
            if ((uint)length > (uint)_rest.Length)
            {
                taken = default;
                return false;
            }

            taken = _rest[..length];
            _rest = _rest[length..];
            return true;
        }
    }
}
