using System.Globalization;
using AiGrpc.Server.Analytics;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The digit-by-digit <c>YYYY-MM-DD</c> reader must accept exactly what the general parser accepts, with the
/// same value, or decline (null) and leave the string to the general parser.</summary>
public sealed class IsoDateTests
{
    [Fact]
    public void Every_day_of_four_centuries_reads_as_the_general_parser_reads_it()
    {
        var read = 0;
        for (var day = new DateOnly(1900, 1, 1); day < new DateOnly(2300, 1, 1); day = day.AddDays(1))
        {
            var text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(day, AnalyticsRequestReader.IsoDate(text));
            read++;
        }

        Assert.Equal(146_097, read);
    }

    [Theory]
    [InlineData("2023-02-29")] // not a leap year
    [InlineData("1900-02-29")] // century, not a leap year
    [InlineData("2024-13-01")]
    [InlineData("2024-00-10")]
    [InlineData("2024-04-31")]
    [InlineData("2024-04-00")]
    [InlineData("0000-01-01")]
    [InlineData("2024-1-01x")]
    [InlineData("2024/01/01")]
    [InlineData("24-01-2024")]
    [InlineData(" 2024-01-1")]
    [InlineData("2024-01-0a")]
    [InlineData("\u0662\u0660\u0662\u0664-01-01")] // Arabic-Indic digits
    [InlineData("2024-01-01T00")]
    [InlineData("")]
    public void Anything_else_is_declined_and_agrees_with_the_general_parser_when_it_would_be_read(string text)
    {
        var fast = AnalyticsRequestReader.IsoDate(text);
        var general = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        Assert.Null(fast);
        if (text.Length == 10)
        {
            Assert.False(general, $"the general parser reads '{text}' as {parsed}");
        }
    }

    [Fact]
    public void Leap_days_are_read()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), AnalyticsRequestReader.IsoDate("2024-02-29"));
        Assert.Equal(new DateOnly(2000, 2, 29), AnalyticsRequestReader.IsoDate("2000-02-29"));
        Assert.Equal(new DateOnly(9999, 12, 31), AnalyticsRequestReader.IsoDate("9999-12-31"));
        Assert.Equal(new DateOnly(1, 1, 1), AnalyticsRequestReader.IsoDate("0001-01-01"));
    }
}
