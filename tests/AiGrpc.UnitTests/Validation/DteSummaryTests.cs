using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary><see cref="DteSummary"/>: the parsed type and date, the amount a summary is for, and how loose input
/// (doubles, dates with a time, RUTs in any spelling) is read.</summary>
public class DteSummaryTests
{
    [Theory]
    [InlineData("33", 33)]
    [InlineData(" 33", null)]
    [InlineData("+33", null)]
    [InlineData("-33", null)]
    [InlineData("factura", null)]
    [InlineData(null, null)]
    public void The_type_is_a_plain_number(string? text, int? type) =>
        Assert.Equal(type, new DteSummary { TypeText = text }.Type);

    [Fact]
    public void The_issue_date_is_read_only_in_iso_form()
    {
        Assert.Equal(new DateOnly(2025, 3, 10), new DteSummary { IssueDateText = "2025-03-10" }.IssueDate);
        Assert.Null(new DteSummary { IssueDateText = "10/03/2025" }.IssueDate);
        Assert.Null(new DteSummary().IssueDate);
    }

    [Theory]
    [InlineData(119.0, 1.0, 2.0, 3.0, 119.0)]   // MntTotal wins
    [InlineData(null, 100.0, 5.0, 19.0, 124.0)]  // else the sum of the parts
    [InlineData(null, 100.0, null, null, 100.0)]
    [InlineData(null, null, 5.0, null, 5.0)]
    [InlineData(null, null, null, 19.0, 19.0)]
    [InlineData(null, null, null, null, null)]
    public void The_amount_is_the_total_or_the_sum_of_the_parts(double? total, double? net, double? exempt, double? vat, double? amount)
    {
        var summary = new DteSummary { Total = (decimal?)total, Net = (decimal?)net, Exempt = (decimal?)exempt, Vat = (decimal?)vat };
        Assert.Equal((decimal?)amount, summary.Amount);
    }

    [Theory]
    [InlineData(12.5, "12.5")]
    [InlineData(-3.0, "-3")]
    [InlineData(1e25, "100000000000000000000")]
    [InlineData(-1e25, "-100000000000000000000")]
    [InlineData(double.PositiveInfinity, "100000000000000000000")]
    [InlineData(double.NegativeInfinity, "-100000000000000000000")]
    [InlineData(double.NaN, "-1")]
    public void Doubles_become_decimals_without_overflow(double value, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), DteSummary.AmountOf(value));

    [Theory]
    [InlineData("2025-10-01", "2025-10-01")]
    [InlineData(" 2025-10-01 ", "2025-10-01")]
    [InlineData("2025-10-01T13:45:00", "2025-10-01")]
    [InlineData("2025-10-01 13:45:00", "2025-10-01")]
    [InlineData("2025-10-01X13:45:00", "2025-10-01X13:45:00")]
    [InlineData("2025-13-01T00:00:00", "2025-13-01T00:00:00")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Dates_with_a_time_keep_their_date_part_and_other_text_is_kept(string? text, string? expected) =>
        Assert.Equal(expected, DteSummary.DatePart(text));

    [Theory]
    [InlineData("76.123.456-0", "76123456-0")]
    [InlineData("cl761234560", "76123456-0")]
    [InlineData(" CL76123456-0 ", "76123456-0")]
    [InlineData("CL", "CL")]
    [InlineData("no es rut", "no es rut")]
    [InlineData(" ", null)]
    [InlineData(null, null)]
    public void Ruts_in_any_usual_spelling_are_normalised(string? text, string? expected) =>
        Assert.Equal(expected, DteSummary.NormalizeRut(text));
}
