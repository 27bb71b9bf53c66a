namespace AiGrpc.Validation.Dte;

// Rules cite "Formato DTE v2.2" (SII, 2019-07-10): the field table of each element; see docs/validation.md.

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
            if (line.Amount is null)
            {
                continue;
            }

            var amount = line.Amount.Value;

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
                if (a.ExemptIndicator == 2 || a.Value is null)
                {
                    continue;
                }

                var value = a.Value.Value;

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
            if (tax.Amount is null)
            {
                continue;
            }

            var amount = tax.Amount.Value;

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

        if (d.IsBoleta || t.Total is null)
        {
            return;
        }

        var total = t.Total.Value;

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
