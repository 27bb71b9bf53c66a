using AiGrpc.TestKit;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// The peso conversion an export document carries in OtraMoneda (Formato DTE v2.2, fields 129-138 and the change of
/// 31/05/2017), on a real export invoice from the corpus: USD 99.0 at 928.37 = CLP 91,909. Edits break its signatures,
/// which these tests do not look at.
/// </summary>
public class OtherCurrencyTests
{
    private static readonly string Invoice = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "tests", "data", "validation", "corpus", "files",
        "MBenaventeC--FacturasNicMMXXV--FacturaDeExportacionElectronica_1398.xml"), System.Text.Encoding.Latin1);

    private static List<string> Codes(string xml) =>
        [.. new DteValidator().Validate(xml).Documents.Single().Findings.Select(f => f.Code)
            .Where(c => c.StartsWith("EXPORT_", StringComparison.Ordinal) || c.StartsWith("OTHER_CURRENCY", StringComparison.Ordinal) || c == "CHECK_FAILED")];

    private static string Edit(params (string From, string To)[] edits)
    {
        var xml = Invoice;
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, xml, StringComparison.Ordinal);
            xml = xml.Replace(from, to, StringComparison.Ordinal);
        }

        return xml;
    }

    [Fact]
    public void A_real_export_invoice_converts_to_the_peso()
    {
        Assert.Empty(Codes(Invoice));
        var report = new DteValidator().Validate(Invoice);
        Assert.Equal(Verdict.Accept, report.Verdict);
    }

    [Theory]
    [InlineData("91910", false)] // 1 peso off: the issuer rounds each amount
    [InlineData("91908", false)]
    [InlineData("91911", true)] // 2 pesos off
    [InlineData("95000", true)]
    public void Peso_amounts_are_the_foreign_amounts_times_the_rate(string pesos, bool flagged)
    {
        var xml = Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", $"<MntExeOtrMnda>{pesos}</MntExeOtrMnda>"),
            ("<MntTotOtrMnda>91909</MntTotOtrMnda>", $"<MntTotOtrMnda>{pesos}</MntTotOtrMnda>"));
        var codes = Codes(xml);
        Assert.Equal(flagged ? ["EXPORT_PESO_CONVERSION_MISMATCH", "EXPORT_PESO_CONVERSION_MISMATCH"] : [], codes);
    }

    [Fact]
    public void The_other_currency_total_is_the_sum_of_its_parts()
    {
        var codes = Codes(Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", "<MntExeOtrMnda>91800</MntExeOtrMnda>")));
        Assert.Equal(["OTHER_CURRENCY_TOTAL_MISMATCH", "EXPORT_PESO_CONVERSION_MISMATCH"], codes);
    }

    [Fact]
    public void An_export_without_its_peso_conversion_is_a_warning()
    {
        var start = Invoice.IndexOf("<OtraMoneda>", StringComparison.Ordinal);
        var end = Invoice.IndexOf("</OtraMoneda>", StringComparison.Ordinal) + "</OtraMoneda>".Length;
        var report = new DteValidator().Validate(Invoice.Remove(start, end - start));
        var finding = Assert.Single(report.Documents.Single().Findings, f => f.Code == "EXPORT_PESO_CONVERSION_MISSING");
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
    }

    [Fact]
    public void The_conversion_must_be_to_chilean_pesos() =>
        Assert.Equal(["EXPORT_PESO_CONVERSION_MISSING"], Codes(Edit(("<TpoMoneda>PESO CL</TpoMoneda>", "<TpoMoneda>EURO</TpoMoneda>"))));

    [Theory]
    [InlineData("0")]
    [InlineData("-928.37")]
    [InlineData("1000000")]
    public void The_exchange_rate_must_be_positive_and_in_range(string rate) =>
        Assert.Equal(["EXPORT_EXCHANGE_RATE_INVALID"], Codes(Edit(("<TpoCambio>928.37</TpoCambio>", $"<TpoCambio>{rate}</TpoCambio>"))));

    [Fact]
    public void Extreme_amounts_never_overflow()
    {
        var xml = Edit(("<TpoCambio>928.37</TpoCambio>", "<TpoCambio>999999.9999</TpoCambio>"),
            ("<MntTotal>99.0</MntTotal>", "<MntTotal>79228162514264337593543950335</MntTotal>"),
            ("<MntTotOtrMnda>91909</MntTotOtrMnda>", "<MntTotOtrMnda>99999999999999.9999</MntTotOtrMnda>"));
        Assert.DoesNotContain("CHECK_FAILED", Codes(xml));
    }
}
