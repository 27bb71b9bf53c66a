using System.Globalization;

namespace AiGrpc.Validation.Dte;

// Rules cite "Formato DTE v2.2" (SII, 2019-07-10): the field table of each element; see docs/validation.md.

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
