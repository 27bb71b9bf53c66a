using System.Globalization;
using AiGrpc.Common;

namespace AiGrpc.Validation.Dte;

/// <summary>
/// Reads the Odoo module's <c>dte_data</c> dictionary (JSON-like values: null, bool, double, string, lists,
/// dictionaries) into a <see cref="DteSummary"/>. The module's key names, its older ones and nested totals are all
/// read; numbers may come as JSON numbers or numeric strings, and Odoo's <c>false</c> for an empty field means
/// absent. A value of a type that cannot mean the field (a date as a number, an amount as a word) is invalid input.
/// </summary>
public static class LegacyDteReader
{
    /// <summary>Objects that some of the module's builders nest the totals in (<c>montos</c> for type 34).</summary>
    private static readonly string[] TotalsObjects = ["totales", "montos"];

    /// <summary>Reads <paramref name="data"/>; violations are added to <paramref name="violations"/>.</summary>
    public static DteSummary Read(IReadOnlyDictionary<string, object?> data, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(violations);
        var reader = new Reader(data, violations);
        return new DteSummary
        {
            TypeText = reader.Type(),
            Folio = reader.Integer("folio"),
            IssueDateText = DteSummary.DatePart(reader.Text("fecha_emision")),
            IssuerRut = DteSummary.NormalizeRut(reader.Text("rut_emisor")),
            IssuerName = reader.Text("razon_social_emisor") ?? reader.Text("razon_social"),
            ReceiverRut = DteSummary.NormalizeRut(reader.Text("rut_receptor")),
            TransferIndicator = reader.Code("ind_traslado"),
            Net = reader.Amount("monto_neto", "neto", "mnt_neto"),
            Exempt = reader.Amount("monto_exento", "exento", "mnt_exe"),
            Vat = reader.Amount("monto_iva", "iva"),
            Total = reader.Amount("monto_total", "total", "mnt_total"),
            VatRate = reader.Amount("tasa_iva"),
        };
    }

    /// <summary>True for the values Odoo sends for an empty field: null, <c>false</c> and blank text.</summary>
    public static bool IsEmpty(object? value) => value is null or false || (value is string s && string.IsNullOrWhiteSpace(s));

    private sealed class Reader(IReadOnlyDictionary<string, object?> data, List<FieldViolation> violations)
    {
        public string? Type()
        {
            if (!Find("tipo_dte", out var value, out var field))
            {
                violations.Add(new("dte_data.tipo_dte", "is required"));
                return null;
            }

            var number = WholeNumber(value, field, "a DTE type number such as 33 or \"33\"");
            return number?.ToString(CultureInfo.InvariantCulture);
        }

        public long? Integer(string key) => Find(key, out var value, out var field) ? WholeNumber(value, field, "a whole number") : null;

        public string? Text(string key)
        {
            if (!Find(key, out var value, out var field))
            {
                return null;
            }

            if (value is string s)
            {
                return s.Trim();
            }

            violations.Add(new(field, $"must be a string, not {Kind(value)}"));
            return null;
        }

        /// <summary>A short code that may come as text or as a number (IndTraslado).</summary>
        public string? Code(string key) =>
            Find(key, out var value, out _) && value is double d && d == Math.Floor(d) && Math.Abs(d) < 1e6
                ? ((long)d).ToString(CultureInfo.InvariantCulture)
                : Text(key);

        /// <summary>The first of <paramref name="keys"/> present at the top level, else in a nested totals object.</summary>
        public decimal? Amount(params string[] keys)
        {
            foreach (var key in keys)
            {
                if (Find(key, out var value, out var field))
                {
                    return Number(value, field);
                }
            }

            foreach (var name in TotalsObjects)
            {
                if (data.TryGetValue(name, out var nested) && nested is IReadOnlyDictionary<string, object?> totals)
                {
                    foreach (var key in keys)
                    {
                        if (totals.TryGetValue(key, out var value) && !IsEmpty(value))
                        {
                            return Number(value, $"dte_data.{name}.{key}");
                        }
                    }
                }
            }

            return null;
        }

        private bool Find(string key, out object? value, out string field)
        {
            field = "dte_data." + key;
            return data.TryGetValue(key, out value) && !IsEmpty(value);
        }

        private long? WholeNumber(object? value, string field, string what)
        {
            switch (value)
            {
                case double d when d == Math.Floor(d) && Math.Abs(d) < 1e15:
                    return (long)d;
                case string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                case string s when decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d == decimal.Floor(d) && Math.Abs(d) < 1e15m:
                    return (long)d;
                default:
                    violations.Add(new(field, $"must be {what}, not {Kind(value)}"));
                    return null;
            }
        }

        /// <summary>A JSON number (see <see cref="DteSummary.AmountOf"/>) or numeric text.</summary>
        private decimal? Number(object? value, string field)
        {
            switch (value)
            {
                case double d when double.IsFinite(d):
                    return DteSummary.AmountOf(d);
                case string s when decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    violations.Add(new(field, $"must be a number, not {Kind(value)}"));
                    return null;
            }
        }

        private static string Kind(object? value) => value switch
        {
            bool => "a boolean",
            double d => $"the number {d.ToString(CultureInfo.InvariantCulture)}",
            string s => s.Length <= 40 ? $"the text \"{s}\"" : "a long text",
            System.Collections.IDictionary => "an object",
            System.Collections.IEnumerable => "a list",
            _ => "a value of another kind",
        };
    }
}
