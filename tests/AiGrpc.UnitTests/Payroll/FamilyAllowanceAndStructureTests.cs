using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// Asignación familiar (DFL 150: whole cargas × the tramo's amount; tramos A $20.000, B $12.000, C $4.000, D nothing in
/// the round month), the payslip's structure, and the facts the rules read from it (days paid on the 30-day month).
/// </summary>
public class FamilyAllowanceAndStructureTests
{
    private static RuleContext Allowance(decimal paid, MonthlyIndicators? month = null, DateOnly? from = null)
    {
        var context = Context(Slip(1000000m, Line("BASIC", 1000000m), Line("ASIGFAM_SOPA", paid)) with { DateFrom = from }, month ?? Month());
        new FamilyAllowanceRule().Run(context);
        return context;
    }

    [Theory]
    [InlineData(20000)] // one carga, tramo A
    [InlineData(60000)] // three, tramo A
    [InlineData(12000)] // one, tramo B
    [InlineData(36000)] // three, tramo B
    [InlineData(4000)] // one, tramo C
    [InlineData(8000)] // two, tramo C
    public void Whole_cargas_of_any_paying_tramo_are_accepted(double paid)
    {
        var context = Allowance((decimal)paid);
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Lenient, context.Ran["asignacion_familiar"]);
    }

    [Theory]
    [InlineData(4001)]
    [InlineData(19999)]
    [InlineData(2000)]
    public void An_amount_that_is_no_whole_number_of_cargas_is_a_warning(double paid)
    {
        var amount = (decimal)paid;
        var context = Allowance(amount);
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.FamilyAllowanceAmountOdd, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Null(finding.Expected);
        Assert.Equal(amount, finding.Actual);
        Assert.Equal("ASIGFAM_SOPA", finding.Line);
        Assert.Equal(LegalSources.FamilyAllowance, finding.LegalSource);
        Assert.Equal(
            $"La asignación familiar ({Money.Clp(amount)}) no es un número entero de cargas de ningún tramo de 2025-10 (tramo A $20.000, tramo B $12.000, tramo C $4.000).",
            finding.Message);
        Assert.Equal(CheckQuality.Lenient, context.Ran["asignacion_familiar"]);
    }

    [Fact]
    public void No_allowance_or_a_partial_month_is_not_checked()
    {
        foreach (var context in new[] { Allowance(0m), Allowance(-20000m), Allowance(4001m, from: new DateOnly(2025, 10, 3)) })
        {
            Assert.Empty(context.Findings);
            Assert.Empty(context.Ran);
            Assert.Empty(context.Skipped);
        }

        // From the 2nd to the 31st is 30 days, the whole 30-day month: checked.
        Assert.Single(Allowance(4001m, from: new DateOnly(2025, 10, 2)).Findings);
    }

    [Fact]
    public void Without_the_months_tramos_the_allowance_is_skipped()
    {
        var context = Allowance(4001m, Month() with { FamilyAllowanceBrackets = null });
        Assert.Empty(context.Findings);
        Assert.Empty(context.Ran);
        var skipped = Assert.Single(context.Skipped);
        Assert.Equal("asignacion_familiar", skipped.Rule);
        Assert.Equal("sin valor publicado con fuente para 2025-10: family_allowance_brackets", skipped.Reason);
        var noMonth = Context(Slip(1000000m, Line("BASIC", 1000000m), Line("ASIGFAM_SOPA", 4001m)), null);
        new FamilyAllowanceRule().Run(noMonth);
        Assert.Equal("no hay indicadores del mes", Assert.Single(noMonth.Skipped).Reason);
    }

    private static RuleContext Structure(Payslip payslip)
    {
        var context = Context(payslip, Month());
        new StructureRule().Run(context);
        return context;
    }

    private static Payslip Complete(params PayslipLine[] extra) =>
        Slip(1000000m, [Line("BASIC", 1000000m, "Sueldo Base"), Line("AFP", -112700m, "AFP Habitat"), Line("SALUD", -70000m, "Fonasa"), .. extra]);

    [Fact]
    public void A_complete_payslip_has_no_structure_finding()
    {
        var context = Structure(Complete() with { DateFrom = new DateOnly(2025, 10, 1), DateTo = new DateOnly(2025, 10, 31) });
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Exact, context.Ran["estructura"]);
        Assert.Empty(Structure(Complete() with { DateFrom = new DateOnly(2025, 10, 15), DateTo = new DateOnly(2025, 10, 15) }).Findings);
    }

    [Theory]
    [InlineData("2025-09-30", "2025-10-31")]
    [InlineData("2025-10-01", "2025-11-01")]
    [InlineData("2025-10-20", "2025-10-10")]
    [InlineData("2024-10-01", null)]
    [InlineData(null, "2026-10-31")]
    public void Dates_outside_the_period_or_reversed_are_an_error(string? from, string? to)
    {
        var dateFrom = from is null ? (DateOnly?)null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
        var dateTo = to is null ? (DateOnly?)null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture);
        var finding = Assert.Single(Structure(Complete() with { DateFrom = dateFrom, DateTo = dateTo }).Findings);
        Assert.Equal(FindingCodes.PeriodDatesInvalid, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(LegalSources.Liquidation, finding.LegalSource);
        Assert.Equal(
            $"Las fechas {from} a {to} no caen dentro del período 2025-10 (o están invertidas); los días trabajados se contaron sobre el mes completo.",
            finding.Message);
    }

    [Fact]
    public void A_repeated_code_is_a_warning_with_the_sum()
    {
        var context = Structure(Complete(Line("BONUS_SOPA", 30000m), Line("BONUS_SOPA", 20000m)));
        var finding = Assert.Single(context.Findings);
        Assert.Equal(FindingCodes.DuplicateLine, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("BONUS_SOPA", finding.Line);
        Assert.Equal(LegalSources.Liquidation, finding.LegalSource);
        Assert.Equal("El código BONUS_SOPA aparece más de una vez; se sumaron sus montos ($50.000).", finding.Message);
        Assert.Equal(50000m, context.Facts.Value("BONUS_SOPA"));
        Assert.Equal(1050000m, context.Facts.TaxablePay);
    }

    [Theory]
    [InlineData("BASIC")]
    [InlineData("GRAT_SOPA")]
    [InlineData("HEX_SOPA")]
    [InlineData("BONUS_SOPA")]
    [InlineData("COL_SOPA")]
    [InlineData("MOV_SOPA")]
    [InlineData("ASIGFAM_SOPA")]
    public void A_negative_earning_is_a_sign_error(string code)
    {
        var context = Structure(Complete(new PayslipLine(code, "Haber", null, -5000m)));
        var finding = Assert.Single(context.Findings, f => f.Code == FindingCodes.LineSignWrong);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(-5000m, finding.Actual);
        Assert.Null(finding.Expected);
        Assert.Equal(code, finding.Line);
        Assert.Equal(LegalSources.Liquidation, finding.LegalSource);
        Assert.Equal($"El haber {code} (Haber) tiene monto negativo (-$5.000); los haberes van en positivo.", finding.Message);
    }

    [Theory]
    [InlineData("AFP")]
    [InlineData("SALUD")]
    [InlineData("AFC")]
    [InlineData("APV_A")]
    [InlineData("APV_B")]
    [InlineData("IMPUESTO_UNICO")]
    public void A_positive_deduction_is_a_sign_error(string code)
    {
        var context = Structure(Complete(new PayslipLine(code, "Descuento", null, 5000m)));
        var finding = Assert.Single(context.Findings, f => f.Code == FindingCodes.LineSignWrong);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(5000m, finding.Actual);
        Assert.Equal(code, finding.Line);
        Assert.Equal($"El descuento {code} (Descuento) tiene monto positivo ($5.000); los descuentos van en negativo.", finding.Message);
    }

    [Fact]
    public void Zero_lines_summaries_and_unknown_codes_have_no_sign()
    {
        Assert.Empty(Structure(Complete(Line("BONUS_SOPA", 0m), Line("APV_A", 0m), Line("TOTAL_DESCUENTOS", -5m), Line("NET", -5m), Line("PRESTAMO", -5m), Line("OTRO", 5m))).Findings);
    }

    [Fact]
    public void A_payslip_without_sueldo_base_is_an_error()
    {
        var finding = Assert.Single(Structure(Slip(1000000m, Line("GRAT_SOPA", 0m))).Findings);
        Assert.Equal(FindingCodes.MissingRequiredLine, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("BASIC", finding.Line);
        Assert.Equal(LegalSources.MinimumWage, finding.LegalSource);
        Assert.Equal("Falta la línea BASIC (sueldo base) en una liquidación con sueldo pactado de $1.000.000.", finding.Message);
    }

    [Fact]
    public void Taxable_pay_needs_afp_and_health_lines()
    {
        var context = Structure(Slip(1000000m, Line("BASIC", 1000000m)));
        Assert.Equal(2, context.Findings.Count);
        Assert.All(context.Findings, f =>
        {
            Assert.Equal(FindingCodes.MissingRequiredLine, f.Code);
            Assert.Equal(FindingSeverity.Error, f.Severity);
            Assert.Equal(LegalSources.RequiredContributions, f.LegalSource);
        });
        Assert.Equal("AFP", context.Findings[0].Line);
        Assert.Equal("Falta la línea AFP: hay $1.000.000 de remuneración imponible y falta la cotización de AFP.", context.Findings[0].Message);
        Assert.Equal("SALUD", context.Findings[1].Line);
        Assert.Equal("Falta la línea SALUD: hay $1.000.000 de remuneración imponible y falta la cotización de salud.", context.Findings[1].Message);

        // Without taxable pay nothing is owed.
        Assert.Empty(Structure(Slip(1000000m, Line("BASIC", 0m))).Findings);
        Assert.Equal("SALUD", Assert.Single(Structure(Slip(1000000m, Line("BASIC", 1m), Line("AFP", -1m))).Findings).Line);
    }

    [Fact]
    public void Facts_add_repeated_codes_and_split_lines_by_kind()
    {
        var facts = new PayslipFacts(Slip(
            1000000m,
            Line("BASIC", 900000m),
            Line("BASIC", 100000m),
            Line("GRAT_SOPA", 200000m),
            Line("HEX_SOPA", 30000m),
            Line("BONUS_SOPA", 20000m),
            Line("COL_SOPA", 50000m),
            Line("MOV_SOPA", 40000m),
            Line("ASIGFAM_SOPA", 20000m),
            Line("AFP", -100000m),
            Line("SALUD", 70000m), // sign wrong: its magnitude is the deduction
            Line("AFC", -6000m),
            Line("APV_A", -1000m),
            Line("APV_B", -2000m),
            Line("IMPUESTO_UNICO", -3000m),
            Line("TOTAL_HABERES", 99m),
            Line("BONO_X", 15000m),
            Line("BONO_Y", 5000m),
            Line("PRESTAMO", -7000m),
            Line("CUOTA", -3000m)));
        Assert.Equal(["BASIC"], facts.Duplicates);
        Assert.Equal(1000000m, facts.Value("BASIC"));
        Assert.Equal(1250000m, facts.TaxablePay);
        Assert.Equal(110000m, facts.NonTaxablePay);
        Assert.Equal(182000m, facts.KnownDeductions);
        Assert.Equal(70000m, facts.Deduction("SALUD"));
        Assert.Equal(100000m, facts.Deduction("AFP"));
        Assert.Equal(-100000m, facts.Value("AFP"));
        Assert.Equal(20000m, facts.UnknownEarnings);
        Assert.Equal(10000m, facts.UnknownDeductions);
        Assert.True(facts.Has("TOTAL_HABERES"));
        Assert.False(facts.Has("NET"));
        Assert.Equal(0m, facts.Value("NET"));
        Assert.Equal(0m, facts.Deduction("NET"));
    }

    [Fact]
    public void Facts_read_the_first_lines_name()
    {
        var facts = new PayslipFacts(Slip(1000000m, Line("BASIC", 1m, "Sueldo"), Line("AFP", -1m, "AFP Uno"), Line("AFP", -1m, "AFP Modelo")));
        Assert.Equal("AFP Uno", facts.Name("AFP"));
        Assert.Null(facts.Name("SALUD"));
        Assert.Equal(2m, facts.Deduction("AFP"));
    }

    [Fact]
    public void A_line_total_wins_over_its_amount()
    {
        var facts = new PayslipFacts(Slip(1000000m, new PayslipLine("BASIC", null, null, 1m, 1000000m)));
        Assert.Equal(1000000m, facts.TaxablePay);
    }

    [Theory]
    [InlineData(null, null, 30, 30, 30)] // no dates: the whole month
    [InlineData("2025-10-01", "2025-10-31", 30, 30, 30)] // 31 calendar days are 30
    [InlineData("2025-10-16", "2025-10-31", 16, 16, 16)] // 16 days: 16/30, and 16/31 by the calendar
    [InlineData("2025-10-01", "2025-10-15", 15, 15, 15)]
    [InlineData("2025-10-02", "2025-10-31", 30, 30, 30)] // 30 calendar days: 30/30, and 30/31 by the calendar
    [InlineData("2025-09-20", "2025-10-10", 10, 10, 10)] // a date outside the month reads as its first day
    [InlineData("2025-10-20", "2025-11-05", 12, 12, 12)] // … or its last
    [InlineData("2025-10-20", "2025-10-10", 30, 30, 30)] // reversed: the whole month
    [InlineData("2025-10-15", "2025-10-15", 1, 1, 1)] // one day
    public void Days_paid_are_counted_on_the_thirty_day_month(string? from, string? to, int days, int shareDays, int calendarDays)
    {
        var facts = new PayslipFacts(Slip(1000000m, Line("BASIC", 1m)) with
        {
            DateFrom = from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            DateTo = to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(days, facts.DaysPaid);
        Assert.Equal(shareDays / 30m, facts.ShareOfMonth);
        var whole = days == 30 && (from is null || from == "2025-10-01" || from == "2025-10-20") && (to is null || to == "2025-10-31" || to == "2025-10-10");
        Assert.Equal(whole ? 1m : Math.Min(shareDays / 30m, calendarDays / 31m), facts.LowestShareOfMonth);
        Assert.Equal(days < 30, facts.IsPartialMonth);
    }

    [Fact]
    public void February_counts_its_own_days_by_the_calendar()
    {
        // 2 to 28 February 2025: 27 days, 27/30 = 0,9 of the 30-day month, 27/28 by the calendar; the lower is 0,9.
        var facts = new PayslipFacts(Slip(1000000m, Line("BASIC", 1m)) with
        {
            Period = new PayrollPeriod(2025, 2),
            DateFrom = new DateOnly(2025, 2, 2),
            DateTo = new DateOnly(2025, 2, 28),
        });
        Assert.Equal(27, facts.DaysPaid);
        Assert.Equal(0.9m, facts.ShareOfMonth);
        Assert.Equal(0.9m, facts.LowestShareOfMonth);
        Assert.True(facts.IsPartialMonth);

        // The whole of February is 30 days.
        var whole = new PayslipFacts(Slip(1000000m, Line("BASIC", 1m)) with { Period = new PayrollPeriod(2025, 2), DateFrom = new DateOnly(2025, 2, 1), DateTo = new DateOnly(2025, 2, 28) });
        Assert.Equal(30, whole.DaysPaid);
        Assert.Equal(1m, whole.LowestShareOfMonth);
    }
}
