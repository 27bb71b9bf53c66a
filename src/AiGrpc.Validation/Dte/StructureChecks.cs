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
