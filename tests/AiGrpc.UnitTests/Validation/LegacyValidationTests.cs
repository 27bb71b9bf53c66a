using AiGrpc.Common;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>The Odoo module's <c>/api/ai/validate</c> bodies, read as the module builds them.</summary>
public class LegacyValidationTests
{
    private static readonly DteSummaryChecks Checks = new(new DteValidator());

    private static LegacyValidation Legacy() => new(Checks, new ReceivedDteValidation(Checks));

    /// <summary>A coherent factura as the module's emitted-DTE builder writes it: floats, monto_iva.</summary>
    private static Dictionary<string, object?> Emitted() => new()
    {
        ["tipo_dte"] = 33d,
        ["folio"] = 1234d,
        ["fecha_emision"] = "2024-03-01",
        ["rut_emisor"] = "76354771-K",
        ["rut_receptor"] = "96790240-3",
        ["monto_neto"] = 1000000d,
        ["monto_iva"] = 190000d,
        ["monto_exento"] = 0d,
        ["monto_total"] = 1190000d,
    };

    [Fact]
    public void Coherent_factura_with_monto_iva_is_send_with_full_confidence()
    {
        var result = Legacy().Validate(Emitted(), 1, []);
        Assert.Equal("send", result.Recommendation);
        Assert.Equal(100, result.Confidence);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Vat_is_read_under_every_key_the_builders_use()
    {
        var old = Emitted();
        old.Remove("monto_iva");
        old["iva"] = 190000d;
        Assert.Equal("send", Legacy().Validate(old, 1, []).Recommendation);

        var nested = Emitted();
        foreach (var key in new[] { "monto_neto", "monto_iva", "monto_exento", "monto_total" })
        {
            nested.Remove(key);
        }

        nested["totales"] = new Dictionary<string, object?> { ["monto_neto"] = 1000000d, ["iva"] = 190000d, ["monto_total"] = 1190000d };
        Assert.Equal("send", Legacy().Validate(nested, 1, []).Recommendation);

        nested["totales"] = new Dictionary<string, object?> { ["monto_neto"] = 1000000d, ["iva"] = 190000d, ["monto_total"] = 1190001d };
        Assert.Contains(Legacy().Validate(nested, 1, []).Errors, e => e.StartsWith("TOTALS_TOTAL_MISMATCH", StringComparison.Ordinal));
    }

    [Fact]
    public void Exempt_factura_with_totals_nested_in_montos_is_send()
    {
        var data = new Dictionary<string, object?>
        {
            ["tipo_dte"] = "34", ["folio"] = 77d, ["fecha_emision"] = "2024-03-01", ["rut_emisor"] = "76.354.771-K", ["rut_receptor"] = "CL967902403",
            ["montos"] = new Dictionary<string, object?> { ["monto_exento"] = 500000d, ["monto_total"] = 500000d },
        };
        var result = Legacy().Validate(data, 1, []);
        Assert.Equal("send", result.Recommendation);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Vat_that_does_not_follow_the_net_amount_is_review_and_wrong_total_is_reject()
    {
        var vat = Emitted();
        vat["monto_iva"] = 190500d;
        vat["monto_total"] = 1190500d;
        var review = Legacy().Validate(vat, 1, []);
        Assert.Equal("review", review.Recommendation);
        Assert.Contains(review.Warnings, w => w.StartsWith("TOTALS_VAT_MISMATCH", StringComparison.Ordinal) && w.Contains("esperado: 190000", StringComparison.Ordinal));

        var total = Emitted();
        total["monto_total"] = 1290000d;
        var reject = Legacy().Validate(total, 1, []);
        Assert.Equal("reject", reject.Recommendation);
        Assert.InRange(reject.Confidence, 0, 49);
    }

    [Fact]
    public void Decimal_amounts_are_checked_in_cents_and_reported_in_the_document_units()
    {
        var export = new Dictionary<string, object?>
        {
            ["tipo_dte"] = 110d, ["folio"] = 5d, ["fecha_emision"] = "2024-03-01", ["rut_emisor"] = "76354771-K", ["rut_receptor"] = "55555555-5",
            ["monto_exento"] = 1234.56d, ["monto_total"] = 1234.56d,
        };
        Assert.Equal("send", Legacy().Validate(export, 1, []).Recommendation);

        export["monto_total"] = 1234.57d;
        var result = Legacy().Validate(export, 1, []);
        Assert.Equal("reject", result.Recommendation);
        Assert.Contains(result.Errors, e => e.StartsWith("TOTALS_TOTAL_MISMATCH", StringComparison.Ordinal) && e.Contains("esperado: 1234.56; recibido: 1234.57", StringComparison.Ordinal));

        var taxable = Emitted();
        taxable["monto_neto"] = 100.40d;
        taxable["monto_iva"] = 19.08d;
        taxable["monto_total"] = 119.48d;
        Assert.Equal("send", Legacy().Validate(taxable, 1, []).Recommendation);
    }

    [Theory]
    [InlineData("76.354.771-K")]
    [InlineData("76354771-k")]
    [InlineData("CL76354771K")]
    [InlineData(" 76354771K ")]
    public void Ruts_are_read_in_every_usual_spelling(string rut)
    {
        var data = Emitted();
        data["rut_emisor"] = rut;
        Assert.Equal("send", Legacy().Validate(data, 1, []).Recommendation);
    }

    [Fact]
    public void Wrong_check_digit_is_reject_with_the_code_in_the_error()
    {
        var data = Emitted();
        data["rut_emisor"] = "76354771-1";
        var result = Legacy().Validate(data, 1, []);
        Assert.Equal("reject", result.Recommendation);
        Assert.Contains(result.Errors, e => e.StartsWith("RUT_CHECK_DIGIT", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_tipo_dte_is_required_and_what_was_not_sent_is_named_and_lowers_the_confidence()
    {
        var bare = Legacy().Validate(new Dictionary<string, object?> { ["tipo_dte"] = "33" }, 1, []);
        Assert.Equal("review", bare.Recommendation);
        var warning = Assert.Single(bare.Warnings);
        Assert.StartsWith("FIELDS_MISSING", warning, StringComparison.Ordinal);
        Assert.Contains("el RUT del emisor", warning, StringComparison.Ordinal);
        Assert.Contains("el monto total", warning, StringComparison.Ordinal);

        var noBreakdown = Emitted();
        noBreakdown.Remove("monto_neto");
        noBreakdown.Remove("monto_iva");
        noBreakdown.Remove("monto_exento");
        var partial = Legacy().Validate(noBreakdown, 1, []);
        Assert.Equal("send", partial.Recommendation);
        Assert.InRange(partial.Confidence, 85, 99);

        var missing = Assert.Throws<InvalidInputException>(() => Legacy().Validate(new Dictionary<string, object?> { ["folio"] = 1d }, 1, []));
        Assert.Contains(missing.Violations, v => v.Field == "dte_data.tipo_dte");
    }

    [Fact]
    public void Odoo_false_means_absent_and_unknown_keys_are_ignored()
    {
        var data = Emitted();
        data["rut_receptor"] = false;
        data["folio"] = false;
        data["partner_ref"] = new List<object?> { 1d, "x" };
        data["l10n_latam_document_type_id"] = 5d;
        var result = Legacy().Validate(data, 1, []);
        Assert.Equal("review", result.Recommendation);
        Assert.Contains(result.Warnings, w => w.Contains("el RUT del receptor", StringComparison.Ordinal));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Business_problems_are_findings_not_errors_of_the_request()
    {
        var unknownType = Emitted();
        unknownType["tipo_dte"] = 99d;
        Assert.Contains(Legacy().Validate(unknownType, 1, []).Errors, e => e.StartsWith("STRUCTURE_TYPE_UNSUPPORTED", StringComparison.Ordinal));

        var huge = Emitted();
        huge["monto_total"] = 1e300;
        Assert.Contains(Legacy().Validate(huge, 1, []).Errors, e => e.StartsWith("TOTALS_OUT_OF_RANGE", StringComparison.Ordinal));

        var negative = Emitted();
        negative["monto_neto"] = -5d;
        Assert.Equal("reject", Legacy().Validate(negative, 1, []).Recommendation);

        var date = Emitted();
        date["fecha_emision"] = "01/03/2024";
        Assert.Contains(Legacy().Validate(date, 1, []).Errors, e => e.StartsWith("DATE_INVALID", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fecha_emision", 20240301d)]
    [InlineData("fecha_emision", true)]
    [InlineData("rut_emisor", 76354771d)]
    [InlineData("monto_total", "mucho")]
    [InlineData("monto_iva", true)]
    [InlineData("tipo_dte", 33.5d)]
    [InlineData("tipo_dte", "factura")]
    [InlineData("folio", "doce")]
    public void Values_of_a_type_that_cannot_mean_the_field_are_invalid_input(string field, object value)
    {
        var data = Emitted();
        data[field] = value;
        var ex = Assert.Throws<InvalidInputException>(() => Legacy().Validate(data, 1, []));
        Assert.Contains(ex.Violations, v => v.Field == "dte_data." + field);
    }

    [Fact]
    public void Company_id_history_size_and_mode_are_checked()
    {
        var ex = Assert.Throws<InvalidInputException>(() => Legacy().Validate(Emitted(), 0, []));
        Assert.Contains(ex.Violations, v => v.Field == "company_id");
        var history = Enumerable.Range(0, 101).Select(_ => new LegacyHistoryEntry(null, null)).ToList();
        Assert.Contains(Assert.Throws<InvalidInputException>(() => Legacy().Validate(Emitted(), 1, history)).Violations, v => v.Field == "history");
        Assert.Equal(LegacyMode.Reception, LegacyValidation.ReadMode(" Reception "));
        Assert.Equal(LegacyMode.Emission, LegacyValidation.ReadMode(""));
        Assert.Equal(LegacyMode.Emission, LegacyValidation.ReadMode(null));
        Assert.Equal("mode", Assert.Throws<InvalidInputException>(() => LegacyValidation.ReadMode("audit")).Violations[0].Field);
    }

    [Fact]
    public void Earlier_rejections_with_the_same_code_lower_the_confidence()
    {
        var data = Emitted();
        data["monto_iva"] = 190500d;
        data["monto_total"] = 1190500d;
        var plain = Legacy().Validate(data, 1, []);
        var withHistory = Legacy().Validate(data, 1, [new("TOTALS_VAT_MISMATCH", null), new(null, null), new(null, "sin código")]);
        Assert.True(withHistory.Confidence < plain.Confidence);
        Assert.Contains(withHistory.Warnings, w => w.StartsWith("HISTORY_REPEATED", StringComparison.Ordinal));
    }
}
