using AiGrpc.Common;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="LegacyDteReader"/> on its own: every key the module's builders use, numbers as JSON numbers or text,
/// Odoo's empty values, nested totals, and the violation (field and wording) for a value that cannot mean its field.
/// </summary>
public class LegacyDteReaderTests
{
    private static (DteSummary Summary, List<FieldViolation> Violations) Read(params (string Key, object? Value)[] fields)
    {
        var data = new Dictionary<string, object?> { ["tipo_dte"] = 33d };
        foreach (var (key, value) in fields)
        {
            data[key] = value;
        }

        var violations = new List<FieldViolation>();
        return (LegacyDteReader.Read(data, violations), violations);
    }

    private static FieldViolation Violation(params (string Key, object? Value)[] fields) => Assert.Single(Read(fields).Violations);

    [Theory]
    [InlineData(33d, "33")]
    [InlineData("33", "33")]
    [InlineData(" 61 ", "61")]
    [InlineData("33.0", "33")]
    [InlineData("-33", "-33")]
    [InlineData(999_999_999_999_999d, "999999999999999")]
    public void The_type_is_a_whole_number_as_number_or_text(object value, string type)
    {
        var (summary, violations) = Read(("tipo_dte", value));
        Assert.Empty(violations);
        Assert.Equal(type, summary.TypeText);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_or_empty_type_is_required(object? value)
    {
        var violations = new List<FieldViolation>();
        var data = new Dictionary<string, object?> { ["folio"] = 1d };
        if (value is not null)
        {
            data["tipo_dte"] = value;
        }

        Assert.Null(LegacyDteReader.Read(data, violations).TypeText);
        Assert.Equal(new FieldViolation("dte_data.tipo_dte", "is required"), Assert.Single(violations));
    }

    public static TheoryData<object, string> BadTypes() => new()
    {
        { 33.5d, "must be a DTE type number such as 33 or \"33\", not the number 33.5" },
        { 1e15d, "must be a DTE type number such as 33 or \"33\", not the number 1000000000000000" },
        { "33.5", "must be a DTE type number such as 33 or \"33\", not the text \"33.5\"" },
        { "factura", "must be a DTE type number such as 33 or \"33\", not the text \"factura\"" },
        { "1000000000000000.0", "must be a DTE type number such as 33 or \"33\", not the text \"1000000000000000.0\"" },
        { true, "must be a DTE type number such as 33 or \"33\", not a boolean" },
        { new string('x', 40), $"must be a DTE type number such as 33 or \"33\", not the text \"{new string('x', 40)}\"" },
        { new string('x', 41), "must be a DTE type number such as 33 or \"33\", not a long text" },
        { new Dictionary<string, object?>(), "must be a DTE type number such as 33 or \"33\", not an object" },
        { new List<object?>(), "must be a DTE type number such as 33 or \"33\", not a list" },
        { 33, "must be a DTE type number such as 33 or \"33\", not a value of another kind" },
    };

    [Theory]
    [MemberData(nameof(BadTypes))]
    public void A_type_that_is_no_whole_number_is_invalid_and_named(object value, string description)
    {
        var (summary, violations) = Read(("tipo_dte", value));
        Assert.Null(summary.TypeText);
        Assert.Equal(new FieldViolation("dte_data.tipo_dte", description), Assert.Single(violations));
    }

    [Fact]
    public void Folio_dates_ruts_and_names_are_read_from_the_modules_keys()
    {
        var (summary, violations) = Read(("folio", 1234d), ("fecha_emision", " 2025-10-01T00:00:00 "), ("rut_emisor", "76.354.771-K"),
            ("rut_receptor", "CL967902403"), ("razon_social_emisor", " Ñandú SpA "), ("razon_social", "otra"));
        Assert.Empty(violations);
        Assert.Equal(((long?)1234L, "2025-10-01", "76354771-K", "96790240-3", "Ñandú SpA"),
            (summary.Folio, summary.IssueDateText, summary.IssuerRut, summary.ReceiverRut, summary.IssuerName));
        Assert.Equal("otra", Read(("razon_social", " otra ")).Summary.IssuerName);
        Assert.Equal((long?)55L, Read(("folio", "55")).Summary.Folio);
        Assert.Null(Read(("folio", false)).Summary.Folio);
    }

    [Fact]
    public void Text_fields_must_be_text()
    {
        Assert.Equal(new FieldViolation("dte_data.fecha_emision", "must be a string, not the number 20251001"), Violation(("fecha_emision", 20251001d)));
        Assert.Equal(new FieldViolation("dte_data.rut_emisor", "must be a string, not a boolean"), Violation(("rut_emisor", true)));
        Assert.Equal(new FieldViolation("dte_data.folio", "must be a whole number, not the number 1.5"), Violation(("folio", 1.5d)));
    }

    [Theory]
    [InlineData(6d, "6")]
    [InlineData(-3d, "-3")]
    [InlineData(999_999d, "999999")]
    [InlineData("6", "6")]
    [InlineData(" 6 ", "6")]
    public void The_transfer_indicator_may_be_a_number_or_text(object value, string indicator)
    {
        var (summary, violations) = Read(("ind_traslado", value));
        Assert.Empty(violations);
        Assert.Equal(indicator, summary.TransferIndicator);
    }

    [Theory]
    [InlineData(6.5d, "must be a string, not the number 6.5")]
    [InlineData(1_000_000d, "must be a string, not the number 1000000")]
    [InlineData(-1_000_000d, "must be a string, not the number -1000000")]
    public void A_transfer_indicator_that_is_no_short_whole_number_is_invalid(double value, string description)
    {
        var (summary, violations) = Read(("ind_traslado", value));
        Assert.Null(summary.TransferIndicator);
        Assert.Equal(new FieldViolation("dte_data.ind_traslado", description), Assert.Single(violations));
    }

    [Fact]
    public void Each_amount_is_read_under_every_key_the_builders_use_the_first_one_winning()
    {
        Assert.Equal("1|2|3|4|19", Amounts(Read(("monto_neto", 1d), ("monto_exento", 2d), ("monto_iva", 3d), ("monto_total", 4d), ("tasa_iva", 19d)).Summary));
        Assert.Equal("1|2|3|4|", Amounts(Read(("neto", 1d), ("exento", 2d), ("iva", 3d), ("total", 4d)).Summary));
        Assert.Equal("1|2||4|", Amounts(Read(("mnt_neto", 1d), ("mnt_exe", 2d), ("mnt_total", 4d)).Summary));
        Assert.Equal("1|2|3|4|", Amounts(Read(("monto_neto", 1d), ("neto", 9d), ("monto_exento", 2d), ("exento", 9d), ("monto_iva", 3d), ("iva", 9d), ("monto_total", 4d), ("total", 9d)).Summary));
        Assert.Equal("10||||", Amounts(Read(("monto_neto", false), ("neto", "10")).Summary));
    }

    private static string Amounts(DteSummary s) => string.Join("|", new[] { s.Net, s.Exempt, s.Vat, s.Total, s.VatRate }.Select(a => a?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Nested_totals_are_read_when_the_top_level_has_none()
    {
        var totales = new Dictionary<string, object?> { ["neto"] = 100d, ["monto_neto"] = false, ["total"] = "119" };
        var montos = new Dictionary<string, object?> { ["iva"] = 19d, ["total"] = 999d, ["neto"] = 999d };
        var (summary, violations) = Read(("totales", totales), ("montos", montos), ("monto_exento", 5d));
        Assert.Empty(violations);
        Assert.Equal("100|5|19|119|", Amounts(summary));

        // The top level wins over a nested object; something that is not an object is no totals.
        Assert.Equal((decimal?)7m, Read(("monto_neto", 7d), ("totales", totales)).Summary.Net);
        Assert.Null(Read(("totales", "100")).Summary.Net);
    }

    [Theory]
    [InlineData("1190000", 1190000)]
    [InlineData(" 1190000.50 ", 1190000.50)]
    [InlineData("-5", -5)]
    public void Amounts_may_come_as_numeric_text(string text, double amount) =>
        Assert.Equal((decimal)amount, Read(("monto_total", text)).Summary.Total);

    [Fact]
    public void An_amount_that_is_no_number_is_invalid_and_named_by_its_path()
    {
        Assert.Equal(new FieldViolation("dte_data.monto_total", "must be a number, not the text \"mil\""), Violation(("monto_total", "mil")));
        Assert.Equal(new FieldViolation("dte_data.monto_total", "must be a number, not the text \"1,5\""), Violation(("monto_total", "1,5")));
        Assert.Equal(new FieldViolation("dte_data.monto_neto", "must be a number, not the number NaN"), Violation(("monto_neto", double.NaN)));
        Assert.Equal(new FieldViolation("dte_data.iva", "must be a number, not the number Infinity"), Violation(("iva", double.PositiveInfinity)));
        Assert.Equal(new FieldViolation("dte_data.totales.iva", "must be a number, not a list"),
            Violation(("totales", new Dictionary<string, object?> { ["iva"] = new List<object?> { 1d } })));
        Assert.Equal(new FieldViolation("dte_data.montos.total", "must be a number, not a boolean"),
            Violation(("montos", new Dictionary<string, object?> { ["total"] = true })));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(false, true)]
    [InlineData("", true)]
    [InlineData(" \t", true)]
    [InlineData(true, false)]
    [InlineData(0d, false)]
    [InlineData("0", false)]
    public void Odoo_sends_null_false_or_blank_text_for_an_empty_field(object? value, bool empty) =>
        Assert.Equal(empty, LegacyDteReader.IsEmpty(value));

    [Fact]
    public void Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => LegacyDteReader.Read(null!, []));
        Assert.Throws<ArgumentNullException>(() => LegacyDteReader.Read(new Dictionary<string, object?>(), null!));
    }
}
