using System.Globalization;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>One detail line (<c>Detalle</c>).</summary>
public sealed record DetailLine
{
    /// <summary>Line number (<c>NroLinDet</c>).</summary>
    public int? Number { get; init; }

    /// <summary>Item name (<c>NmbItem</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Quantity (<c>QtyItem</c>).</summary>
    public decimal? Quantity { get; init; }

    /// <summary>Unit price (<c>PrcItem</c>).</summary>
    public decimal? Price { get; init; }

    /// <summary>Discount amount (<c>DescuentoMonto</c>).</summary>
    public long? Discount { get; init; }

    /// <summary>Surcharge amount (<c>RecargoMonto</c>).</summary>
    public long? Surcharge { get; init; }

    /// <summary>Line amount (<c>MontoItem</c>).</summary>
    public long? Amount { get; init; }

    /// <summary>Exemption indicator (<c>IndExe</c>): 1 exempt, 2 not billable, ...</summary>
    public int? ExemptIndicator { get; init; }
}

/// <summary>Global discount or surcharge (<c>DscRcgGlobal</c>).</summary>
/// <param name="Movement">D (discount) or R (surcharge).</param>
/// <param name="ValueType">% or $.</param>
/// <param name="Value">Percent or amount.</param>
/// <param name="ExemptIndicator">1 when it applies to exempt items, 2 to non-billable ones.</param>
public sealed record GlobalAdjustment(string? Movement, string? ValueType, decimal? Value, int? ExemptIndicator);

/// <summary>Additional tax or withholding (<c>ImptoReten</c>).</summary>
/// <param name="Code">Tax code (<c>TipoImp</c>).</param>
/// <param name="Rate">Rate in percent (<c>TasaImp</c>).</param>
/// <param name="Amount">Amount (<c>MontoImp</c>).</param>
public sealed record TaxLine(int? Code, decimal? Rate, long? Amount);

/// <summary>Document totals (<c>Encabezado/Totales</c>); null means the element is absent.</summary>
public sealed record DteTotals
{
    /// <summary><c>MntNeto</c>.</summary>
    public long? Net { get; init; }

    /// <summary><c>MntExe</c>.</summary>
    public long? Exempt { get; init; }

    /// <summary><c>TasaIVA</c> in percent.</summary>
    public decimal? VatRate { get; init; }

    /// <summary><c>IVA</c>.</summary>
    public long? Vat { get; init; }

    /// <summary><c>ImptoReten</c> entries.</summary>
    public IReadOnlyList<TaxLine> Taxes { get; init; } = [];

    /// <summary><c>IVANoRet</c>.</summary>
    public long? VatNotWithheld { get; init; }

    /// <summary><c>CredEC</c> (65% construction credit).</summary>
    public long? ConstructionCredit { get; init; }

    /// <summary><c>GrntDep</c> (container deposits).</summary>
    public long? Deposits { get; init; }

    /// <summary><c>ValComNeto</c> + <c>ValComExe</c> + <c>ValComIVA</c>.</summary>
    public long? Commissions { get; init; }

    /// <summary><c>MntTotal</c>.</summary>
    public long? Total { get; init; }
}

/// <summary>A reference to another document (<c>Referencia</c>).</summary>
public sealed record DteReference
{
    /// <summary><c>NroLinRef</c>.</summary>
    public int? Line { get; init; }

    /// <summary><c>TpoDocRef</c> (a DTE type, or 801.. non-tax codes, or SET).</summary>
    public string? DocumentType { get; init; }

    /// <summary><c>IndGlobal</c> = 1 for a global reference.</summary>
    public bool Global { get; init; }

    /// <summary><c>FolioRef</c> (alphanumeric for non-tax documents).</summary>
    public string? Folio { get; init; }

    /// <summary><c>RUTOtr</c>.</summary>
    public string? OtherRut { get; init; }

    /// <summary><c>FchRef</c> as written.</summary>
    public string? Date { get; init; }

    /// <summary><c>CodRef</c> (1 cancels, 2 corrects text, 3 corrects amounts).</summary>
    public string? Code { get; init; }

    /// <summary><c>RazonRef</c>.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// A DTE as the checks see it, read namespace-tolerantly (real DTEs come with and without
/// <c>xmlns="http://www.sii.cl/SiiDte"</c>) or built from a structured request.
/// </summary>
public sealed class DteDocument
{
    /// <summary>The SII DTE namespace.</summary>
    public const string SiiNamespace = "http://www.sii.cl/SiiDte";

    /// <summary>The XML-DSig namespace.</summary>
    public const string DsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>The <c>DTE</c> element, or null for a structured document.</summary>
    public XmlElement? Element { get; init; }

    /// <summary>The signed content element (<c>Documento</c>, <c>Exportaciones</c> or <c>Liquidacion</c>).</summary>
    public XmlElement? Content { get; init; }

    /// <summary>Name of the content element, used in finding paths.</summary>
    public string ContentName { get; init; } = "Documento";

    /// <summary><c>ID</c> attribute of the content element.</summary>
    public string? ContentId { get; init; }

    /// <summary><c>TipoDTE</c> as written.</summary>
    public string? TypeText { get; init; }

    /// <summary><c>Folio</c> as written.</summary>
    public string? FolioText { get; init; }

    /// <summary><c>FchEmis</c> as written.</summary>
    public string? IssueDateText { get; init; }

    /// <summary><c>IdDoc/MntBruto</c> = 1: line amounts include VAT.</summary>
    public bool GrossAmounts { get; init; }

    /// <summary><c>IdDoc/IndServicio</c>.</summary>
    public string? ServiceIndicator { get; init; }

    /// <summary><c>IdDoc/IndTraslado</c> (dispatch guides).</summary>
    public string? TransferIndicator { get; init; }

    /// <summary><c>RUTEmisor</c>.</summary>
    public string? IssuerRut { get; init; }

    /// <summary><c>RznSoc</c> (or <c>RznSocEmisor</c> in boletas).</summary>
    public string? IssuerName { get; init; }

    /// <summary><c>RUTRecep</c>.</summary>
    public string? ReceiverRut { get; init; }

    /// <summary><c>RznSocRecep</c>.</summary>
    public string? ReceiverName { get; init; }

    /// <summary>True when the <c>Totales</c> element exists.</summary>
    public bool HasTotals { get; init; }

    /// <summary>True when totals or line amounts have significant decimals (a foreign currency): the peso arithmetic,
    /// which rounds each amount, does not apply.</summary>
    public bool FractionalAmounts { get; init; }

    /// <summary>Totals.</summary>
    public DteTotals Totals { get; init; } = new();

    /// <summary>Detail lines.</summary>
    public IReadOnlyList<DetailLine> Lines { get; init; } = [];

    /// <summary>Global discounts and surcharges.</summary>
    public IReadOnlyList<GlobalAdjustment> Adjustments { get; init; } = [];

    /// <summary>References.</summary>
    public IReadOnlyList<DteReference> References { get; init; } = [];

    /// <summary>The <c>TED</c> element.</summary>
    public XmlElement? Ted { get; init; }

    /// <summary>The DTE's own <c>ds:Signature</c>.</summary>
    public XmlElement? Signature { get; init; }

    /// <summary>True when the <c>DTE</c> element is in the SII namespace.</summary>
    public bool InSiiNamespace => Element?.NamespaceURI == SiiNamespace;

    /// <summary>Parsed document type, when numeric.</summary>
    public int? Type => int.TryParse(TypeText, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;

    /// <summary>Parsed folio, when numeric.</summary>
    public long? Folio => long.TryParse(FolioText, NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : null;

    /// <summary>Parsed emission date, when a valid yyyy-MM-dd date.</summary>
    public DateOnly? IssueDate => Xml.ParseDate(IssueDateText);

    /// <summary>Boleta types (39 afecta, 41 exenta) follow their own rules.</summary>
    public bool IsBoleta => Type is 39 or 41;

    /// <summary>Reads a <c>DTE</c> element.</summary>
    public static DteDocument FromXml(XmlElement dte)
    {
        ArgumentNullException.ThrowIfNull(dte);
        var content = Xml.FirstChild(dte, "Documento") ?? Xml.FirstChild(dte, "Exportaciones") ?? Xml.FirstChild(dte, "Liquidacion");
        var encabezado = Xml.FirstChild(content, "Encabezado");
        var idDoc = Xml.FirstChild(encabezado, "IdDoc");
        var emisor = Xml.FirstChild(encabezado, "Emisor");
        var receptor = Xml.FirstChild(encabezado, "Receptor");
        var totales = Xml.FirstChild(encabezado, "Totales");
        return new DteDocument
        {
            Element = dte,
            Content = content,
            ContentName = content?.LocalName ?? "Documento",
            ContentId = content?.GetAttribute("ID") is { Length: > 0 } id ? id : null,
            TypeText = Xml.Text(idDoc, "TipoDTE"),
            FolioText = Xml.Text(idDoc, "Folio"),
            IssueDateText = Xml.Text(idDoc, "FchEmis"),
            GrossAmounts = Xml.Text(idDoc, "MntBruto") == "1",
            ServiceIndicator = Xml.Text(idDoc, "IndServicio"),
            TransferIndicator = Xml.Text(idDoc, "IndTraslado"),
            IssuerRut = Xml.Text(emisor, "RUTEmisor"),
            IssuerName = Xml.Text(emisor, "RznSoc") ?? Xml.Text(emisor, "RznSocEmisor"),
            ReceiverRut = Xml.Text(receptor, "RUTRecep"),
            ReceiverName = Xml.Text(receptor, "RznSocRecep"),
            HasTotals = totales is not null,
            Totals = ReadTotals(totales),
            FractionalAmounts = ((string[])["MntNeto", "MntExe", "IVA", "MntTotal"]).Any(n => Xml.HasFraction(totales, n))
                || Xml.Children(content, "Detalle").Any(l => Xml.HasFraction(l, "MontoItem")),
            Lines = [.. Xml.Children(content, "Detalle").Select(ReadLine)],
            Adjustments = [.. Xml.Children(content, "DscRcgGlobal").Select(a => new GlobalAdjustment(
                Xml.Text(a, "TpoMov"), Xml.Text(a, "TpoValor"), Xml.DecimalValue(a, "ValorDR"), Xml.IntValue(a, "IndExeDR")))],
            References = [.. Xml.Children(content, "Referencia").Select(ReadReference)],
            Ted = Xml.FirstChild(content, "TED"),
            Signature = dte.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "Signature" && e.NamespaceURI == DsigNamespace),
        };
    }

    private static DteTotals ReadTotals(XmlElement? t)
    {
        if (t is null)
        {
            return new DteTotals();
        }

        long? commissions = null;
        foreach (var name in (string[])["ValComNeto", "ValComExe", "ValComIVA"])
        {
            if (Xml.LongValue(t, name) is { } v)
            {
                commissions = (commissions ?? 0) + v;
            }
        }

        return new DteTotals
        {
            Net = Xml.LongValue(t, "MntNeto"),
            Exempt = Xml.LongValue(t, "MntExe"),
            VatRate = Xml.DecimalValue(t, "TasaIVA"),
            Vat = Xml.LongValue(t, "IVA"),
            Taxes = [.. Xml.Children(t, "ImptoReten").Select(i => new TaxLine(Xml.IntValue(i, "TipoImp"), Xml.DecimalValue(i, "TasaImp"), Xml.LongValue(i, "MontoImp")))],
            VatNotWithheld = Xml.LongValue(t, "IVANoRet"),
            ConstructionCredit = Xml.LongValue(t, "CredEC"),
            Deposits = Xml.LongValue(t, "GrntDep"),
            Commissions = commissions,
            Total = Xml.LongValue(t, "MntTotal"),
        };
    }

    private static DetailLine ReadLine(XmlElement d) => new()
    {
        Number = Xml.IntValue(d, "NroLinDet"),
        Name = Xml.Text(d, "NmbItem"),
        Quantity = Xml.DecimalValue(d, "QtyItem"),
        Price = Xml.DecimalValue(d, "PrcItem"),
        Discount = Xml.LongValue(d, "DescuentoMonto"),
        Surcharge = Xml.LongValue(d, "RecargoMonto"),
        Amount = Xml.LongValue(d, "MontoItem"),
        ExemptIndicator = Xml.IntValue(d, "IndExe"),
    };

    private static DteReference ReadReference(XmlElement r) => new()
    {
        Line = Xml.IntValue(r, "NroLinRef"),
        DocumentType = Xml.Text(r, "TpoDocRef"),
        Global = Xml.Text(r, "IndGlobal") == "1",
        Folio = Xml.Text(r, "FolioRef"),
        OtherRut = Xml.Text(r, "RUTOtr"),
        Date = Xml.Text(r, "FchRef"),
        Code = Xml.Text(r, "CodRef"),
        Reason = Xml.Text(r, "RazonRef"),
    };
}

/// <summary>Namespace-tolerant element access (by local name) and invariant number parsing.</summary>
public static class Xml
{
    /// <summary>First child element with that local name, in any namespace.</summary>
    public static XmlElement? FirstChild(XmlElement? parent, string localName)
    {
        if (parent is null)
        {
            return null;
        }

        for (var node = parent.FirstChild; node is not null; node = node.NextSibling)
        {
            if (node is XmlElement e && e.LocalName == localName)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>Child elements with that local name.</summary>
    public static IEnumerable<XmlElement> Children(XmlElement? parent, string localName) =>
        parent is null ? [] : parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName);

    /// <summary>Trimmed text of a child, or null when absent or empty.</summary>
    public static string? Text(XmlElement? parent, string localName) =>
        FirstChild(parent, localName)?.InnerText.Trim() is { Length: > 0 } s ? s : null;

    /// <summary>Integer child (null when absent or not an integer).</summary>
    public static int? IntValue(XmlElement? parent, string localName) =>
        int.TryParse(Text(parent, localName), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Amount child (null when absent or not a number). Formato DTE (section 2.2) writes decimals with a point
    /// "only when significant", and export documents carry amounts in foreign currency ("99.0", "27448.55"): a value
    /// with decimals is read rounded half up, and <see cref="HasFraction"/> tells the arithmetic to stand aside.</summary>
    public static long? LongValue(XmlElement? parent, string localName) =>
        decimal.TryParse(Text(parent, localName), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
            && Math.Abs(v) < 9e18m
            ? (long)Math.Round(v, MidpointRounding.AwayFromZero)
            : null;

    /// <summary>True when the child's amount has significant decimals (foreign currency).</summary>
    public static bool HasFraction(XmlElement? parent, string localName) =>
        decimal.TryParse(Text(parent, localName), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
            && v != decimal.Truncate(v);

    /// <summary>Decimal child (null when absent or not a number).</summary>
    public static decimal? DecimalValue(XmlElement? parent, string localName) =>
        decimal.TryParse(Text(parent, localName), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Parses <c>yyyy-MM-dd</c>.</summary>
    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
