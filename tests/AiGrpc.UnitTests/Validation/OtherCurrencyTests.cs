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

    private static List<Finding> Findings(string xml) =>
        [.. new DteValidator().Validate(xml).Documents.Single().Findings
            .Where(f => f.Code.StartsWith("EXPORT_", StringComparison.Ordinal) || f.Code.StartsWith("OTHER_CURRENCY", StringComparison.Ordinal))];

    [Fact]
    public void A_conversion_mismatch_names_both_elements_the_expected_pesos_and_the_amount_found()
    {
        var finding = Assert.Single(Findings(Edit(("<MntTotOtrMnda>91909</MntTotOtrMnda>", "<MntTotOtrMnda>91910</MntTotOtrMnda>"),
            ("<MntExeOtrMnda>91909</MntExeOtrMnda>", "<MntExeOtrMnda>91909</MntExeOtrMnda><IVAOtrMnda>0</IVAOtrMnda>"),
            ("<MntExe>99.0</MntExe>", "<MntExe>99.1</MntExe>"))));
        Assert.Equal(new Finding("EXPORT_PESO_CONVERSION_MISMATCH", FindingSeverity.Warning, "Exportaciones/Encabezado/OtraMoneda/MntExeOtrMnda",
            "MntExeOtrMnda no corresponde a MntExe por el tipo de cambio (MntExe x TpoCambio, al peso).", "92001", "91909"), finding);
    }

    [Theory]
    [InlineData("4", false)]  // 1.0 x 2.5 = 2.5, rounded half away from zero to 3: one peso off
    [InlineData("2", false)]
    [InlineData("1", true)]
    [InlineData("5", true)]
    public void The_converted_amount_is_rounded_half_away_from_zero(string pesos, bool flagged)
    {
        var xml = Edit(("<MntExe>99.0</MntExe>", "<MntExe>1.0</MntExe>"), ("<MntTotal>99.0</MntTotal>", "<MntTotal>1.0</MntTotal>"),
            ("<TpoCambio>928.37</TpoCambio>", "<TpoCambio>2.5</TpoCambio>"),
            ("<MntExeOtrMnda>91909</MntExeOtrMnda>", $"<MntExeOtrMnda>{pesos}</MntExeOtrMnda>"),
            ("<MntTotOtrMnda>91909</MntTotOtrMnda>", $"<MntTotOtrMnda>{pesos}</MntTotOtrMnda>"));
        var findings = Findings(xml);
        Assert.Equal(flagged ? 2 : 0, findings.Count(f => f.Code == "EXPORT_PESO_CONVERSION_MISMATCH"));
        if (flagged)
        {
            Assert.All(findings, f => Assert.Equal("3", f.Expected));
        }
    }

    [Theory]
    [InlineData("91910", false)] // one part: one peso of tolerance
    [InlineData("91911", true)]
    public void In_pesos_the_sum_allows_a_peso_per_part(string total, bool flagged)
    {
        var findings = Findings(Edit(("<MntTotOtrMnda>91909</MntTotOtrMnda>", $"<MntTotOtrMnda>{total}</MntTotOtrMnda>")));
        var sum = findings.Where(f => f.Code == "OTHER_CURRENCY_TOTAL_MISMATCH").ToList();
        Assert.Equal(flagged ? 1 : 0, sum.Count);
        if (flagged)
        {
            Assert.Equal(("Exportaciones/Encabezado/OtraMoneda/MntTotOtrMnda", FindingSeverity.Warning, "91909", total), (sum[0].Path, sum[0].Severity, sum[0].Expected, sum[0].Actual));
        }

        // With a second part (IVA 0) two pesos are tolerated; the total is still compared with MntTotal x TpoCambio.
        var twoParts = Findings(Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", "<MntExeOtrMnda>91909</MntExeOtrMnda><IVAOtrMnda>0</IVAOtrMnda>"),
            ("<MntTotOtrMnda>91909</MntTotOtrMnda>", "<MntTotOtrMnda>91911</MntTotOtrMnda>")));
        Assert.Equal(["EXPORT_PESO_CONVERSION_MISMATCH"], twoParts.Select(f => f.Code));
        Assert.Equal("Exportaciones/Encabezado/OtraMoneda/MntTotOtrMnda", twoParts[0].Path);
        var threeOff = Findings(Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", "<MntExeOtrMnda>91909</MntExeOtrMnda><IVAOtrMnda>0</IVAOtrMnda>"),
            ("<MntTotOtrMnda>91909</MntTotOtrMnda>", "<MntTotOtrMnda>91912</MntTotOtrMnda>")));
        Assert.Contains(threeOff, f => f.Code == "OTHER_CURRENCY_TOTAL_MISMATCH");
    }

    [Fact]
    public void Every_part_counts_in_the_sum()
    {
        foreach (var part in (string[])["MntNetoOtrMnda", "IVAOtrMnda", "MntFaeCarneOtrMnda", "MntMargComOtrMnda", "IVANoRetOtrMnda"])
        {
            var xml = Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", $"<MntExeOtrMnda>91909</MntExeOtrMnda><{part}>100</{part}>"));
            var finding = Assert.Single(Findings(xml));
            Assert.Equal(("OTHER_CURRENCY_TOTAL_MISMATCH", "92009", "91909"), (finding.Code, finding.Expected, finding.Actual));
        }
    }

    [Fact]
    public void With_withholdings_the_sum_is_left_to_the_sii()
    {
        var xml = Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", "<MntExeOtrMnda>91909</MntExeOtrMnda><ImpRetOtrMnda><TipoImpOtrMnda>15</TipoImpOtrMnda><TasaImpOtrMnda>19</TasaImpOtrMnda><VlrImpOtrMnda>100</VlrImpOtrMnda></ImpRetOtrMnda>"),
            ("<MntTotOtrMnda>91909</MntTotOtrMnda>", "<MntTotOtrMnda>91809</MntTotOtrMnda>"));
        Assert.Equal(["EXPORT_PESO_CONVERSION_MISMATCH"], Findings(xml).Select(f => f.Code));
    }

    [Theory]
    [InlineData("99999999999999", true)]   // the largest amount the schema allows is summed
    [InlineData("100000000000000", false)] // beyond it, left out
    public void Amounts_beyond_the_schema_are_left_out_of_the_sum(string part, bool summed)
    {
        var xml = Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", $"<MntExeOtrMnda>91909</MntExeOtrMnda><IVAOtrMnda>{part}</IVAOtrMnda>"));
        Assert.Equal(summed, Findings(xml).Any(f => f.Code == "OTHER_CURRENCY_TOTAL_MISMATCH"));

        var total = Edit(("<MntTotOtrMnda>91909</MntTotOtrMnda>", $"<MntTotOtrMnda>{part}</MntTotOtrMnda>"));
        var codes = Findings(total).Select(f => f.Code).ToList();
        Assert.Equal(summed, codes.Contains("OTHER_CURRENCY_TOTAL_MISMATCH"));
        Assert.Equal(summed, codes.Contains("EXPORT_PESO_CONVERSION_MISMATCH"));
    }

    [Fact]
    public void An_exempt_amount_beyond_the_schema_is_not_converted()
    {
        var xml = Edit(("<MntExe>99.0</MntExe>", "<MntExe>100000000000000</MntExe>"));
        Assert.Empty(Findings(xml));
    }

    [Theory]
    [InlineData("<TpoCambio>928.37</TpoCambio>", "", "PESO CL")]
    [InlineData("<MntTotOtrMnda>91909</MntTotOtrMnda>", "", "PESO CL")]
    [InlineData("<TpoMoneda>PESO CL</TpoMoneda>", "<TpoMoneda>DOLAR USA</TpoMoneda>", "DOLAR USA")]
    [InlineData("<TpoMoneda>PESO CL</TpoMoneda>", "", null)]
    public void The_conversion_needs_pesos_a_rate_and_a_total(string from, string to, string? currency)
    {
        var finding = Assert.Single(Findings(Edit((from, to))));
        Assert.Equal(new Finding("EXPORT_PESO_CONVERSION_MISSING", FindingSeverity.Warning, "Exportaciones/Encabezado/OtraMoneda",
            "En un documento de exportación, OtraMoneda debe dar la conversión a pesos: TpoMoneda PESO CL, TpoCambio y MntTotOtrMnda.", "PESO CL", currency), finding);
    }

    [Theory]
    [InlineData("0.0001", false)]
    [InlineData("999999.9999", false)]
    [InlineData("0", true)]
    [InlineData("1000000", true)]
    public void The_exchange_rate_range_holds_on_both_sides(string rate, bool invalid)
    {
        var findings = Findings(Edit(("<TpoCambio>928.37</TpoCambio>", $"<TpoCambio>{rate}</TpoCambio>")));
        Assert.Equal(invalid, findings.Any(f => f.Code == "EXPORT_EXCHANGE_RATE_INVALID"));
        Assert.Equal(!invalid, findings.Any(f => f.Code == "EXPORT_PESO_CONVERSION_MISMATCH"));
        if (invalid)
        {
            var finding = Assert.Single(findings);
            Assert.Equal(("Exportaciones/Encabezado/OtraMoneda/TpoCambio", "0 < TpoCambio <= 999999.9999", rate), (finding.Path, finding.Expected, finding.Actual));
        }
    }

    [Fact]
    public void Without_an_exempt_amount_in_pesos_only_the_total_is_converted()
    {
        var xml = Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", ""), ("<MntExe>99.0</MntExe>", "<MntExe>98.0</MntExe>"));
        Assert.Empty(Findings(xml));
    }

    [Theory]
    [InlineData("99.01", false)] // outside pesos the sum must hold to the cent
    [InlineData("99.02", true)]
    public void A_domestic_document_in_another_currency_is_checked_for_its_sum_only(string total, bool flagged)
    {
        var xml = Edit(("<TipoDTE>110</TipoDTE>", "<TipoDTE>34</TipoDTE>"), ("<TpoMoneda>PESO CL</TpoMoneda>", "<TpoMoneda>DOLAR USA</TpoMoneda>"),
            ("<TpoCambio>928.37</TpoCambio>", "<TpoCambio>0</TpoCambio>"),
            ("<MntExeOtrMnda>91909</MntExeOtrMnda>", "<MntExeOtrMnda>99.00</MntExeOtrMnda>"),
            ("<MntTotOtrMnda>91909</MntTotOtrMnda>", $"<MntTotOtrMnda>{total}</MntTotOtrMnda>"));
        Assert.Equal(flagged ? ["OTHER_CURRENCY_TOTAL_MISMATCH"] : [], Findings(xml).Select(f => f.Code));

        // Without OtraMoneda nothing is asked of a domestic document.
        var start = xml.IndexOf("<OtraMoneda>", StringComparison.Ordinal);
        var end = xml.IndexOf("</OtraMoneda>", StringComparison.Ordinal) + "</OtraMoneda>".Length;
        Assert.Empty(Findings(xml.Remove(start, end - start)));
    }

    [Fact]
    public void Each_finding_names_its_element_and_explains_itself()
    {
        var start = Invoice.IndexOf("<OtraMoneda>", StringComparison.Ordinal);
        var end = Invoice.IndexOf("</OtraMoneda>", StringComparison.Ordinal) + "</OtraMoneda>".Length;
        Assert.Equal(new Finding("EXPORT_PESO_CONVERSION_MISSING", FindingSeverity.Warning, "Exportaciones/Encabezado/OtraMoneda",
            "El documento de exportación no informa su conversión a pesos chilenos (OtraMoneda con PESO CL, tipo de cambio y monto total)."),
            Assert.Single(Findings(Invoice.Remove(start, end - start))));

        Assert.Equal("El tipo de cambio debe ser un número positivo de hasta 6 enteros y 4 decimales.",
            Assert.Single(Findings(Edit(("<TpoCambio>928.37</TpoCambio>", "<TpoCambio>0</TpoCambio>")))).Message);

        var sum = Assert.Single(Findings(Edit(("<MntExeOtrMnda>91909</MntExeOtrMnda>", "<MntExeOtrMnda>91909</MntExeOtrMnda><IVAOtrMnda>100</IVAOtrMnda>"))));
        Assert.Equal("El monto total en otra moneda no es la suma de sus montos neto, exento, IVA e impuestos en otra moneda.", sum.Message);
    }

    [Theory]
    [InlineData("<TpoCambio>928.37</TpoCambio>", "<TpoCambio>0</TpoCambio>")]   // the rate would be invalid too
    [InlineData("<TpoCambio>928.37</TpoCambio>", "")]                           // no rate to convert with
    [InlineData("<MntTotOtrMnda>91909</MntTotOtrMnda>", "<MntTotOtrMnda>95000</MntTotOtrMnda>")]
    public void Without_pesos_nothing_else_is_checked(string from, string to)
    {
        var xml = Edit(("<TpoMoneda>PESO CL</TpoMoneda>", "<TpoMoneda>DOLAR USA</TpoMoneda>"), (from, to));
        var codes = new DteValidator().Validate(xml).Documents.Single().Findings.Select(f => f.Code)
            .Where(c => c.StartsWith("EXPORT_", StringComparison.Ordinal) || c == "CHECK_FAILED").ToList();
        Assert.Equal(["EXPORT_PESO_CONVERSION_MISSING"], codes);
    }

    [Theory]
    [InlineData("99999999999999", true)]
    [InlineData("100000000000000", false)]
    public void A_foreign_amount_up_to_the_schemas_largest_is_converted(string exempt, bool converted)
    {
        var findings = Findings(Edit(("<MntExe>99.0</MntExe>", $"<MntExe>{exempt}</MntExe>")));
        Assert.Equal(converted, findings.Any(f => f is { Code: "EXPORT_PESO_CONVERSION_MISMATCH", Path: "Exportaciones/Encabezado/OtraMoneda/MntExeOtrMnda" }));
    }
}
