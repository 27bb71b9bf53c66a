using AiGrpc.Payroll.Indicators;
using AiGrpc.Payroll.Payslips;
using AiGrpc.Payroll.Rules;
using static AiGrpc.UnitTests.Payroll.PayrollKit;

namespace AiGrpc.UnitTests.Payroll;

/// <summary>
/// Seguro de cesantía, worker's share (Ley 19.728 art. 5): 0,6 % on an indefinite contract, nothing on a fixed-term
/// one, on the pay up to its own cap of 120 UF × $40.000 = $4.800.000 (art. 6), not the AFP cap of $3.200.000.
/// </summary>
public class UnemploymentRuleTests
{
    private static RuleContext Run(decimal pay, decimal? paid, ContractType contract = ContractType.Indefinite, string name = "Seguro de cesantía", MonthlyIndicators? month = null)
    {
        PayslipLine[] lines = paid is { } amount ? [Line("BASIC", pay), Line("AFC", -amount, name)] : [Line("BASIC", pay)];
        return After(Slip(pay, lines) with { TotalImponible = pay, ContractType = contract }, month ?? Month(), new UnemploymentRule());
    }

    [Theory]
    [InlineData(6000)] // 0,6 % of 1.000.000
    [InlineData(6001)]
    [InlineData(5999)]
    public void An_indefinite_contract_pays_six_tenths_of_a_percent(double paid)
    {
        var context = Run(1000000m, (decimal)paid);
        Assert.Empty(context.Findings);
        Assert.Empty(context.Notes);
        Assert.Equal(6000m, context.LegalUnemployment);
        Assert.Equal(CheckQuality.Exact, context.Ran["seguro_cesantia"]);
    }

    [Theory]
    [InlineData(6002)]
    [InlineData(5998)]
    [InlineData(9000)]
    public void Another_amount_on_an_indefinite_contract_is_an_error(double paid)
    {
        var amount = (decimal)paid;
        var finding = Assert.Single(Run(1000000m, amount).Findings);
        Assert.Equal(FindingCodes.AfcAmountMismatch, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(6000m, finding.Expected);
        Assert.Equal(amount, finding.Actual);
        Assert.Equal("AFC", finding.Line);
        Assert.Equal(LegalSources.Unemployment, finding.LegalSource);
        Assert.Equal($"El seguro de cesantía ({Money.Clp(amount)}) no es el 0,6 % de $1.000.000 ($6.000).", finding.Message);
    }

    [Fact]
    public void The_rate_is_the_months_published_one()
    {
        // A month publishing 1 % for the worker: 1 % × 1.000.000 = 10.000.
        var month = Month() with { UnemploymentInsurance = S(new UnemploymentInsuranceRates(1m, 2m, 0.5m, 3m)) };
        Assert.Empty(Run(1000000m, 10000m, month: month).Findings);
        Assert.Equal(10000m, Assert.Single(Run(1000000m, 6000m, month: month).Findings).Expected);

        // And on a fixed-term contract the worker's published share, 0,5 % × 1.000.000 = 5.000.
        var fixedTerm = Run(1000000m, 5000m, ContractType.FixedTerm, month: month);
        Assert.Empty(fixedTerm.Findings);
        Assert.Equal(5000m, fixedTerm.LegalUnemployment);
        Assert.Equal(5000m, Assert.Single(Run(1000000m, 5002m, ContractType.FixedTerm, month: month).Findings).Expected);
    }

    [Fact]
    public void An_unknown_contract_paying_the_indefinite_share_is_accepted_and_said()
    {
        var context = Run(1000000m, 6000m, ContractType.Unknown);
        Assert.Empty(context.Findings);
        Assert.Equal(CheckQuality.Lenient, context.Ran["seguro_cesantia"]);
        Assert.Equal(
            "El tipo de contrato no viene informado; el seguro de cesantía del 0,6 % corresponde a un contrato indefinido.",
            Assert.Single(context.Notes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_fixed_term_contract_pays_nothing(double paid)
    {
        var context = Run(1000000m, (decimal)paid, ContractType.FixedTerm);
        Assert.Empty(context.Findings);
        Assert.Empty(context.Notes);
        Assert.Equal(0m, context.LegalUnemployment);
        Assert.Equal(CheckQuality.Exact, context.Ran["seguro_cesantia"]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6000)]
    public void A_share_deducted_on_a_fixed_term_contract_is_an_error(double paid)
    {
        var amount = (decimal)paid;
        var finding = Assert.Single(Run(1000000m, amount, ContractType.FixedTerm).Findings);
        Assert.Equal(FindingCodes.AfcOnFixedTerm, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(0m, finding.Expected);
        Assert.Equal(amount, finding.Actual);
        Assert.Equal("AFC", finding.Line);
        Assert.Equal(LegalSources.Unemployment, finding.LegalSource);
        Assert.Equal(
            $"Se descontó seguro de cesantía ({Money.Clp(amount)}) a un contrato a plazo fijo; en ese contrato lo paga solo el empleador (3 %).",
            finding.Message);
    }

    [Fact]
    public void The_contract_kind_is_read_from_the_line_name_when_not_sent()
    {
        var fixedTerm = Run(1000000m, 6000m, ContractType.Unknown, "Seguro Cesantía Plazo Fijo");
        Assert.Equal(FindingCodes.AfcOnFixedTerm, Assert.Single(fixedTerm.Findings).Code);
        Assert.Equal(CheckQuality.Exact, fixedTerm.Ran["seguro_cesantia"]);

        var indefinite = Run(1000000m, 6000m, ContractType.Unknown, "AFC contrato indefinido");
        Assert.Empty(indefinite.Findings);
        Assert.Empty(indefinite.Notes);
        Assert.Equal(CheckQuality.Exact, indefinite.Ran["seguro_cesantia"]);

        // The contract sent wins over the name.
        Assert.Empty(Run(1000000m, 6000m, ContractType.Indefinite, "Seguro Cesantía Plazo Fijo").Findings);
    }

    [Fact]
    public void No_share_on_an_indefinite_contract_is_a_warning()
    {
        foreach (var context in new[] { Run(1000000m, 0m), Run(1000000m, null) })
        {
            var finding = Assert.Single(context.Findings);
            Assert.Equal(FindingCodes.AfcMissing, finding.Code);
            Assert.Equal(FindingSeverity.Warning, finding.Severity);
            Assert.Equal(6000m, finding.Expected);
            Assert.Equal(0m, finding.Actual);
            Assert.Equal("AFC", finding.Line);
            Assert.Equal(LegalSources.Unemployment, finding.LegalSource);
            Assert.Equal(
                "No se descontó seguro de cesantía en un contrato indefinido; corresponde 0,6 % de $1.000.000 = $6.000, salvo que el trabajador tenga 11 o más años de cotizaciones con este empleador.",
                finding.Message);
            Assert.Equal(6000m, context.LegalUnemployment);
        }
    }

    [Fact]
    public void No_share_and_no_contract_kind_is_a_warning_that_says_both_cases()
    {
        var finding = Assert.Single(Run(1000000m, null, ContractType.Unknown).Findings);
        Assert.Equal(FindingCodes.AfcContractTypeUnknown, finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal(6000m, finding.Expected);
        Assert.Equal(0m, finding.Actual);
        Assert.Equal("AFC", finding.Line);
        Assert.Equal(LegalSources.Unemployment, finding.LegalSource);
        Assert.Equal(
            "No se descontó seguro de cesantía y no se sabe el tipo de contrato: es correcto si es a plazo fijo, por obra o faena; si es indefinido corresponde $6.000.",
            finding.Message);
    }

    [Fact]
    public void Above_its_cap_the_share_is_on_the_cesantia_cap()
    {
        // 6.000.000 of pay: 0,6 % × 4.800.000 = 28.800.
        var context = Run(6000000m, 28800m);
        Assert.Empty(context.Findings);
        Assert.Equal(28800m, context.LegalUnemployment);

        // On the whole pay, 0,6 % × 6.000.000 = 36.000.
        var whole = Assert.Single(Run(6000000m, 36000m).Findings);
        Assert.Equal(FindingCodes.UnemploymentCapWrong, whole.Code);
        Assert.Equal(FindingSeverity.Error, whole.Severity);
        Assert.Equal(28800m, whole.Expected);
        Assert.Equal(36000m, whole.Actual);
        Assert.Equal("AFC", whole.Line);
        Assert.Equal(LegalSources.UnemploymentCap, whole.LegalSource);
        Assert.Equal(
            "El seguro de cesantía ($36.000) se calculó sobre toda la remuneración ($6.000.000); su tope propio es $4.800.000 y corresponde $28.800.",
            whole.Message);
        Assert.Equal(FindingCodes.UnemploymentCapWrong, Assert.Single(Run(6000000m, 36001m).Findings).Code);
        Assert.Equal(FindingCodes.AfcAmountMismatch, Assert.Single(Run(6000000m, 36002m).Findings).Code);

        // On the AFP cap, 0,6 % × 3.200.000 = 19.200.
        var afpCap = Assert.Single(Run(6000000m, 19200m).Findings);
        Assert.Equal(FindingCodes.UnemploymentCapWrong, afpCap.Code);
        Assert.Equal(
            "El seguro de cesantía ($19.200) se calculó con el tope de AFP ($3.200.000); su tope propio es $4.800.000 y corresponde $28.800.",
            afpCap.Message);
        Assert.Equal(FindingCodes.UnemploymentCapWrong, Assert.Single(Run(6000000m, 19199m).Findings).Code);
        Assert.Equal(FindingCodes.AfcAmountMismatch, Assert.Single(Run(6000000m, 19198m).Findings).Code);
    }

    [Fact]
    public void Between_the_two_caps_the_afp_cap_is_the_wrong_one()
    {
        // 4.000.000 of pay, under the cesantía cap: 0,6 % × 4.000.000 = 24.000; 19.200 used the AFP cap.
        Assert.Empty(Run(4000000m, 24000m).Findings);
        var finding = Assert.Single(Run(4000000m, 19200m).Findings);
        Assert.Equal(FindingCodes.UnemploymentCapWrong, finding.Code);
        Assert.Equal(24000m, finding.Expected);
        Assert.Contains("con el tope de AFP ($3.200.000)", finding.Message, StringComparison.Ordinal);

        // Under the AFP cap no cap can explain a wrong amount.
        Assert.Equal(FindingCodes.AfcAmountMismatch, Assert.Single(Run(3000000m, 19200m).Findings).Code);

        // Without the AFP cap's figure, the AFP cap is not suggested.
        var noAfpCap = Run(4000000m, 19200m, month: Month() with { TaxableCapPensionUf = null });
        Assert.Equal(FindingCodes.AfcAmountMismatch, Assert.Single(noAfpCap.Findings).Code);
    }

    [Fact]
    public void The_rule_runs_only_with_pay_and_its_figures()
    {
        var noPay = After(Slip(1000000m, Line("BASIC", 0m), Line("AFC", -6000m)), Month(), new UnemploymentRule());
        Assert.False(noPay.Ran.ContainsKey("seguro_cesantia"));
        Assert.Null(noPay.LegalUnemployment);

        foreach (var (month, field) in new[]
        {
            (Month() with { UnemploymentInsurance = null }, "unemployment_insurance"),
            (Month() with { UfLastDay = null }, "uf_last_day"),
            (Month() with { TaxableCapUnemploymentUf = null }, "taxable_cap_unemployment_uf"),
        })
        {
            var context = Run(1000000m, 1m, month: month);
            Assert.False(context.Ran.ContainsKey("seguro_cesantia"));
            Assert.Empty(context.Findings);
            Assert.Contains(context.Skipped, s => s.Rule == "seguro_cesantia" && s.Reason == $"sin valor publicado con fuente para 2025-10: {field}");
        }
    }
}
