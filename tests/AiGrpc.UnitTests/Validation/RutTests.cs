using AiGrpc.Common;

namespace AiGrpc.UnitTests.Validation;

/// <summary>The edges of <see cref="Rut"/> that the RUT and TED checks rely on: null and blank inputs, the 20-character
/// input bound on both sides, and what an output parameter holds when reading fails.</summary>
public class RutTests
{
    [Theory]
    [InlineData(null, "76354771-K")]
    [InlineData("76354771-K", null)]
    [InlineData(null, null)]
    public void A_missing_rut_is_never_the_same_rut(string? a, string? b) => Assert.False(Rut.SameRut(a, b));

    [Theory]
    [InlineData("76354771-K", "076354771-k", true)]
    [InlineData(" 76354771-K ", "76354771-K", true)]
    [InlineData("76354771-K", "76354771-0", false)]
    public void The_same_rut_ignores_leading_zeros_case_and_surrounding_spaces(string a, string b, bool same) =>
        Assert.Equal(same, Rut.SameRut(a, b));

    [Fact]
    public void Twenty_characters_are_read_and_twenty_one_are_not()
    {
        const string twenty = "   76.354.771-K     ";
        Assert.Equal(20, twenty.Length);
        Assert.True(Rut.TryNormalize(twenty, out var normalized));
        Assert.Equal("76354771-K", normalized);
        Assert.True(Rut.TryKey(twenty, out var key));
        Assert.True(Rut.TryKey("76354771-K", out var expected));
        Assert.Equal(expected, key);

        Assert.False(Rut.TryNormalize(twenty + " ", out normalized));
        Assert.Equal(string.Empty, normalized);
        Assert.False(Rut.TryKey(twenty + " ", out key));
        Assert.Equal(0, key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("76354771/K")]
    [InlineData("5")]
    public void A_failed_reading_leaves_an_empty_normalised_form(string? input)
    {
        Assert.False(Rut.TryNormalize(input, out var normalized));
        Assert.Equal(string.Empty, normalized);
    }

    [Theory]
    [InlineData(76354771, 'K')]
    [InlineData(96790240, '3')]
    [InlineData(13185095, '6')]
    [InlineData(1, '9')]
    [InlineData(11, '6')]
    [InlineData(0, '0')]
    public void Check_digits_follow_modulo_11(long body, char digit) => Assert.Equal(digit, Rut.CheckDigit(body));

    [Theory]
    [InlineData("76354771-K", true, true, 'K')]
    [InlineData("76354771-k", true, true, 'K')]
    [InlineData("76354771-1", true, false, 'K')]
    [InlineData("76.354.771-K", false, false, '?')]
    [InlineData("-K", false, false, '?')]
    [InlineData("123456789-K", false, false, '?')]
    [InlineData("76354771K", false, false, '?')]
    [InlineData("76354771-X", false, false, '?')]
    [InlineData(null, false, false, '?')]
    public void Check_reads_format_and_check_digit(string? rut, bool format, bool digit, char expected)
    {
        Assert.Equal((format, digit, expected), Rut.Check(rut));
        Assert.Equal(format && digit, Rut.IsValid(rut));
        Assert.Equal(format, Rut.HasValidFormat(rut));
    }
}
