using AiGrpc.Analytics.Matching;
using AiGrpc.Server.Analytics;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>Cached answers come back as they went in; bytes that are not such a value (another format, cut short,
/// altered) read as a miss, never as an exception or a wrong answer of the right shape.</summary>
public sealed class MatchAnswerCodecTests
{
    private static readonly MatchAnswer Matched = new(1017, 0.9987,
        "Asignada a PRJ-2024-017 Mantención subestación Puerto Montt (100 %): la referencia 4586802863 coincide con el proyecto.",
        [new ScoredProject(1003, 0.0007), new ScoredProject(1011, 0.0003), new ScoredProject(1020, 1e-9)], MatchEngines.Llm,
        ["el RUT del proveedor tiene un dígito verificador incorrecto (se esperaba K)"]);

    private static readonly MatchAnswer Abstained = new(null, 0.41, "Sin coincidencia confiable: evidencia débil.", [], MatchEngines.Local, []);

    public static TheoryData<MatchAnswer> Answers => [Matched, Abstained, Abstained with { Reasoning = string.Empty, Confidence = 0 }];

    [Theory]
    [MemberData(nameof(Answers))]
    public void An_answer_reads_back_field_for_field(MatchAnswer answer)
    {
        var decoded = MatchAnswerCodec.TryDecode(MatchAnswerCodec.Encode(answer));

        Assert.NotNull(decoded);
        Assert.Equal(answer.MatchedProjectId, decoded.MatchedProjectId);
        Assert.Equal(answer.Confidence, decoded.Confidence);
        Assert.Equal(answer.Reasoning, decoded.Reasoning);
        Assert.Equal(answer.Alternatives, decoded.Alternatives);
        Assert.Equal(answer.Engine, decoded.Engine);
        Assert.Equal(answer.Warnings, decoded.Warnings);
    }

    [Fact]
    public void Every_truncation_and_an_extra_byte_read_as_a_miss()
    {
        var bytes = MatchAnswerCodec.Encode(Matched);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(MatchAnswerCodec.TryDecode(bytes.AsSpan(0, length)));
        }

        Assert.Null(MatchAnswerCodec.TryDecode([.. bytes, 0]));
    }

    [Fact]
    public void Another_format_json_and_oversized_counts_read_as_a_miss()
    {
        var bytes = MatchAnswerCodec.Encode(Abstained);
        Assert.Null(MatchAnswerCodec.TryDecode([(byte)(bytes[0] + 1), .. bytes[1..]]));
        Assert.Null(MatchAnswerCodec.TryDecode("{\"matchedProjectId\":1017,\"confidence\":0.99}"u8));

        // The alternatives' count follows the format byte, the match flag, the id, the confidence and the reasoning.
        var countAt = 1 + 1 + 4 + 8 + 4 + System.Text.Encoding.UTF8.GetByteCount(Abstained.Reasoning);
        foreach (var count in new[] { -1, 1025, int.MaxValue, 1 })
        {
            var altered = bytes.ToArray();
            BitConverter.TryWriteBytes(altered.AsSpan(countAt), count);
            Assert.Null(MatchAnswerCodec.TryDecode(altered));
        }
    }

    [Fact]
    public void Altered_bytes_never_throw()
    {
        var bytes = MatchAnswerCodec.Encode(Matched);
        var random = new Random(20261202);
        for (var i = 0; i < 20_000; i++)
        {
            var altered = bytes.ToArray();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                altered[random.Next(altered.Length)] = (byte)random.Next(256);
            }

            _ = MatchAnswerCodec.TryDecode(altered); // a miss or some answer; what matters is that it returns
        }

        Assert.NotNull(MatchAnswerCodec.TryDecode(bytes));
    }
}
