using AiGrpc.Common;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="LegacyValidation"/>'s request checks on both sides of each limit, the two modes, the confidence after
/// earlier rejections and the wording of each line of the answer.
/// </summary>
public class LegacyModesTests
{
    private static readonly DteSummaryChecks Checks = new(new DteValidator());

    private static readonly LegacyValidation Legacy = new(Checks, new ReceivedDteValidation(Checks));

    private static Dictionary<string, object?> Factura(double vat = 190000d) => new()
    {
        ["tipo_dte"] = 33d,
        ["folio"] = 1234d,
        ["fecha_emision"] = "2024-03-01",
        ["rut_emisor"] = "76354771-K",
        ["rut_receptor"] = "96790240-3",
        ["monto_neto"] = 1000000d,
        ["monto_iva"] = vat,
        ["monto_total"] = 1000000d + vat,
    };

    private static LegacyHistoryEntry Rejection(string? code) => new(code, "rechazo");

    [Theory]
    [InlineData("emission")]
    [InlineData("emision")]
    [InlineData("EMISIÓN")]
    [InlineData("emitted")]
    [InlineData(" send ")]
    public void Emission_is_read_in_each_spelling(string mode) => Assert.Equal(LegacyMode.Emission, LegacyValidation.ReadMode(mode));

    [Theory]
    [InlineData("reception")]
    [InlineData("recepcion")]
    [InlineData("Recepción")]
    [InlineData("RECEIVED")]
    public void Reception_is_read_in_each_spelling(string mode) => Assert.Equal(LegacyMode.Reception, LegacyValidation.ReadMode(mode));

    [Fact]
    public void An_unknown_mode_says_what_is_accepted()
    {
        var violation = Assert.Single(Assert.Throws<InvalidInputException>(() => LegacyValidation.ReadMode("audit")).Violations);
        Assert.Equal(new FieldViolation("mode", "must be \"reception\" (a DTE received from a supplier) or empty / \"emission\" (a DTE to send)"), violation);
    }

    [Fact]
    public void Company_and_history_limits_hold_on_both_sides_and_every_violation_is_reported_at_once()
    {
        Assert.Equal("send", Legacy.Validate(Factura(), 1, [.. Enumerable.Repeat(Rejection(null), 100)]).Recommendation);
        var ex = Assert.Throws<InvalidInputException>(() => Legacy.Validate(null, 0, [.. Enumerable.Repeat(Rejection(null), 101)]));
        Assert.Equal(
            [new FieldViolation("company_id", "must be a positive integer"), new FieldViolation("history", "at most 100 items"), new FieldViolation("dte_data", "is required")],
            ex.Violations);
        Assert.Equal(["company_id"], Assert.Throws<InvalidInputException>(() => Legacy.Validate(Factura(), -1, [])).Violations.Select(v => v.Field));
        Assert.Equal(["dte_data.monto_total"], Assert.Throws<InvalidInputException>(() => Legacy.Validate(new Dictionary<string, object?> { ["tipo_dte"] = 33d, ["monto_total"] = "mil" }, 1, [])).Violations.Select(v => v.Field));
        Assert.Throws<ArgumentNullException>(() => Legacy.Validate(Factura(), 1, null!));
    }

    [Fact]
    public void Each_earlier_rejection_repeated_now_costs_five_points_and_is_noted()
    {
        // VAT off: one warning (TOTALS_VAT_MISMATCH), review at 84.
        var plain = Legacy.Validate(Factura(180000d), 1, []);
        Assert.Equal(("review", 84), (plain.Recommendation, plain.Confidence));

        var repeated = Legacy.Validate(Factura(180000d), 1, [Rejection(" totals_vat_mismatch "), Rejection("TOTALS_VAT_MISMATCH"), Rejection(""), Rejection(null), Rejection("RUT_CHECK_DIGIT")]);
        Assert.Equal(79, repeated.Confidence);
        Assert.Equal("HISTORY_REPEATED: 1 hallazgo(s) ya causaron rechazos anteriores de esta empresa.", repeated.Warnings[^1]);
        Assert.Equal(2, repeated.Warnings.Count);

        // An unrelated earlier rejection changes nothing.
        var unrelated = Legacy.Validate(Factura(180000d), 1, [Rejection("RUT_CHECK_DIGIT")]);
        Assert.Equal(84, unrelated.Confidence);
        Assert.Single(unrelated.Warnings);
    }

    [Fact]
    public void The_confidence_never_leaves_the_band_of_its_recommendation()
    {
        // Two warnings (VAT, missing receiver): 84 - 8 - 2, then 5 points for each of the two repeated.
        var data = Factura(180000d);
        data.Remove("rut_receptor");
        List<LegacyHistoryEntry> history = [Rejection("TOTALS_VAT_MISMATCH"), Rejection("FIELDS_MISSING")];
        var result = Legacy.Validate(data, 1, history);
        Assert.Equal("review", result.Recommendation);
        Assert.Equal(ValidationConfidence.Of(Verdict.Review, [new("A", FindingSeverity.Warning, "p", "m"), new("B", FindingSeverity.Warning, "p", "m")], 5 / 6.0) - 10, result.Confidence);
        Assert.Contains("HISTORY_REPEATED: 2 hallazgo(s)", result.Warnings[^1], StringComparison.Ordinal);

        var send = Legacy.Validate(Factura(), 1, [Rejection("TOTALS_VAT_MISMATCH")]);
        Assert.Equal(("send", 100), (send.Recommendation, send.Confidence));

        // Four errors (49 - 36 = 13), three of them repeated (- 15): kept at 0.
        var bad = Factura();
        bad["rut_emisor"] = "76354771-1";
        bad["rut_receptor"] = "96790240-4";
        bad["monto_total"] = 5d;
        bad["fecha_emision"] = "2000-01-01";
        var plain = Legacy.Validate(bad, 1, []);
        Assert.Equal(("reject", 13, 4), (plain.Recommendation, plain.Confidence, plain.Errors.Count));
        var reject = Legacy.Validate(bad, 1, [Rejection("RUT_CHECK_DIGIT"), Rejection("TOTALS_TOTAL_MISMATCH")]);
        Assert.Equal(("reject", 0), (reject.Recommendation, reject.Confidence));
    }

    [Fact]
    public void Errors_and_warnings_are_written_with_code_message_and_values()
    {
        var data = Factura(180000d);
        data["rut_emisor"] = "76354771-1";
        var result = Legacy.Validate(data, 1, []);
        Assert.Equal("reject", result.Recommendation);
        Assert.Equal(["RUT_CHECK_DIGIT: El dígito verificador del RUT del emisor es incorrecto (módulo 11). (esperado: K; recibido: 1)"], result.Errors);
        Assert.Equal(["TOTALS_VAT_MISMATCH: El IVA no es igual al monto neto por la tasa de IVA redondeado (el SII lo trata como reparo). (esperado: 190000; recibido: 180000)"], result.Warnings);

        var bare = Legacy.Validate(new Dictionary<string, object?> { ["tipo_dte"] = 33d }, 1, []);
        Assert.Equal("FIELDS_MISSING: No se recibió la fecha de emisión, el RUT del emisor, el monto total, el RUT del receptor: esa parte del documento no pudo verificarse.", Assert.Single(bare.Warnings));
    }

    [Fact]
    public void A_guide_without_a_valid_transfer_indicator_is_an_error_with_both_values()
    {
        var data = Factura();
        data["tipo_dte"] = 52d;
        data["ind_traslado"] = "0";
        var error = Assert.Single(Legacy.Validate(data, 1, []).Errors);
        Assert.EndsWith("(esperado: 1-9; recibido: 0)", error, StringComparison.Ordinal);

        var noIndicator = Factura();
        noIndicator["tipo_dte"] = 61d;
        noIndicator["monto_total"] = 0d;
        noIndicator["monto_neto"] = 0d;
        noIndicator["monto_iva"] = 0d;
        Assert.Equal("send", Legacy.Validate(noIndicator, 1, []).Recommendation);
    }

    [Fact]
    public void Reception_compares_with_the_earlier_documents_in_the_history_and_ignores_the_other_items()
    {
        var earlier = new DteSummary { TypeText = "33", Folio = 1234, IssueDateText = "2024-02-01", IssuerRut = "76354771-K", Total = 1190000m };
        var result = Legacy.Validate(Factura(), 1, [new LegacyHistoryEntry("X", "y"), new LegacyHistoryEntry(null, null, earlier)], LegacyMode.Reception);
        Assert.Equal("reject", result.Recommendation);
        Assert.StartsWith("RECEPTION_DUPLICATE_FOLIO: ", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(ValidationConfidence.Of(Verdict.Reject, [new("A", FindingSeverity.Error, "p", "m")], 1), result.Confidence);

        // No earlier documents: the history is short (an info, not in the answer) and the DTE is sent.
        var alone = Legacy.Validate(Factura(), 1, [new LegacyHistoryEntry("TOTALS_VAT_MISMATCH", "y")], LegacyMode.Reception);
        Assert.Equal("send", alone.Recommendation);
        Assert.Empty(alone.Warnings);
        Assert.Empty(alone.Errors);
        Assert.InRange(alone.Confidence, 85, 99);
    }
}
