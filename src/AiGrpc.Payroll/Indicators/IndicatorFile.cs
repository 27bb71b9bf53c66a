using System.Text.Json;

namespace AiGrpc.Payroll.Indicators;

/// <summary>
/// Reads the indicator file format (<c>Data/indicators-cl.json</c>: <c>{"about", "fields", "months": {"YYYY-MM":
/// {field: null | {"value", "source", "basis", ...}}}}</c>). The shipped file is embedded and parsed once per process.
/// </summary>
public static class IndicatorFile
{
    private const string ResourceName = "AiGrpc.Payroll.indicators-cl.json";

    private static readonly Lazy<IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators>> ShippedMonths =
        new(LoadShipped, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The months shipped with the library (2024-01 … 2026-09), parsed on first use.</summary>
    public static IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> Shipped => ShippedMonths.Value;

    /// <summary>Parses a file in the shipped format.</summary>
    /// <exception cref="InvalidDataException">The JSON is not in that format (a month key, a value without a source…).</exception>
    public static IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> Parse(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    /// <summary>Parses the root element of a file in the shipped format.</summary>
    /// <exception cref="InvalidDataException">The JSON is not in that format.</exception>
    public static IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("months", out var months)
            || months.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("Indicator file without a 'months' object.");
        }

        var result = new Dictionary<PayrollPeriod, MonthlyIndicators>();
        foreach (var month in months.EnumerateObject())
        {
            if (!PayrollPeriod.TryParse(month.Name, out var period))
            {
                throw new InvalidDataException($"Month key '{month.Name}' is not YYYY-MM.");
            }

            result[period] = ParseMonth(period, month.Value);
        }

        return result;
    }

    /// <summary>Parses one month object (<c>{field: null | {"value", "source", "basis"}}</c>).</summary>
    /// <exception cref="InvalidDataException">A present value lacks a source, or has the wrong shape.</exception>
    public static MonthlyIndicators ParseMonth(PayrollPeriod period, JsonElement month)
    {
        if (month.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{period}: not an object.");
        }

        var reader = new MonthReader(period, month);
        return new MonthlyIndicators(
            period,
            reader.Read(IndicatorFields.UfLastDay, v => v.GetDecimal()),
            reader.Read(IndicatorFields.UfFirstDay, v => v.GetDecimal()),
            reader.Read(IndicatorFields.Utm, v => v.GetDecimal()),
            reader.Read(IndicatorFields.Uta, v => v.GetDecimal()),
            reader.Read(IndicatorFields.MinimumWage, v => v.GetDecimal()),
            reader.Text(IndicatorFields.MinimumWage, "law"),
            reader.Read(IndicatorFields.TaxableCapPensionUf, v => v.GetDecimal()),
            reader.Read(IndicatorFields.TaxableCapUnemploymentUf, v => v.GetDecimal()),
            reader.Read(IndicatorFields.AfpCommissionsPercent, Commissions),
            reader.Read(IndicatorFields.SisPercent, v => v.GetDecimal()),
            reader.Read(IndicatorFields.UnemploymentInsurance, Unemployment),
            reader.Read(IndicatorFields.FamilyAllowanceBrackets, FamilyBrackets),
            reader.Read(IndicatorFields.IncomeTaxBrackets, TaxBrackets));
    }

    /// <summary>
    /// Writes one month in the file's format (<c>{field: null | {"value", "source", "basis", "note"?}}</c>, the
    /// minimum wage's law as <c>law</c>), so that <see cref="ParseMonth"/> reads it back unchanged: how a month is
    /// kept outside the process (e.g. an administrator's correction shared by replicas).
    /// </summary>
    public static string WriteMonth(MonthlyIndicators month)
    {
        ArgumentNullException.ThrowIfNull(month);
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps the Spanish sources readable where the month is kept (it is never embedded in HTML).
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            Write(writer, IndicatorFields.UfLastDay, month.UfLastDay, (w, v) => w.WriteNumberValue(v));
            Write(writer, IndicatorFields.UfFirstDay, month.UfFirstDay, (w, v) => w.WriteNumberValue(v));
            Write(writer, IndicatorFields.Utm, month.Utm, (w, v) => w.WriteNumberValue(v));
            Write(writer, IndicatorFields.Uta, month.Uta, (w, v) => w.WriteNumberValue(v));
            Write(writer, IndicatorFields.MinimumWage, month.MinimumWage, (w, v) => w.WriteNumberValue(v), month.MinimumWageLaw);
            Write(writer, IndicatorFields.TaxableCapPensionUf, month.TaxableCapPensionUf, (w, v) => w.WriteNumberValue(v));
            Write(writer, IndicatorFields.TaxableCapUnemploymentUf, month.TaxableCapUnemploymentUf, (w, v) => w.WriteNumberValue(v));
            Write(writer, IndicatorFields.AfpCommissionsPercent, month.AfpCommissionsPercent, (w, v) =>
            {
                w.WriteStartObject();
                foreach (var (afp, percent) in v)
                {
                    w.WriteNumber(afp, percent);
                }

                w.WriteEndObject();
            });
            Write(writer, IndicatorFields.SisPercent, month.SisPercent, (w, v) => w.WriteNumberValue(v));
            Write(writer, IndicatorFields.UnemploymentInsurance, month.UnemploymentInsurance, (w, v) =>
            {
                w.WriteStartObject();
                w.WriteStartObject("indefinite");
                w.WriteNumber("worker_percent", v.IndefiniteWorker);
                w.WriteNumber("employer_percent", v.IndefiniteEmployer);
                w.WriteEndObject();
                w.WriteStartObject("fixed_term");
                w.WriteNumber("worker_percent", v.FixedTermWorker);
                w.WriteNumber("employer_percent", v.FixedTermEmployer);
                w.WriteEndObject();
                w.WriteEndObject();
            });
            Write(writer, IndicatorFields.FamilyAllowanceBrackets, month.FamilyAllowanceBrackets, (w, v) =>
            {
                w.WriteStartArray();
                foreach (var b in v)
                {
                    w.WriteStartObject();
                    w.WriteString("tramo", b.Tramo);
                    WriteNullable(w, "up_to_income", b.UpToIncome);
                    w.WriteNumber("amount", b.Amount);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            Write(writer, IndicatorFields.IncomeTaxBrackets, month.IncomeTaxBrackets, (w, v) =>
            {
                w.WriteStartArray();
                foreach (var b in v)
                {
                    w.WriteStartObject();
                    w.WriteNumber("from_utm", b.FromUtm);
                    WriteNullable(w, "to_utm", b.ToUtm);
                    w.WriteNumber("rate_percent", b.RatePercent);
                    w.WriteNumber("rebate_utm", b.RebateUtm);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write<T>(Utf8JsonWriter writer, string field, Sourced<T>? figure, Action<Utf8JsonWriter, T> value, string? law = null)
    {
        if (figure is null)
        {
            writer.WriteNull(field);
            return;
        }

        writer.WriteStartObject(field);
        writer.WritePropertyName("value");
        value(writer, figure.Value);
        writer.WriteString("source", figure.Source);
        writer.WriteString("basis", figure.Basis);
        if (figure.Note is not null)
        {
            writer.WriteString("note", figure.Note);
        }

        if (law is not null)
        {
            writer.WriteString("law", law);
        }

        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static IReadOnlyDictionary<PayrollPeriod, MonthlyIndicators> LoadShipped()
    {
        using var stream = typeof(IndicatorFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(IndicatorFile).Assembly.GetName().Name}.");
        return Parse(stream);
    }

    private static IReadOnlyDictionary<string, decimal> Commissions(JsonElement value) =>
        value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal(), StringComparer.Ordinal);

    private static UnemploymentInsuranceRates Unemployment(JsonElement value)
    {
        var indefinite = value.GetProperty("indefinite");
        var fixedTerm = value.GetProperty("fixed_term");
        return new UnemploymentInsuranceRates(
            indefinite.GetProperty("worker_percent").GetDecimal(),
            indefinite.GetProperty("employer_percent").GetDecimal(),
            fixedTerm.GetProperty("worker_percent").GetDecimal(),
            fixedTerm.GetProperty("employer_percent").GetDecimal());
    }

    private static IReadOnlyList<FamilyAllowanceBracket> FamilyBrackets(JsonElement value) =>
    [
        .. value.EnumerateArray().Select(b => new FamilyAllowanceBracket(
            b.GetProperty("tramo").GetString() ?? string.Empty,
            b.GetProperty("up_to_income").ValueKind == JsonValueKind.Null ? null : b.GetProperty("up_to_income").GetDecimal(),
            b.GetProperty("amount").GetDecimal())),
    ];

    private static IReadOnlyList<IncomeTaxBracket> TaxBrackets(JsonElement value) =>
    [
        .. value.EnumerateArray().Select(b => new IncomeTaxBracket(
            b.GetProperty("from_utm").GetDecimal(),
            b.GetProperty("to_utm").ValueKind == JsonValueKind.Null ? null : b.GetProperty("to_utm").GetDecimal(),
            b.GetProperty("rate_percent").GetDecimal(),
            b.GetProperty("rebate_utm").GetDecimal())),
    ];

    /// <summary>Reads the <c>{value, source, basis, note}</c> objects of one month.</summary>
    private readonly struct MonthReader(PayrollPeriod period, JsonElement month)
    {
        public Sourced<T>? Read<T>(string field, Func<JsonElement, T> value)
        {
            if (!month.TryGetProperty(field, out var item) || item.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var source = item.TryGetProperty("source", out var s) ? s.GetString() : null;
            if (string.IsNullOrWhiteSpace(source) || !item.TryGetProperty("value", out var raw))
            {
                throw new InvalidDataException($"{period} {field}: a present value needs 'value' and a 'source'.");
            }

            try
            {
                return new Sourced<T>(value(raw), source, Text(item, "basis") ?? "observed", Text(item, "note"));
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new InvalidDataException($"{period} {field}: {e.Message}", e);
            }
        }

        public string? Text(string field, string key) =>
            month.TryGetProperty(field, out var item) && item.ValueKind == JsonValueKind.Object ? Text(item, key) : null;

        private static string? Text(JsonElement item, string key) =>
            item.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
