using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Rules;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>The payroll month and the peso arithmetic every rule stands on: both ends of each range, the tolerances
/// from both sides, and the Chilean writing of amounts that the findings show.</summary>
public class PeriodAndMoneyTests
{
    [Theory]
    [InlineData("2000-01", 2000, 1)]
    [InlineData("2099-12", 2099, 12)]
    [InlineData("2025-10", 2025, 10)]
    public void A_month_written_yyyy_mm_is_read_at_both_ends_of_the_range(string text, int year, int month)
    {
        Assert.True(PayrollPeriod.TryParse(text, out var period));
        Assert.Equal(new PayrollPeriod(year, month), period);
        Assert.Equal(period, PayrollPeriod.Parse(text));
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1999-12")]
    [InlineData("2100-01")]
    [InlineData("2025-00")]
    [InlineData("2025-13")]
    [InlineData("2025-1")]
    [InlineData("2025-100")]
    [InlineData("2025/10")]
    [InlineData("2025-1a")]
    [InlineData("202a-10")]
    [InlineData("+025-10")]
    [InlineData("2025-10-01")]
    public void Anything_else_is_not_a_month(string? text)
    {
        Assert.False(PayrollPeriod.TryParse(text, out var period));
        Assert.Equal(default, period);
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => PayrollPeriod.Parse(text));
        }
    }

    [Fact]
    public void Months_know_their_days_neighbours_and_order()
    {
        var february = new PayrollPeriod(2024, 2);
        Assert.Equal((new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 29), 29), (february.FirstDay, february.LastDay, february.DaysInMonth));
        Assert.Equal(new PayrollPeriod(2023, 12), new PayrollPeriod(2024, 1).Previous);
        Assert.Equal(new PayrollPeriod(2024, 1), february.Previous);
        Assert.Equal(february, PayrollPeriod.Of(new DateOnly(2024, 2, 17)));
        Assert.True(february.Contains(new DateOnly(2024, 2, 29)));
        Assert.False(february.Contains(new DateOnly(2024, 3, 1)));
        Assert.False(february.Contains(new DateOnly(2023, 2, 1)));

        var december = new PayrollPeriod(2023, 12);
        Assert.True(december < february && february > december && december <= february && february >= december);
        Assert.False(february < december || december > february || february <= december || december >= february);
        var same = new PayrollPeriod(2024, 2);
        Assert.True(february <= same && february >= same && !(february < same) && !(february > same));
        Assert.Equal(0, february.CompareTo(new PayrollPeriod(2024, 2)));
        Assert.Equal(2, february.CompareTo(december));
        Assert.Equal(-12, new PayrollPeriod(2023, 2).CompareTo(february));
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(-0.5, -1)]
    [InlineData(1.49, 1)]
    [InlineData(2.5, 3)]
    public void Pesos_round_half_away_from_zero(double amount, double rounded) => Assert.Equal((decimal)rounded, Money.Round((decimal)amount));

    [Fact]
    public void A_percentage_is_rounded_once()
    {
        Assert.Equal(119658m, Money.Percent(1709396m, 7m));
        Assert.Equal(3m, Money.Percent(25m, 10m));
    }

    [Theory]
    [InlineData(100, 101, 1, true)]
    [InlineData(100, 99, 1, true)]
    [InlineData(100, 101.01, 1, false)]
    [InlineData(100, 98.99, 1, false)]
    [InlineData(100, 103, 3, true)]
    [InlineData(100, 103.5, 3, false)]
    public void Near_allows_the_tolerance_on_both_sides_and_no_more(double actual, double expected, double tolerance, bool near) =>
        Assert.Equal(near, Money.Near((decimal)actual, (decimal)expected, (decimal)tolerance));

    [Fact]
    public void Near_defaults_to_one_rounding_step()
    {
        Assert.True(Money.Near(10m, 11m));
        Assert.False(Money.Near(10m, 11.5m));
    }

    [Theory]
    [InlineData(99, true)]
    [InlineData(201, true)]
    [InlineData(98.9, false)]
    [InlineData(201.1, false)]
    [InlineData(150, true)]
    public void Within_allows_one_step_outside_the_range(double actual, bool within) => Assert.Equal(within, Money.Within((decimal)actual, 100m, 200m));

    [Theory]
    [InlineData(1234567, "$1.234.567")]
    [InlineData(-1234567, "-$1.234.567")]
    [InlineData(0, "$0")]
    [InlineData(1234.5, "$1.234,50")]
    public void Amounts_are_written_the_chilean_way(double amount, string written) => Assert.Equal(written, Money.Clp((decimal)amount));

    [Fact]
    public void Rates_and_units_are_written_the_chilean_way()
    {
        Assert.Equal("11,27 %", Money.Pct(11.27m));
        Assert.Equal("7 %", Money.Pct(7m));
        Assert.Equal("87,8", Money.Units(87.8m));
        Assert.Equal("39.597,67", Money.Units(39597.67m));
    }
}
