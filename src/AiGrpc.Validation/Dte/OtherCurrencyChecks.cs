using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// The "Otra Moneda" area of the header (Formato DTE v2.2, fields 129-138) and the peso conversion export documents
/// must carry. Export documents (110, 111, 112) are issued in the foreign currency of the sale; since the change of
/// 31/05/2017 (Formato DTE v2.2, "Cambios 31/05/2017" item 2) they must also give, in OtraMoneda, the conversion to
/// Chilean pesos: TpoMoneda "PESO CL", TpoCambio (the Banco Central's rate of the issue date, field 130),
/// MntExeOtrMnda and MntTotOtrMnda in pesos. The SII marks these fields "sin validación de fórmula" and does not
/// reject documents for content errors (section 2.2, p. 9): every finding here is a WARNING.
/// </summary>
internal static class OtherCurrencyChecks
{
    /// <summary>The code the SII's schema gives Chilean pesos in TpoMoneda.</summary>
    public const string ChileanPeso = "PESO CL";

    /// <summary>Largest amount the XSD allows (18 digits, 4 of them decimals): beyond it the conversion is not computed,
    /// so a hostile value cannot overflow the arithmetic.</summary>
    private const decimal MaxAmount = 99_999_999_999_999m;

    /// <summary>Largest rate field 130 allows (6 integer digits).</summary>
    private const decimal MaxRate = 999_999.9999m;

    /// <summary>Pesos of tolerance: MntExeOtrMnda and MntTotOtrMnda are each rounded to the peso by the issuer.</summary>
    private const decimal PesoTolerance = 1m;

    public static void Run(CheckContext c)
    {
        var d = c.Document;
        var header = Xml.FirstChild(d.Content, "Encabezado");
        var other = Xml.FirstChild(header, "OtraMoneda");
        var isExport = d.Type is 110 or 111 or 112;
        if (other is null)
        {
            if (isExport)
            {
                c.Warning("EXPORT_PESO_CONVERSION_MISSING", c.P("Encabezado/OtraMoneda"),
                    "El documento de exportación no informa su conversión a pesos chilenos (OtraMoneda con PESO CL, tipo de cambio y monto total).");
            }

            return;
        }

        var currency = Xml.Text(other, "TpoMoneda");
        var rate = Xml.DecimalValue(other, "TpoCambio");
        var total = Xml.DecimalValue(other, "MntTotOtrMnda");
        CheckSum(c, other, total, currency == ChileanPeso ? PesoTolerance : 0.01m);
        if (!isExport)
        {
            // Outside exports the direction of TpoCambio ("factor de conversión de pesos a otra moneda") is written
            // both ways in practice; the SII states no formula, so only the sum above is checked.
            return;
        }

        if (currency != ChileanPeso || rate is null || total is null)
        {
            c.Warning("EXPORT_PESO_CONVERSION_MISSING", c.P("Encabezado/OtraMoneda"),
                "En un documento de exportación, OtraMoneda debe dar la conversión a pesos: TpoMoneda PESO CL, TpoCambio y MntTotOtrMnda.",
                ChileanPeso, currency);
            return;
        }

        if (rate <= 0 || rate > MaxRate)
        {
            c.Warning("EXPORT_EXCHANGE_RATE_INVALID", c.P("Encabezado/OtraMoneda/TpoCambio"),
                "El tipo de cambio debe ser un número positivo de hasta 6 enteros y 4 decimales.", "0 < TpoCambio <= 999999.9999", rate);
            return;
        }

        CompareConverted(c, header, "MntTotal", "MntTotOtrMnda", rate.Value, total.Value);
        if (Xml.DecimalValue(other, "MntExeOtrMnda") is { } exemptPesos)
        {
            CompareConverted(c, header, "MntExe", "MntExeOtrMnda", rate.Value, exemptPesos);
        }
    }

    /// <summary>Field 138: MntTotOtrMnda is the sum of the other-currency amounts (net, exempt, VAT, additional taxes).</summary>
    private static void CheckSum(CheckContext c, XmlElement other, decimal? total, decimal tolerance)
    {
        if (total is not { } t || Math.Abs(t) > MaxAmount || Xml.Children(other, "ImpRetOtrMnda").Any())
        {
            // Withholdings subtract and additional taxes add by code; with them present the sum is left to the SII.
            return;
        }

        decimal sum = 0;
        var parts = 0;
        foreach (var name in (string[])["MntNetoOtrMnda", "MntExeOtrMnda", "IVAOtrMnda", "MntFaeCarneOtrMnda", "MntMargComOtrMnda", "IVANoRetOtrMnda"])
        {
            if (Xml.DecimalValue(other, name) is { } v && Math.Abs(v) <= MaxAmount)
            {
                sum += v;
                parts++;
            }
        }

        if (parts > 0 && Math.Abs(sum - t) > tolerance * parts)
        {
            c.Warning("OTHER_CURRENCY_TOTAL_MISMATCH", c.P("Encabezado/OtraMoneda/MntTotOtrMnda"),
                "El monto total en otra moneda no es la suma de sus montos neto, exento, IVA e impuestos en otra moneda.", sum, t);
        }
    }

    /// <summary>An amount of the sale's currency times the exchange rate should be its peso amount, to the peso.</summary>
    private static void CompareConverted(CheckContext c, XmlElement? header, string foreignName, string pesoName, decimal rate, decimal pesos)
    {
        var totals = Xml.FirstChild(header, "Totales");
        if (Xml.DecimalValue(totals, foreignName) is not { } foreign || Math.Abs(foreign) > MaxAmount || Math.Abs(pesos) > MaxAmount)
        {
            return;
        }

        var expected = Math.Round(foreign * rate, MidpointRounding.AwayFromZero);
        if (Math.Abs(expected - pesos) > PesoTolerance)
        {
            c.Warning("EXPORT_PESO_CONVERSION_MISMATCH", c.P("Encabezado/OtraMoneda/" + pesoName),
                $"{pesoName} no corresponde a {foreignName} por el tipo de cambio ({foreignName} x TpoCambio, al peso).", expected, pesos);
        }
    }
}
