using System.Xml;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="DteDocument.FromXml"/> and <see cref="Xml"/>: every element the checks read lands in its property, with
/// and without namespace, and the number and date parsing on both sides of its limits.
/// </summary>
public class DteModelTests
{
    private const string Full = """
        <DTE xmlns="http://www.sii.cl/SiiDte" version="1.0"><Exportaciones ID="F1T110">
        <Encabezado><IdDoc><TipoDTE> 110 </TipoDTE><Folio>77</Folio><FchEmis>2025-03-10</FchEmis><MntBruto>1</MntBruto><IndServicio>3</IndServicio><IndTraslado>6</IndTraslado></IdDoc>
        <Emisor><RUTEmisor>76354771-K</RUTEmisor><RznSoc>Emisora</RznSoc><RznSocEmisor>Otra</RznSocEmisor></Emisor>
        <Receptor><RUTRecep>55555555-5</RUTRecep><RznSocRecep>Receptora</RznSocRecep></Receptor>
        <Totales><MntNeto>1000</MntNeto><MntExe>20.5</MntExe><TasaIVA>19</TasaIVA><IVA>190</IVA>
        <ImptoReten><TipoImp>15</TipoImp><TasaImp>19</TasaImp><MontoImp>190</MontoImp></ImptoReten><ImptoReten><TipoImp>27</TipoImp></ImptoReten>
        <IVANoRet>5</IVANoRet><CredEC>6</CredEC><GrntDep>7</GrntDep><ValComNeto>10</ValComNeto><ValComExe>20</ValComExe><ValComIVA>2</ValComIVA><MntTotal>1211</MntTotal></Totales></Encabezado>
        <Detalle><NroLinDet>1</NroLinDet><IndExe>1</IndExe><NmbItem>Uno</NmbItem><QtyItem>2.5</QtyItem><PrcItem>10.25</PrcItem><DescuentoMonto>3</DescuentoMonto><RecargoMonto>4</RecargoMonto><MontoItem>27</MontoItem></Detalle>
        <Detalle><NmbItem>Dos</NmbItem></Detalle>
        <DscRcgGlobal><TpoMov>D</TpoMov><TpoValor>%</TpoValor><ValorDR>10.5</ValorDR><IndExeDR>1</IndExeDR></DscRcgGlobal>
        <Referencia><NroLinRef>1</NroLinRef><TpoDocRef>33</TpoDocRef><IndGlobal>1</IndGlobal><FolioRef>0</FolioRef><RUTOtr>1-9</RUTOtr><FchRef>2025-01-01</FchRef><CodRef>3</CodRef><RazonRef>Corrige</RazonRef></Referencia>
        <Referencia><TpoDocRef>801</TpoDocRef><IndGlobal>0</IndGlobal></Referencia>
        <TED version="1.0"/></Exportaciones><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></DTE>
        """;

    private static DteDocument Read(string xml)
    {
        var document = new XmlDocument();
        document.LoadXml(xml);
        return DteDocument.FromXml(document.DocumentElement!);
    }

    [Fact]
    public void Every_header_element_is_read()
    {
        var d = Read(Full);
        Assert.Equal(("Exportaciones", "F1T110", "110", "77", "2025-03-10"), (d.ContentName, d.ContentId, d.TypeText, d.FolioText, d.IssueDateText));
        Assert.Equal(((int?)110, (long?)77, (DateOnly?)new DateOnly(2025, 3, 10), false), (d.Type, d.Folio, d.IssueDate, d.IsBoleta));
        Assert.Equal((true, "3", "6"), (d.GrossAmounts, d.ServiceIndicator, d.TransferIndicator));
        Assert.Equal(("76354771-K", "Emisora", "55555555-5", "Receptora"), (d.IssuerRut, d.IssuerName, d.ReceiverRut, d.ReceiverName));
        Assert.True(d.InSiiNamespace);
        Assert.Equal("Exportaciones", d.Content!.LocalName);
        Assert.Equal("TED", d.Ted!.LocalName);
        Assert.Equal("Signature", d.Signature!.LocalName);
        Assert.Same(d.Element, d.Signature.ParentNode);
    }

    [Fact]
    public void Totals_are_read_with_taxes_and_commissions_summed()
    {
        var d = Read(Full);
        Assert.True(d.HasTotals);
        Assert.True(d.FractionalAmounts);
        var t = d.Totals;
        Assert.Equal(((long?)1000, (long?)21, (decimal?)19m, (long?)190, (long?)1211), (t.Net, t.Exempt, t.VatRate, t.Vat, t.Total));
        Assert.Equal(((long?)5, (long?)6, (long?)7, (long?)32), (t.VatNotWithheld, t.ConstructionCredit, t.Deposits, t.Commissions));
        Assert.Equal([new TaxLine(15, 19m, 190), new TaxLine(27, null, null)], t.Taxes);
    }

    [Fact]
    public void Lines_adjustments_and_references_are_read_in_order()
    {
        var d = Read(Full);
        Assert.Equal(2, d.Lines.Count);
        Assert.Equal(new DetailLine { Number = 1, Name = "Uno", Quantity = 2.5m, Price = 10.25m, Discount = 3, Surcharge = 4, Amount = 27, ExemptIndicator = 1 }, d.Lines[0]);
        Assert.Equal(new DetailLine { Name = "Dos" }, d.Lines[1]);
        Assert.Equal([new GlobalAdjustment("D", "%", 10.5m, 1)], d.Adjustments);
        Assert.Equal(new DteReference { Line = 1, DocumentType = "33", Global = true, Folio = "0", OtherRut = "1-9", Date = "2025-01-01", Code = "3", Reason = "Corrige" }, d.References[0]);
        Assert.Equal(new DteReference { DocumentType = "801", Global = false }, d.References[1]);
    }

    [Fact]
    public void A_bare_dte_reads_as_empty_defaults()
    {
        var d = Read("<DTE><Documento><Encabezado><Emisor><RznSocEmisor>Boletera</RznSocEmisor></Emisor></Encabezado></Documento><Signature/></DTE>");
        Assert.Equal("Documento", d.ContentName);
        Assert.Null(d.ContentId);
        Assert.Null(d.TypeText);
        Assert.Null(d.Type);
        Assert.False(d.HasTotals);
        Assert.False(d.FractionalAmounts);
        Assert.False(d.GrossAmounts);
        Assert.False(d.InSiiNamespace);
        Assert.Equal("Boletera", d.IssuerName);
        Assert.Null(d.Totals.Net);
        Assert.Null(d.Totals.Commissions);
        Assert.Empty(d.Totals.Taxes);
        Assert.Null(d.Signature);   // not in the XML-DSig namespace
        Assert.Null(d.Ted);

        var liquidacion = Read("<DTE><Liquidacion ID=\"\"><Encabezado><Totales><MntTotal>1</MntTotal><ValComExe>4</ValComExe></Totales></Encabezado><Detalle><MontoItem>1.5</MontoItem></Detalle></Liquidacion></DTE>");
        Assert.Equal(("Liquidacion", true, true, (long?)4), (liquidacion.ContentName, liquidacion.HasTotals, liquidacion.FractionalAmounts, liquidacion.Totals.Commissions));
        Assert.Null(liquidacion.ContentId);

        var none = Read("<DTE><Otro/></DTE>");
        Assert.Equal(("Documento", false), (none.ContentName, none.HasTotals));
        Assert.Null(none.Content);
        Assert.Throws<ArgumentNullException>(() => DteDocument.FromXml(null!));
    }

    [Theory]
    [InlineData("MntNeto")]
    [InlineData("MntExe")]
    [InlineData("IVA")]
    [InlineData("MntTotal")]
    public void Any_total_with_decimals_makes_the_amounts_fractional(string element)
    {
        Assert.True(Read($"<DTE><Documento><Encabezado><Totales><{element}>1.25</{element}></Totales></Encabezado></Documento></DTE>").FractionalAmounts);
        Assert.False(Read($"<DTE><Documento><Encabezado><Totales><{element}>1.00</{element}></Totales></Encabezado></Documento></DTE>").FractionalAmounts);
    }

    [Theory]
    [InlineData("39", true)]
    [InlineData("41", true)]
    [InlineData("33", false)]
    [InlineData(" 39", false)]
    public void Only_types_39_and_41_are_boletas(string type, bool boleta) =>
        Assert.Equal(boleta, new DteDocument { TypeText = type }.IsBoleta);

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("+42", null)]
    [InlineData("-42", null)]
    [InlineData("4.2", null)]
    [InlineData(null, null)]
    public void The_folio_is_a_plain_number(string? text, long? folio) =>
        Assert.Equal(folio, new DteDocument { FolioText = text }.Folio);

    private static XmlElement Element(string inner)
    {
        var document = new XmlDocument();
        document.LoadXml($"<r>{inner}</r>");
        return document.DocumentElement!;
    }

    [Fact]
    public void Children_are_found_by_local_name_in_any_namespace()
    {
        var e = Element("text<!--c--><a:x xmlns:a=\"urn:a\">1</a:x><y>2</y><x>3</x>");
        Assert.Equal("1", Xml.FirstChild(e, "x")!.InnerText);
        Assert.Equal(["1", "3"], Xml.Children(e, "x").Select(x => x.InnerText));
        Assert.Null(Xml.FirstChild(e, "z"));
        Assert.Null(Xml.FirstChild(null, "x"));
        Assert.Empty(Xml.Children(null, "x"));
        Assert.Null(Xml.Text(e, "z"));
        Assert.Null(Xml.Text(Element("<x>  </x>"), "x"));
        Assert.Equal("a b", Xml.Text(Element("<x> a b </x>"), "x"));
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData("-42", -42)]
    [InlineData(" 7 ", 7)]
    [InlineData("4.0", null)]
    [InlineData("x", null)]
    public void Integers_allow_a_sign_only(string text, int? value) =>
        Assert.Equal(value, Xml.IntValue(Element($"<v>{text}</v>"), "v"));

    [Theory]
    [InlineData("99.5", 100L)]
    [InlineData("-99.5", -100L)]
    [InlineData("99.4", 99L)]
    [InlineData("8999999999999999999", 8999999999999999999L)]
    [InlineData("-8999999999999999999", -8999999999999999999L)]
    [InlineData("9000000000000000000", null)]
    [InlineData("-9000000000000000000", null)]
    [InlineData("1e3", null)]
    [InlineData("1,000", null)]
    public void Amounts_are_rounded_half_away_from_zero_within_long(string text, long? value) =>
        Assert.Equal(value, Xml.LongValue(Element($"<v>{text}</v>"), "v"));

    [Theory]
    [InlineData("1.50", true, 1.50)]
    [InlineData("-0.01", true, -0.01)]
    [InlineData("2.000", false, 2.0)]
    [InlineData("2", false, 2.0)]
    public void Fractions_are_significant_decimals(string text, bool fraction, double value)
    {
        Assert.Equal(fraction, Xml.HasFraction(Element($"<v>{text}</v>"), "v"));
        Assert.Equal((decimal)value, Xml.DecimalValue(Element($"<v>{text}</v>"), "v"));
    }

    [Fact]
    public void Missing_or_unreadable_numbers_are_null()
    {
        Assert.False(Xml.HasFraction(Element("<v>x</v>"), "v"));
        Assert.False(Xml.HasFraction(Element(string.Empty), "v"));
        Assert.Null(Xml.DecimalValue(Element("<v>1e3</v>"), "v"));
        Assert.Null(Xml.LongValue(Element(string.Empty), "v"));
    }

    [Theory]
    [InlineData("2025-03-10", true)]
    [InlineData("2024-02-29", true)]
    [InlineData("2025-02-29", false)]
    [InlineData("2025-3-10", false)]
    [InlineData("10-03-2025", false)]
    [InlineData(null, false)]
    public void Dates_are_yyyy_mm_dd(string? text, bool valid) => Assert.Equal(valid, Xml.ParseDate(text) is not null);
}
