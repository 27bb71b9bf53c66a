using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="VendorHistoryChecks"/> on its own: which earlier documents count, the boundaries of each rule on both
/// sides, and the facts each finding states (amounts, dates, folios).
/// </summary>
public class VendorHistoryTests
{
    private static DteSummary Bill(long? folio, string? date, decimal? total, int? type = 33) => new()
    {
        TypeText = type?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Folio = folio,
        IssueDateText = date,
        Total = total,
    };

    /// <summary>A supplier that always bills 1,000,000: median log10 6, spread at its floor (0.0792).</summary>
    private static List<DteSummary> Fixed(int count = 3, int type = 33) =>
        [.. Enumerable.Range(0, count).Select(i => Bill(100 + i, $"2025-0{i + 1}-01", 1_000_000m, type))];

    private static IReadOnlyList<Finding> Run(DteSummary document, IReadOnlyList<DteSummary> history) =>
        VendorHistoryChecks.Run(document, history).Findings;

    private static Finding Duplicate(DteSummary document, IReadOnlyList<DteSummary> history) =>
        Assert.Single(Run(document, history), f => f.Code == "RECEPTION_DUPLICATE_FOLIO");

    [Fact]
    public void A_duplicate_names_type_folio_date_and_amount_of_the_earlier_document()
    {
        var finding = Duplicate(Bill(7, "2025-05-02", 500_000m), [Bill(7, "2025-04-30", 500_000m)]);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal("Documento/Encabezado/IdDoc/Folio", finding.Path);
        Assert.Equal("Este proveedor ya envió el documento tipo 33 folio 7, emitido el 2025-04-30 por $500.000: es una factura duplicada y no debe registrarse dos veces.", finding.Message);
        Assert.Equal("folio no recibido antes", finding.Expected);
        Assert.Equal("7", finding.Actual);
    }

    [Fact]
    public void A_duplicate_with_another_amount_says_so_and_leaves_out_what_the_earlier_one_lacks()
    {
        var other = Duplicate(Bill(7, null, 500_000m), [Bill(7, "2025-04-30", 400_000m)]);
        Assert.Equal("Este proveedor ya envió un documento tipo 33 con el folio 7, emitido el 2025-04-30 por $400.000, con otro monto: un folio se usa una sola vez por emisor y tipo.", other.Message);

        // Without an earlier date or amount, neither is named; a missing amount on either side is not "another amount".
        var bare = Duplicate(Bill(7, null, 500_000m), [Bill(7, null, null)]);
        Assert.Equal("Este proveedor ya envió el documento tipo 33 folio 7: es una factura duplicada y no debe registrarse dos veces.", bare.Message);
        var noAmount = Duplicate(Bill(7, null, null), [Bill(7, null, 400_000m)]);
        Assert.Contains("folio 7 por $400.000: es una factura duplicada", noAmount.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_is_reported_once_even_when_the_folio_was_received_twice()
    {
        var finding = Duplicate(Bill(7, null, 10m), [Bill(7, null, 10m), Bill(7, null, 20m)]);
        Assert.Contains("es una factura duplicada", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7L, 8L, 33, 33)]     // another folio
    [InlineData(7L, 7L, 33, 34)]     // the same folio of another type
    [InlineData(0L, 0L, 33, 33)]     // folio 0: no folio
    [InlineData(null, null, 33, 33)] // no folio at all
    [InlineData(7L, 7L, null, 33)]   // a document without a type
    public void Only_the_same_type_and_a_real_folio_is_a_duplicate(long? folio, long? earlierFolio, int? type, int earlierType) =>
        Assert.DoesNotContain(Run(Bill(folio, null, 10m, type), [Bill(earlierFolio, null, 10m, earlierType)]), f => f.Code == "RECEPTION_DUPLICATE_FOLIO");

    [Fact]
    public void A_short_history_is_an_info_that_counts_the_earlier_amounts()
    {
        var result = VendorHistoryChecks.Run(Bill(200, null, 1_000_000m), Fixed(2));
        Assert.Equal(2, result.Compared);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("RECEPTION_HISTORY_SHORT", finding.Code);
        Assert.Equal(FindingSeverity.Info, finding.Severity);
        Assert.Equal("history", finding.Path);
        Assert.Equal("Hay 2 facturas anteriores de este proveedor con monto; se necesitan 3 para saber si el monto es habitual.", finding.Message);
        Assert.Equal(">= 3", finding.Expected);
        Assert.Equal("2", finding.Actual);

        var enough = VendorHistoryChecks.Run(Bill(200, null, 1_000_000m), Fixed(3));
        Assert.Equal(3, enough.Compared);
        Assert.Empty(enough.Findings);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_document_without_a_positive_amount_is_not_compared(int total)
    {
        var result = VendorHistoryChecks.Run(Bill(200, null, total), Fixed(5));
        Assert.Equal(0, result.Compared);
        Assert.Empty(result.Findings);
        var none = VendorHistoryChecks.Run(Bill(200, null, null), Fixed(5));
        Assert.Equal(0, none.Compared);
        Assert.Empty(none.Findings);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(99)]
    public void A_document_of_no_known_family_is_not_compared(int? type)
    {
        var result = VendorHistoryChecks.Run(Bill(200, null, 50_000_000m, type), Fixed(5, type ?? 99));
        Assert.Equal(0, result.Compared);
        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData(33, 34, 3)]   // facturas afectas and exentas are one family
    [InlineData(33, 46, 3)]
    [InlineData(110, 43, 3)]
    [InlineData(56, 111, 3)]  // debit notes
    [InlineData(61, 112, 3)]  // credit notes
    [InlineData(52, 52, 3)]   // dispatch guides
    [InlineData(39, 41, 3)]   // boletas
    [InlineData(33, 61, 0)]
    [InlineData(56, 61, 0)]
    [InlineData(52, 33, 0)]
    [InlineData(39, 33, 0)]
    public void Amounts_are_compared_within_a_family_of_types(int type, int historyType, int compared)
    {
        var result = VendorHistoryChecks.Run(Bill(200, null, 1_000_000m, type), Fixed(3, historyType));
        Assert.Equal(compared, result.Compared);
    }

    [Fact]
    public void The_family_is_named_in_the_findings()
    {
        Assert.Contains("Hay 0 notas de débito anteriores", Assert.Single(Run(Bill(1, null, 5m, 56), [])).Message, StringComparison.Ordinal);
        Assert.Contains("Hay 0 notas de crédito anteriores", Assert.Single(Run(Bill(1, null, 5m, 61), [])).Message, StringComparison.Ordinal);
        Assert.Contains("Hay 0 guías de despacho anteriores", Assert.Single(Run(Bill(1, null, 5m, 52), [])).Message, StringComparison.Ordinal);
        Assert.Contains("Hay 0 boletas anteriores", Assert.Single(Run(Bill(1, null, 5m, 39), [])).Message, StringComparison.Ordinal);
        Assert.Contains("Hay 0 facturas anteriores", Assert.Single(Run(Bill(1, null, 5m, 110), [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Earlier_documents_without_a_positive_amount_and_the_document_itself_do_not_count()
    {
        List<DteSummary> history = [.. Fixed(3), Bill(300, null, 0m), Bill(301, null, -10m), Bill(302, null, null), Bill(200, null, 1_000_000m)];
        Assert.Equal(3, VendorHistoryChecks.Run(Bill(200, null, 1_000_000m), history).Compared);

        // The same folio of another type, and earlier documents without a folio, do count.
        List<DteSummary> others = [.. Fixed(2), Bill(200, null, 1_000_000m, 34), Bill(null, null, 1_000_000m), Bill(0, null, 1_000_000m)];
        Assert.Equal(5, VendorHistoryChecks.Run(Bill(200, null, 1_000_000m), others).Compared);
        Assert.Equal(5, VendorHistoryChecks.Run(Bill(null, null, 1_000_000m), others).Compared);
        Assert.Equal(5, VendorHistoryChecks.Run(Bill(0, null, 1_000_000m), others).Compared);
    }

    [Fact]
    public void An_amount_twice_a_fixed_fee_names_the_usual_amount_and_the_range()
    {
        var finding = Assert.Single(Run(Bill(200, null, 2_000_000m), Fixed()));
        Assert.Equal("RECEPTION_AMOUNT_UNUSUAL", finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Equal("Documento/Encabezado/Totales/MntTotal", finding.Path);
        Assert.Equal("El monto ($2.000.000) es 2.0 veces el habitual de este proveedor (mediana $1.000.000 en 3 facturas anteriores); lo esperable está entre $528.202 y $1.893.215.", finding.Message);
        Assert.Equal("528202..1893215", finding.Expected);
        Assert.Equal("2000000", finding.Actual);
    }

    [Theory]
    [InlineData(1_890_000, false)]
    [InlineData(1_900_000, true)]
    [InlineData(530_000, false)]
    [InlineData(526_000, true)]
    public void The_fixed_fee_range_holds_on_both_sides(int total, bool unusual) =>
        Assert.Equal(unusual, Run(Bill(200, null, total), Fixed()).Any(f => f.Code == "RECEPTION_AMOUNT_UNUSUAL"));

    [Theory]
    [InlineData(25_000_000, "es 25 veces el habitual")]
    [InlineData(25_300_000, "es 25 veces el habitual")]
    [InlineData(39_000, "es 26 veces menos que el habitual")]
    [InlineData(10_000_000, "es 10 veces el habitual")]
    [InlineData(9_500_000, "es 9.5 veces el habitual")]
    [InlineData(400_000, "es 2.5 veces menos que el habitual")]
    [InlineData(100_000, "es 10 veces menos que el habitual")]
    [InlineData(40_000, "es 25 veces menos que el habitual")]
    public void The_ratio_to_the_usual_amount_is_written_both_ways(int total, string how) =>
        Assert.Contains(how, Assert.Single(Run(Bill(200, null, total), Fixed())).Message, StringComparison.Ordinal);

    [Fact]
    public void The_median_and_the_spread_are_robust_to_an_odd_bill()
    {
        // 1, 2, 3, 4 million and a 1,000-million bill: the median is 3 million and the odd bill moves it only one place.
        List<DteSummary> history = [.. new[] { 1m, 2m, 3m, 4m, 1000m }.Select((m, i) => Bill(100 + i, null, m * 1_000_000m))];
        var finding = Assert.Single(Run(Bill(200, null, 300_000_000m), history));
        Assert.Contains("(mediana $3.000.000 en 5 facturas anteriores)", finding.Message, StringComparison.Ordinal);

        // Even count: the median lies between the two middle values (on the log scale: their geometric mean).
        List<DteSummary> even = [.. new[] { 1m, 4m, 9m, 16m }.Select((m, i) => Bill(100 + i, null, m * 100_000m))];
        var evenFinding = Assert.Single(Run(Bill(200, null, 100_000_000m), even));
        Assert.Contains("(mediana $600.000 en 4 facturas anteriores)", evenFinding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_supplier_with_a_wide_spread_is_judged_by_it_and_not_by_the_floor()
    {
        // Amounts of 100,000 to 1,000,000 (log10 5 to 6): 2,000,000 is ordinary here, though it is twice the largest.
        List<DteSummary> history = [.. new[] { 100_000m, 200_000m, 500_000m, 1_000_000m, 300_000m }.Select((m, i) => Bill(100 + i, null, m))];
        Assert.DoesNotContain(Run(Bill(200, null, 2_000_000m), history), f => f.Code == "RECEPTION_AMOUNT_UNUSUAL");
        Assert.Contains(Run(Bill(200, null, 100_000_000m), history), f => f.Code == "RECEPTION_AMOUNT_UNUSUAL");
    }

    [Fact]
    public void A_date_out_of_sequence_names_both_documents_and_the_limit()
    {
        // Folio 50 dated 61 days before folio 40.
        var earlier = Assert.Single(Run(Bill(50, "2025-01-01", null), [Bill(40, "2025-03-03", null)]));
        Assert.Equal("RECEPTION_DATE_OUT_OF_SEQUENCE", earlier.Code);
        Assert.Equal(FindingSeverity.Warning, earlier.Severity);
        Assert.Equal("Documento/Encabezado/IdDoc/FchEmis", earlier.Path);
        Assert.Equal("La fecha de emisión (2025-01-01) no sigue la secuencia de folios del proveedor: su folio 40 es del 2025-03-03, 61 días después, siendo un folio anterior a este (50).", earlier.Message);
        Assert.Equal(">= 2025-01-02", earlier.Expected);
        Assert.Equal("2025-01-01", earlier.Actual);

        // Folio 30 dated 61 days after folio 40.
        var later = Assert.Single(Run(Bill(30, "2025-03-03", null), [Bill(40, "2025-01-01", null)]));
        Assert.Equal("La fecha de emisión (2025-03-03) no sigue la secuencia de folios del proveedor: su folio 40 es del 2025-01-01, 61 días antes, siendo un folio posterior a este (30).", later.Message);
        Assert.Equal("<= 2025-03-02", later.Expected);
    }

    [Theory]
    [InlineData(50, "2025-01-01", 40, "2025-03-02", false)] // 60 days: within the tolerance
    [InlineData(50, "2025-01-01", 40, "2025-03-03", true)]
    [InlineData(30, "2025-03-02", 40, "2025-01-01", false)]
    [InlineData(30, "2025-03-03", 40, "2025-01-01", true)]
    [InlineData(50, "2025-03-03", 40, "2025-01-01", false)] // in order, however far apart
    [InlineData(30, "2025-01-01", 40, "2025-03-03", false)]
    public void The_sequence_tolerance_is_sixty_days_either_way(long folio, string date, long earlierFolio, string earlierDate, bool reported) =>
        Assert.Equal(reported, Run(Bill(folio, date, null), [Bill(earlierFolio, earlierDate, null)]).Any(f => f.Code == "RECEPTION_DATE_OUT_OF_SEQUENCE"));

    [Fact]
    public void Only_dated_documents_of_the_same_type_with_another_real_folio_enter_the_sequence()
    {
        var document = Bill(50, "2025-01-01", null);
        Assert.Empty(Run(document, [Bill(40, "2025-06-01", null, 34)]));
        Assert.Empty(Run(document, [Bill(0, "2025-06-01", null)]));
        Assert.Empty(Run(document, [Bill(null, "2025-06-01", null)]));
        Assert.Empty(Run(document, [Bill(40, null, null)]));
        Assert.Empty(Run(document, [Bill(40, "no es fecha", null)]));
        Assert.Empty(Run(Bill(50, null, null), [Bill(40, "2025-06-01", null)]));
        Assert.Empty(Run(Bill(0, "2025-01-01", null), [Bill(40, "2025-06-01", null)]));
        Assert.Empty(Run(Bill(null, "2025-01-01", null), [Bill(40, "2025-06-01", null)]));
        Assert.Empty(Run(Bill(50, "2025-01-01", null, null), [Bill(40, "2025-06-01", null, null)]));

        // One finding, for the first earlier document out of sequence, even when several are.
        var finding = Assert.Single(Run(document, [Bill(40, null, null), Bill(41, "2025-06-01", null), Bill(42, "2025-07-01", null)]));
        Assert.Contains("su folio 41 es del 2025-06-01", finding.Message, StringComparison.Ordinal);
    }
}
