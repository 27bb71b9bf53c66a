using AiGrpc.Common;

namespace AiGrpc.UnitTests.Validation;

/// <summary><see cref="Rut.TryKey"/> is the allocation-free twin of <see cref="Rut.TryNormalize"/>: it must accept the
/// same inputs and tell two RUTs apart exactly when their normalised texts differ; and its key must judge the check
/// digit as <see cref="Rut.Check"/> judges the text.</summary>
public class RutKeyTests
{
    [Theory]
    [InlineData("76.086.428-5", "76086428-5")]
    [InlineData("01.234.567-8", "1234567-8")] // a leading zero
    [InlineData("7608642 8 5", "76086428-5")]
    [InlineData("76354771-k", "76354771-K")]
    [InlineData("99999999-K", "99999999-K")] // the largest key: body 99,999,999
    [InlineData("1-9", "1-9")]
    public void Spellings_of_one_rut_share_a_key(string spelling, string canonical)
    {
        Assert.True(Rut.TryKey(spelling, out var key));
        Assert.True(Rut.TryKey(canonical, out var expected));
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5")] // a check digit without a body
    [InlineData("0-5")] // a body of zero
    [InlineData("123456789-2")] // nine digits of body
    [InlineData("76K54771-2")] // K inside the body
    [InlineData("76354771-KK")]
    [InlineData("\u0661\u0662\u0663-4")] // Arabic-Indic digits
    [InlineData("76.086.428_5")]
    public void Non_ruts_have_no_key(string? input) => Assert.False(Rut.TryKey(input, out _));

    [Fact]
    public void Keys_agree_with_normalised_texts_on_random_inputs()
    {
        // Inputs drawn from the characters that matter (digits, K, the skipped separators, one foreign character),
        // short enough that many are RUTs and many are not.
        const string alphabet = "0123456789kK.- x";
        var random = new Random(20261202);
        var textByKey = new Dictionary<int, string>();
        var keyByText = new Dictionary<string, int>(StringComparer.Ordinal);
        var accepted = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var chars = new char[random.Next(0, 14)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = alphabet[random.Next(alphabet.Length)];
            }

            var input = new string(chars);
            var normalises = Rut.TryNormalize(input, out var normalized);
            Assert.True(normalises == Rut.TryKey(input, out var key), input);
            if (!normalises)
            {
                continue;
            }

            accepted++;
            Assert.Equal(normalized, textByKey.TryAdd(key, normalized) ? normalized : textByKey[key]); // same key, same RUT
            Assert.Equal(key, keyByText.TryAdd(normalized, key) ? key : keyByText[normalized]); // same RUT, same key
            var (_, digitOk, expected) = Rut.Check(normalized);
            Assert.Equal(digitOk, Rut.HasRightCheckDigit(key, out var expectedFromKey));
            Assert.Equal(expected, expectedFromKey);
        }

        Assert.InRange(accepted, 10_000, 190_000); // both outcomes were exercised
        Assert.True(textByKey.Count > 1_000); // and many different RUTs, so equal keys were not an accident
    }
}
