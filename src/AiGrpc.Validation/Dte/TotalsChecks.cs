using AiGrpc.Common;
using System.Globalization;

namespace AiGrpc.Validation.Dte;

// Rules cite "Formato DTE v2.2" (SII, 2019-07-10): the field table of each element; see docs/validation.md.

/// <summary>Required elements and value domains per document type.</summary>
internal static class StructureChecks
{
    /// <summary>Document types the SII "Formato DTE" defines (facturas, boletas, liquidación, guía, notas, exportación).</summary>
    public static readonly IReadOnlySet<int> KnownTypes = new HashSet<int> { 33, 34, 39, 41, 43, 46, 52, 56, 61, 110, 111, 112 };

    /// <summary>Types whose amounts are exempt (no IVA).</summary>
    public static readonly IReadOnlySet<int> ExemptTypes = new HashSet<int> { 34, 41, 110, 111, 112 };

    public static void Run(CheckContext c)
    {
        var d = c.Document;
        if (d.Element is not null && d.Content is null)
        {
            c.Error("STRUCTURE_MISSING_ELEMENT", "DTE/Documento", "El DTE no contiene el elemento Documento (ni Exportaciones ni Liquidacion).");
            return;
        }

        Require(c, d.TypeText, "Encabezado/IdDoc/TipoDTE", "el tipo de documento");
        Require(c, d.FolioText, "Encabezado/IdDoc/Folio", "el folio");
        Require(c, d.IssueDateText, "Encabezado/IdDoc/FchEmis", "la fecha de emisión");
        Require(c, d.IssuerRut, "Encabezado/Emisor/RUTEmisor", "el RUT del emisor");
        Require(c, d.IssuerName, "Encabezado/Emisor/RznSoc", "la razón social del emisor");
        Require(c, d.ReceiverRut, "Encabezado/Receptor/RUTRecep", "el RUT del receptor");
        if (!d.HasTotals)
        {
            c.Error("STRUCTURE_MISSING_ELEMENT", c.P("Encabezado/Totales"), "Falta el bloque de totales del documento.");
        }
        else if (d.Totals.Total is null)
        {
            c.Error("STRUCTURE_MISSING_ELEMENT", c.P("Encabezado/Totales/MntTotal"), "Falta el monto total del documento.");
        }

        if (d.Lines.Count == 0)
        {
            c.Error("STRUCTURE_MISSING_ELEMENT", c.P("Detalle"), "El documento no tiene líneas de detalle.");
        }

        var maxLines = d.IsBoleta ? 1000 : 60;
        if (d.Lines.Count > maxLines)
        {
            c.Error("STRUCTURE_TOO_MANY_LINES", c.P("Detalle"), $"El documento tiene más líneas de detalle que las permitidas ({maxLines}).", maxLines, d.Lines.Count);
        }

        if (d.TypeText is not null)
        {
            if (d.Type is not { } type || !KnownTypes.Contains(type))
            {
                c.Error("STRUCTURE_TYPE_UNSUPPORTED", c.P("Encabezado/IdDoc/TipoDTE"), "El tipo de documento no es un DTE definido por el SII.",
                    "33, 34, 39, 41, 43, 46, 52, 56, 61, 110, 111, 112", d.TypeText);
            }
            else
            {
                ByType(c, type);
            }
        }

        if (d.FolioText is not null && d.Folio is not > 0)
        {
            c.Error("STRUCTURE_INVALID_VALUE", c.P("Encabezado/IdDoc/Folio"), "El folio debe ser un número entero positivo.", "> 0", d.FolioText);
        }

        for (var i = 0; i < d.Lines.Count; i++)
        {
            if (string.IsNullOrEmpty(d.Lines[i].Name))
            {
                c.Error("STRUCTURE_MISSING_ELEMENT", c.P($"Detalle[{i + 1}]/NmbItem"), $"La línea {i + 1} no tiene nombre de ítem.");
            }

            if (d.Lines[i].Amount is null)
            {
                c.Error("STRUCTURE_MISSING_ELEMENT", c.P($"Detalle[{i + 1}]/MontoItem"), $"La línea {i + 1} no tiene monto.");
            }
        }
    }

    private static void ByType(CheckContext c, int type)
    {
        var t = c.Document.Totals;
        if (ExemptTypes.Contains(type) && t.Vat is > 0)
        {
            c.Error("STRUCTURE_INVALID_VALUE", c.P("Encabezado/Totales/IVA"), "Un documento exento no puede llevar IVA.", 0, t.Vat);
        }

        // TasaIVA and IVA (fields 111, 112, p. 24) are conditional (2) for facturas and notes but optional (3) for
        // the guía de despacho: a guía moving goods (e.g. IndTraslado 6, "otros traslados no venta") may carry a net
        // amount without VAT.
        if (!ExemptTypes.Contains(type) && type is not (39 or 52) && t.Net is > 0)
        {
            if (t.VatRate is null)
            {
                c.Error("STRUCTURE_MISSING_ELEMENT", c.P("Encabezado/Totales/TasaIVA"), "Hay monto neto pero falta la tasa de IVA.");
            }

            if (t.Vat is null)
            {
                c.Error("STRUCTURE_MISSING_ELEMENT", c.P("Encabezado/Totales/IVA"), "Hay monto neto pero falta el IVA.");
            }
        }

        if (type == 52 && c.Document.TransferIndicator is not ("1" or "2" or "3" or "4" or "5" or "6" or "7" or "8" or "9"))
        {
            c.Error("STRUCTURE_INVALID_VALUE", c.P("Encabezado/IdDoc/IndTraslado"), "Una guía de despacho debe indicar el tipo de traslado (1 a 9).", "1-9", c.Document.TransferIndicator);
        }

        if (type is 110 or 111 or 112 && c.Document.Element is not null && c.Document.ContentName != "Exportaciones")
        {
            c.Error("STRUCTURE_INVALID_VALUE", "DTE/" + c.Document.ContentName, "Los documentos de exportación van en el elemento Exportaciones.", "Exportaciones", c.Document.ContentName);
        }
    }

    private static void Require(CheckContext c, string? value, string path, string what)
    {
        if (value is null)
        {
            c.Error("STRUCTURE_MISSING_ELEMENT", c.P(path), $"Falta {what}.");
        }
    }
}

/// <summary>RUT format and módulo 11 check digit of every RUT in the document.</summary>
internal static class RutChecks
{
    public static void Run(CheckContext c)
    {
        var d = c.Document;
        Check(c, d.IssuerRut, c.P("Encabezado/Emisor/RUTEmisor"), "del emisor");
        Check(c, d.ReceiverRut, c.P("Encabezado/Receptor/RUTRecep"), "del receptor");
        for (var i = 0; i < d.References.Count; i++)
        {
            Check(c, d.References[i].OtherRut, c.P($"Referencia[{i + 1}]/RUTOtr"), "del otro contribuyente de la referencia");
        }
    }

    /// <summary>Adds RUT_FORMAT or RUT_CHECK_DIGIT for a present RUT.</summary>
    public static void Check(CheckContext c, string? rut, string path, string whose) =>
        Check(c.Findings, rut, path, whose);

    /// <summary>Same, into a plain list (envelope-level RUTs).</summary>
    public static void Check(List<Finding> findings, string? rut, string path, string whose)
    {
        if (rut is null)
        {
            return;
        }

        var (format, digit, expected) = Rut.Check(rut);
        if (!format)
        {
            findings.Add(new Finding("RUT_FORMAT", FindingSeverity.Error, path,
                $"El RUT {whose} no tiene el formato del SII (cuerpo numérico, guion y dígito verificador, sin puntos).", "99999999-K", rut));
        }
        else if (!digit)
        {
            findings.Add(new Finding("RUT_CHECK_DIGIT", FindingSeverity.Error, path,
                $"El dígito verificador del RUT {whose} es incorrecto (módulo 11).", expected.ToString(), rut[^1..].ToUpperInvariant()));
        }
    }
}

/// <summary>Emission date range and plausibility.</summary>
internal static class DateChecks
{
    /// <summary>FchEmis range of Formato DTE v2.2 (Encabezado, campo 4).</summary>
    public static readonly DateOnly MinIssueDate = new(2003, 4, 1);

    /// <summary>Upper bound of FchEmis and FchRef.</summary>
    public static readonly DateOnly MaxDate = new(2050, 12, 31);

    public static void Run(CheckContext c, TimeSpan futureTolerance)
    {
        var d = c.Document;
        if (d.IssueDateText is null)
        {
            return;
        }

        var path = c.P("Encabezado/IdDoc/FchEmis");
        if (d.IssueDate is not { } date)
        {
            c.Error("DATE_INVALID", path, "La fecha de emisión no es una fecha válida con formato AAAA-MM-DD.", "AAAA-MM-DD", d.IssueDateText);
            return;
        }

        if (date < MinIssueDate || date > MaxDate)
        {
            c.Error("DATE_OUT_OF_RANGE", path, "La fecha de emisión está fuera del rango que acepta el SII.", $"{MinIssueDate:yyyy-MM-dd}..{MaxDate:yyyy-MM-dd}", d.IssueDateText);
            return;
        }

        // Chile's time zones are UTC-3/-4: a date is "in the future" only once it has not started anywhere in Chile.
        var latest = DateOnly.FromDateTime((c.Time.GetUtcNow() + futureTolerance).UtcDateTime);
        if (date > latest)
        {
            c.Error("DATE_IN_FUTURE", path, "La fecha de emisión está en el futuro.", $"<= {latest:yyyy-MM-dd}", d.IssueDateText);
        }
    }
}

/// <summary>Line amounts and document totals, with CLP round-half-up.</summary>
internal static class TotalsChecks
{
    /// <summary>
    /// ImptoReten codes that are withholdings (subtracted from MntTotal): IVA retenido total (15) and the
    /// "IVA RETENIDO ..." codes of Formato DTE v2.2 section 4 (30-39, 41, 46-49, 53 and their 3-digit variants).
    /// </summary>
    public static readonly IReadOnlySet<int> Withholdings = new HashSet<int>
    {
        15, 30, 31, 32, 33, 34, 36, 37, 38, 39, 41, 46, 47, 48, 49, 53, 301, 321, 331, 341, 361, 371, 481,
    };

    /// <summary>Round half up (away from zero), as CLP amounts are rounded.</summary>
    public static long Round(decimal value) => (long)Math.Round(value, MidpointRounding.AwayFromZero);

    /// <summary>A VAT rate the arithmetic can use: a percentage from 0 to 100. Any other value (a negative rate makes
    /// 1 + rate / 100 zero for -100) is reported by <see cref="Run"/> and left out of the sums.</summary>
    private static decimal? ValidRate(decimal? rate) => rate is >= 0 and <= 100 ? rate : null;

    public static void Run(CheckContext c)
    {
        var d = c.Document;
        var type = d.Type ?? 0;
        var exemptType = StructureChecks.ExemptTypes.Contains(type);
        if (d.FractionalAmounts)
        {
            c.Skip("totals", "Montos con decimales (moneda extranjera): la aritmética de totales en pesos no se aplica.");
            return;
        }

        if (d.Totals.VatRate is { } vatRate && ValidRate(vatRate) is null)
        {
            c.Error("STRUCTURE_INVALID_VALUE", c.P("Encabezado/Totales/TasaIVA"), "La tasa de IVA debe ser un porcentaje entre 0 y 100.", "0..100", vatRate);
        }

        long taxable = 0, exempt = 0;
        var anyAmount = false;
        for (var i = 0; i < d.Lines.Count; i++)
        {
            var line = d.Lines[i];
            if (line.Amount is not { } amount)
            {
                continue;
            }

            anyAmount = true;
            if (line.Price is { } price)
            {
                var expected = Round((line.Quantity ?? 1m) * price) - (line.Discount ?? 0) + (line.Surcharge ?? 0);
                if (Math.Abs(expected - amount) > 1)
                {
                    c.Warning("LINE_AMOUNT_MISMATCH", c.P($"Detalle[{i + 1}]/MontoItem"),
                        $"El monto de la línea {i + 1} no corresponde a cantidad x precio - descuento + recargo.", expected, amount);
                }
            }

            switch (line.ExemptIndicator)
            {
                case null when !exemptType:
                    taxable += amount;
                    break;
                case null or 1:
                    exempt += amount;
                    break;
                default:
                    break; // 2 no facturable, 3 garantía, 4-6 otros: outside MntNeto/MntExe.
            }
        }

        if (!anyAmount)
        {
            c.Skip("totals-lines", "El documento no tiene montos de línea con que recalcular los totales.");
        }
        else
        {
            var taxableBase = taxable;
            var exemptBase = exempt;
            foreach (var a in d.Adjustments)
            {
                var onExempt = a.ExemptIndicator == 1 || (exemptType && a.ExemptIndicator is null);
                if (a.ExemptIndicator == 2 || a.Value is not { } value)
                {
                    continue;
                }

                var amount = a.ValueType == "%" ? Round((onExempt ? exemptBase : taxableBase) * value / 100m) : Round(value);
                var signed = a.Movement == "R" ? amount : -amount;
                if (onExempt)
                {
                    exempt += signed;
                }
                else
                {
                    taxable += signed;
                }
            }

            CompareSums(c, d, taxable, exempt);
        }

        CompareVatAndTotal(c, d, anyAmount ? taxable : null, anyAmount ? exempt : null);
    }

    private static void CompareSums(CheckContext c, DteDocument d, long taxable, long exempt)
    {
        var t = d.Totals;
        var gross = d.IsBoleta || d.GrossAmounts;
        if (gross && d.Type != 41 && ValidRate(t.VatRate ?? 19m) is { } rate)
        {
            var expectedNet = Round(taxable / (1 + (rate / 100m)));
            if (t.Net is { } net ? net != expectedNet : taxable != 0 && !d.IsBoleta)
            {
                c.Warning("TOTALS_NET_MISMATCH", c.P("Encabezado/Totales/MntNeto"),
                    "El monto neto no corresponde a la suma de las líneas afectas (montos brutos divididos por 1 + tasa de IVA).", expectedNet, t.Net ?? 0);
            }
        }
        else if (t.Net is { } net ? net != taxable : taxable != 0)
        {
            c.Warning("TOTALS_NET_MISMATCH", c.P("Encabezado/Totales/MntNeto"),
                "El monto neto no corresponde a la suma de las líneas afectas menos descuentos más recargos globales.", taxable, t.Net ?? 0);
        }

        if (t.Exempt is { } ex ? ex != exempt : exempt != 0)
        {
            c.Warning("TOTALS_EXEMPT_MISMATCH", c.P("Encabezado/Totales/MntExe"),
                "El monto exento no corresponde a la suma de las líneas exentas menos descuentos más recargos globales.", exempt, t.Exempt ?? 0);
        }

        if (d.IsBoleta && t.Total is { } total && total != taxable + exempt)
        {
            c.Error("TOTALS_TOTAL_MISMATCH", c.P("Encabezado/Totales/MntTotal"),
                "En una boleta el monto total debe ser la suma de los montos brutos de las líneas.", taxable + exempt, total);
        }
    }

    private static void CompareVatAndTotal(CheckContext c, DteDocument d, long? taxableFromLines, long? exemptFromLines)
    {
        var t = d.Totals;
        if (!d.HasTotals)
        {
            return;
        }

        long? expectedVat = null;
        if (d.IsBoleta && d.Type == 39 && taxableFromLines is { } grossTaxable && t.Net is { } boletaNet && t.Vat is not null)
        {
            expectedVat = grossTaxable - boletaNet;
        }
        else if (!d.IsBoleta && t.Net is { } net && ValidRate(t.VatRate) is { } rate && !(d.Type == 52 && t.Vat is null))
        {
            expectedVat = Round(net * rate / 100m);
        }

        if (expectedVat is { } ev && (t.Vat ?? 0) != ev)
        {
            c.Warning("TOTALS_VAT_MISMATCH", c.P("Encabezado/Totales/IVA"),
                "El IVA no es igual al monto neto por la tasa de IVA redondeado (el SII lo trata como reparo).", ev, t.Vat ?? 0);
        }

        long withheld = 0, additional = 0;
        foreach (var tax in t.Taxes)
        {
            if (tax.Amount is not { } amount)
            {
                continue;
            }

            if (tax.Code is { } code && Withholdings.Contains(code))
            {
                withheld += amount;
            }
            else
            {
                additional += amount;
            }
        }

        if (t.VatNotWithheld is { } notWithheld && t.Vat is { } vat && notWithheld != vat - withheld)
        {
            c.Warning("TOTALS_VAT_NOT_WITHHELD_MISMATCH", c.P("Encabezado/Totales/IVANoRet"),
                "El IVA no retenido debe ser el IVA menos el IVA retenido.", vat - withheld, notWithheld);
        }

        if (d.IsBoleta || t.Total is not { } total)
        {
            return;
        }

        if (d.Element is null && t.Net is null && t.Exempt is null && t.Vat is null && t.Taxes.Count == 0)
        {
            c.Skip("totals-sum", "Sin desglose de montos (neto, exento, IVA): solo se informó el total.");
            return;
        }

        var expected = (t.Net ?? 0) + (t.Exempt ?? 0) + (t.Vat ?? 0) + additional - withheld
            - (t.ConstructionCredit ?? 0) + (t.Deposits ?? 0) - (t.Commissions ?? 0);
        if (expected != total)
        {
            c.Error("TOTALS_TOTAL_MISMATCH", c.P("Encabezado/Totales/MntTotal"),
                "El monto total no es neto + exento + IVA + impuestos adicionales - retenciones - crédito empresas constructoras + garantía de envases - comisiones.",
                expected, total);
        }

        _ = exemptFromLines;
    }
}

/// <summary>Reference rules (Formato DTE v2.2, Referencia campos 1-9).</summary>
internal static class ReferenceChecks
{
    /// <summary>Credit and debit notes, domestic and export: CodRef is required.</summary>
    public static readonly IReadOnlySet<int> Notes = new HashSet<int> { 56, 61, 111, 112 };

    /// <summary>FchRef range (Referencia, campo 7).</summary>
    public static readonly DateOnly MinRefDate = new(2002, 8, 1);

    public static void Run(CheckContext c)
    {
        var d = c.Document;
        if (d.IsBoleta)
        {
            c.Skip("references-boleta", "Las referencias de boletas tienen otro formato (solo RazonRef/CodRef de set); no se validan.");
            return;
        }

        var type = d.Type ?? 0;
        if (Notes.Contains(type))
        {
            var taxRefs = d.References.Where(r => IsTaxDocument(r.DocumentType)).ToList();
            if (taxRefs.Count == 0)
            {
                c.Error("REFERENCE_MISSING", c.P("Referencia"), "Una nota de crédito o débito debe referenciar el documento tributario que modifica.");
            }
            else if (!taxRefs.Any(r => r.Code is not null))
            {
                c.Error("REFERENCE_CODE_MISSING", c.P("Referencia/CodRef"), "Una nota de crédito o débito debe indicar el código de referencia (1 anula, 2 corrige texto, 3 corrige montos).");
            }

            if (taxRefs.Any(r => r.Code is "1" or "2") && taxRefs.Count > 1)
            {
                c.Error("REFERENCE_SINGLE_REQUIRED", c.P("Referencia"),
                    "Las notas que anulan un documento o corrigen texto deben tener un único documento de referencia.", 1, taxRefs.Count);
            }
        }

        for (var i = 0; i < d.References.Count; i++)
        {
            var r = d.References[i];
            var at = c.P($"Referencia[{i + 1}]");
            if (r.Code is not null && r.Code is not ("1" or "2" or "3"))
            {
                c.Error("REFERENCE_CODE_INVALID", at + "/CodRef", "El código de referencia debe ser 1 (anula), 2 (corrige texto) o 3 (corrige montos).", "1, 2 o 3", r.Code);
            }

            if (r.Folio is null)
            {
                c.Error("STRUCTURE_MISSING_ELEMENT", at + "/FolioRef", "La referencia no indica el folio del documento referenciado.");
            }
            else if (r.Folio.Trim('0').Length == 0 && !r.Global)
            {
                c.Error("REFERENCE_FOLIO_ZERO", at + "/FolioRef", "El folio de referencia puede ser cero solo si el indicador de referencia global (IndGlobal) está encendido.", "IndGlobal=1", r.Folio);
            }

            if (r.DocumentType is null)
            {
                c.Error("STRUCTURE_MISSING_ELEMENT", at + "/TpoDocRef", "La referencia no indica el tipo de documento referenciado.");
            }

            if (r.Date is null)
            {
                c.Error("STRUCTURE_MISSING_ELEMENT", at + "/FchRef", "La referencia no indica la fecha del documento referenciado.");
            }
            else if (Xml.ParseDate(r.Date) is not { } refDate || refDate < MinRefDate || refDate > DateChecks.MaxDate)
            {
                c.Error("REFERENCE_DATE_INVALID", at + "/FchRef", "La fecha de referencia no es válida (AAAA-MM-DD entre 2002-08-01 y 2050-12-31).",
                    "2002-08-01..2050-12-31", r.Date);
            }
            else if (IsTaxDocument(r.DocumentType) && d.IssueDate is { } issued && refDate > issued)
            {
                c.Warning("REFERENCE_DATE_AFTER_EMISSION", at + "/FchRef", "El documento referenciado tiene fecha posterior a la emisión de este documento.",
                    $"<= {issued:yyyy-MM-dd}", r.Date);
            }
        }

        if (Notes.Contains(type) && d.References.Any(r => r.Code == "2") && d.Totals.Total is > 0)
        {
            c.Warning("REFERENCE_TEXT_CORRECTION_WITH_AMOUNT", c.P("Encabezado/Totales/MntTotal"),
                "Una nota que solo corrige texto (CodRef 2) normalmente no lleva montos.", 0, d.Totals.Total);
        }
    }

    /// <summary>True for tax document types (numeric codes below 800); 8xx and SET are non-tax references.</summary>
    public static bool IsTaxDocument(string? type) =>
        int.TryParse(type, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t is > 0 and < 800;
}
