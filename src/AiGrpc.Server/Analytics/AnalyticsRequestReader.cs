using System.Globalization;
using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.V1;
using AiGrpc.Common;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// Checks analytics requests and turns them into engine records. Every violation is collected and
/// reported at once as <see cref="InvalidInputException"/> (INVALID_ARGUMENT / 400) naming the field in
/// proto field names, so a caller can fix the whole request in one go.
/// </summary>
public sealed class AnalyticsRequestReader(IOptions<AnalyticsOptions> options)
{
    private readonly AnalyticsOptions _options = options.Value;

    /// <summary>The invoice of a request (or of a batch item, with <paramref name="prefix"/> such as <c>invoices[3].</c>).</summary>
    public InvoiceToMatch ReadInvoice(MatchInvoiceRequest request, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FieldViolation>();
        var invoice = ReadInvoice(request, prefix, violations);
        ThrowIfAny(violations);
        return invoice;
    }

    /// <summary>Invoice, projects and history of a unary request.</summary>
    public (InvoiceToMatch Invoice, IReadOnlyList<ProjectCandidate> Projects, IReadOnlyList<AssignedInvoice> History) Read(MatchInvoiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FieldViolation>();
        var invoice = ReadInvoice(request, string.Empty, violations);
        var projects = ReadProjects(request.Projects, "projects", violations);
        var history = ReadHistory(request.History, "history", violations);
        ThrowIfAny(violations);
        return (invoice, projects, history);
    }

    /// <summary>Projects and history of a batch's context message.</summary>
    public (IReadOnlyList<ProjectCandidate> Projects, IReadOnlyList<AssignedInvoice> History) ReadContext(MatchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var violations = new List<FieldViolation>();
        var projects = ReadProjects(context.Projects, "context.projects", violations);
        var history = ReadHistory(context.History, "context.history", violations);
        ThrowIfAny(violations);
        return (projects, history);
    }

    /// <summary>The Odoo module's request as engine records (see docs/analytics.md for the mapping).</summary>
    /// <remarks><c>partner_vat</c> is whatever Odoo holds: a RUT in any spelling, its base_vat form (<c>CL762345676</c>),
    /// a foreign VAT number, or nothing. Only a Chilean RUT is compared with RUT history; the returned note says so
    /// for anything else, for the reasoning.</remarks>
    public (InvoiceToMatch Invoice, IReadOnlyList<ProjectCandidate> Projects, IReadOnlyList<AssignedInvoice> History, string? Note) ReadLegacy(SuggestProjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FieldViolation>();
        Text(request.PartnerVat, "partner_vat", violations);
        var (rut, note) = ReadPartnerVat(request.PartnerVat);
        Text(request.PartnerName, "partner_name", violations);
        AtMost(request.InvoiceLines.Count, _options.MaxLines, "invoice_lines", "lines", violations);

        var lines = new List<InvoiceLineToMatch>(request.InvoiceLines.Count);
        decimal? amount = null;
        for (var i = 0; i < request.InvoiceLines.Count && i < _options.MaxLines; i++)
        {
            var line = request.InvoiceLines[i];
            var field = $"invoice_lines[{i}]";
            Text(line.Description, field + ".description", violations);
            var quantity = Number(line.Quantity, field + ".quantity", violations, allowNegative: true);
            var price = Number(line.Price, field + ".price", violations, allowNegative: false);
            lines.Add(new InvoiceLineToMatch(line.Description, quantity, null, price));
            if (quantity is { } q && price is { } p)
            {
                amount = (amount ?? 0) + (q * p);
            }
        }

        AtMost(request.AvailableProjects.Count, _options.MaxProjects, "available_projects", "projects", violations);

        var projects = new List<ProjectCandidate>();
        var seen = new Dictionary<int, int>();
        for (var i = 0; i < request.AvailableProjects.Count && i < _options.MaxProjects; i++)
        {
            var p = request.AvailableProjects[i];
            var field = $"available_projects[{i}]";
            CheckProject(p.Id, p.Name, p.Code, field, seen, i, "available_projects", violations);
            var budget = Number(p.Budget, field + ".budget", violations, allowNegative: false);

            // Only active projects are candidates: the module sends closed ones too when filtering fails.
            if (!string.IsNullOrWhiteSpace(p.State) && !string.Equals(p.State.Trim(), "active", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            projects.Add(new ProjectCandidate(p.Id, Blank(p.Code), Blank(p.Name), null, Blank(p.PartnerName), null, null, null, budget is > 0 ? budget : null, []));
        }

        // Past bills name their project by name: resolve it among the candidates (folded text, exact).
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in projects)
        {
            byName.TryAdd(TextAnalyzer.Fold(p.Name).Trim(), p.Id);
        }

        // The same history limit as the typed route: more rows are refused, not silently cut.
        AtMost(request.HistoricalPurchases.Count, _options.MaxHistory, "historical_purchases", "history rows", violations);
        var history = new List<AssignedInvoice>();
        for (var i = 0; i < request.HistoricalPurchases.Count && i < _options.MaxHistory; i++)
        {
            var h = request.HistoricalPurchases[i];
            var field = $"historical_purchases[{i}]";
            Date(h.Date, field + ".date", violations);
            Text(h.ProjectName, field + ".project_name", violations);
            if (byName.TryGetValue(TextAnalyzer.Fold(h.ProjectName).Trim(), out var id))
            {
                history.Add(new AssignedInvoice(rut, Blank(request.PartnerName), null, id));
            }
        }

        ThrowIfAny(violations);
        var invoice = new InvoiceToMatch(null, rut, Blank(request.PartnerName), amount, null, null, lines);
        return (invoice, projects, history, note);
    }

    private InvoiceToMatch ReadInvoice(MatchInvoiceRequest request, string prefix, List<FieldViolation> violations)
    {
        Text(request.InvoiceDescription, prefix + "invoice_description", violations);
        Text(request.SupplierName, prefix + "supplier_name", violations);
        Text(request.PurchaseOrder, prefix + "purchase_order", violations);
        var rut = ReadRut(request.SupplierRut, prefix + "supplier_rut", violations);
        var amount = request.Amount is null ? null : Number(request.Amount.Value, prefix + "amount", violations, allowNegative: false);
        var issueDate = Date(request.IssueDate, prefix + "issue_date", violations);
        AtMost(request.Lines.Count, _options.MaxLines, prefix + "lines", "lines", violations);

        var lines = new List<InvoiceLineToMatch>(Math.Min(request.Lines.Count, _options.MaxLines));
        for (var i = 0; i < request.Lines.Count && i < _options.MaxLines; i++)
        {
            var line = request.Lines[i];
            var field = $"{prefix}lines[{i}]";
            Text(line.Description, field + ".description", violations);
            Text(line.Unit, field + ".unit", violations);
            var quantity = line.Quantity is null ? null : Number(line.Quantity.Value, field + ".quantity", violations, allowNegative: true);
            var price = line.UnitPrice is null ? null : Number(line.UnitPrice.Value, field + ".unit_price", violations, allowNegative: false);
            lines.Add(new InvoiceLineToMatch(line.Description, quantity, Blank(line.Unit), price));
        }

        if (string.IsNullOrWhiteSpace(request.InvoiceDescription) && lines.All(l => string.IsNullOrWhiteSpace(l.Description))
            && string.IsNullOrWhiteSpace(request.PurchaseOrder) && string.IsNullOrWhiteSpace(request.SupplierRut) && string.IsNullOrWhiteSpace(request.SupplierName))
        {
            violations.Add(new(prefix + "invoice_description", "give the invoice's description, lines, purchase order or supplier: there is nothing to match"));
        }

        return new InvoiceToMatch(Blank(request.InvoiceDescription), rut ?? Blank(request.SupplierRut), Blank(request.SupplierName), amount, issueDate, Blank(request.PurchaseOrder), lines);
    }

    private List<ProjectCandidate> ReadProjects(Google.Protobuf.Collections.RepeatedField<Project> projects, string field, List<FieldViolation> violations)
    {
        if (!AtMost(projects.Count, _options.MaxProjects, field, "projects", violations))
        {
            return [];
        }

        var list = new List<ProjectCandidate>(projects.Count);
        var seen = new Dictionary<int, int>(projects.Count);
        for (var i = 0; i < projects.Count; i++)
        {
            var p = projects[i];
            var at = $"{field}[{i}]";
            CheckProject(p.Id, p.Name, p.Code, at, seen, i, field, violations);
            Text(p.Code, at + ".code", violations);
            Text(p.Description, at + ".description", violations);
            Text(p.Client, at + ".client", violations);
            Text(p.Location, at + ".location", violations);
            var start = Date(p.StartDate, at + ".start_date", violations);
            var end = Date(p.EndDate, at + ".end_date", violations);
            if (start is { } s && end is { } e && e < s)
            {
                violations.Add(new(at + ".end_date", $"ends ({e:yyyy-MM-dd}) before it starts ({s:yyyy-MM-dd})"));
            }

            var budget = p.Budget is null ? null : Number(p.Budget.Value, at + ".budget", violations, allowNegative: false);
            AtMost(p.Keywords.Count, _options.MaxKeywords, at + ".keywords", "keywords", violations);

            for (var k = 0; k < p.Keywords.Count && k < _options.MaxKeywords; k++)
            {
                Text(p.Keywords[k], $"{at}.keywords[{k}]", violations);
            }

            list.Add(new ProjectCandidate(p.Id, Blank(p.Code), Blank(p.Name), Blank(p.Description), Blank(p.Client), Blank(p.Location), start, end, budget,
                [.. p.Keywords.Take(_options.MaxKeywords)]));
        }

        return list;
    }

    private List<AssignedInvoice> ReadHistory(Google.Protobuf.Collections.RepeatedField<PastInvoice> history, string field, List<FieldViolation> violations)
    {
        if (!AtMost(history.Count, _options.MaxHistory, field, "history rows", violations))
        {
            return [];
        }

        var list = new List<AssignedInvoice>(history.Count);
        for (var i = 0; i < history.Count; i++)
        {
            var h = history[i];
            var at = $"{field}[{i}]";
            Text(h.Description, at + ".description", violations);
            Text(h.SupplierName, at + ".supplier_name", violations);
            var rut = ReadRut(h.SupplierRut, at + ".supplier_rut", violations);
            list.Add(new AssignedInvoice(rut ?? Blank(h.SupplierRut), Blank(h.SupplierName), Blank(h.Description), h.ProjectId));
        }

        return list;
    }

    /// <summary>False (and a violation) when a collection holds more than <paramref name="max"/> items.</summary>
    private static bool AtMost(int count, int max, string field, string items, List<FieldViolation> violations)
    {
        if (count <= max)
        {
            return true;
        }

        violations.Add(new(field, $"at most {max} {items}, got {count}"));
        return false;
    }

    /// <summary>What identifies a candidate project, in either contract: a positive id unique in its list
    /// (<paramref name="seen"/> maps ids to positions), and a name or a code.</summary>
    private void CheckProject(int id, string name, string code, string field, Dictionary<int, int> seen, int index, string list, List<FieldViolation> violations)
    {
        if (id <= 0)
        {
            violations.Add(new(field + ".id", "missing or not a positive integer"));
        }
        else if (!seen.TryAdd(id, index))
        {
            violations.Add(new(field + ".id", $"duplicate project id {id} (also {list}[{seen[id]}])"));
        }

        if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(code))
        {
            violations.Add(new(field + ".name", "give the project's name (or its code)"));
        }

        Text(name, field + ".name", violations);
    }

    /// <summary>A RUT in any usual writing, or null when absent. Not a RUT at all is an error; a wrong check
    /// digit is not (the engine warns about it): suppliers are matched by what the invoice says.</summary>
    /// <summary>Odoo's <c>partner_vat</c>: the RUT it holds (with or without Odoo's <c>CL</c> country prefix), or
    /// null and a note when it holds none or a foreign tax id.</summary>
    private static (string? Rut, string? Note) ReadPartnerVat(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, null);
        }

        var trimmed = value.Trim();
        var chilean = trimmed.StartsWith("CL", StringComparison.OrdinalIgnoreCase) ? trimmed[2..] : trimmed;
        if (Rut.TryNormalize(chilean, out var rut))
        {
            return (rut, null);
        }

        var shown = trimmed.Length <= 20 ? trimmed : trimmed[..20] + "…";
        return (null, $"El identificador tributario del proveedor ({shown}) no es un RUT chileno: no se compara con el historial por RUT, solo por nombre.");
    }

    private static string? ReadRut(string value, string field, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Rut.TryNormalize(value, out var rut))
        {
            violations.Add(new(field, "not a RUT: expected up to 8 digits and a check digit (0-9 or K), e.g. 76.123.456-0"));
            return null;
        }

        return rut;
    }

    private void Text(string? value, string field, List<FieldViolation> violations)
    {
        if (value is not null && value.Length > _options.MaxTextLength)
        {
            violations.Add(new(field, $"at most {_options.MaxTextLength} characters, got {value.Length}"));
        }
    }

    private static DateOnly? Date(string value, string field, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (IsoDate(value) is { } iso)
        {
            return iso;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        violations.Add(new(field, $"not a date: expected YYYY-MM-DD, got '{Truncate(value)}'"));
        return null;
    }

    /// <summary>A plain <c>YYYY-MM-DD</c> read digit by digit (the general parser costs more than the rest of the
    /// invoice's checks), or null for anything else, which the general parser then decides.</summary>
    internal static DateOnly? IsoDate(string value)
    {
        if (value.Length != 10 || value[4] != '-' || value[7] != '-')
        {
            return null;
        }

        var year = Digits(value, 0, 4);
        var month = Digits(value, 5, 2);
        var day = Digits(value, 8, 2);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    /// <summary>The number written by <paramref name="count"/> ASCII digits at <paramref name="start"/>, or -1.</summary>
    private static int Digits(string value, int start, int count)
    {
        var n = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return -1;
            }

            n = (n * 10) + (value[i] - '0');
        }

        return n;
    }

    private static decimal? Number(double value, string field, List<FieldViolation> violations, bool allowNegative)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) > 1e15)
        {
            violations.Add(new(field, "not a finite amount within ±1e15"));
            return null;
        }

        if (!allowNegative && value < 0)
        {
            violations.Add(new(field, $"must not be negative, got {value.ToString(CultureInfo.InvariantCulture)}"));
            return null;
        }

        return (decimal)value;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static void ThrowIfAny(List<FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new InvalidInputException(violations);
        }
    }
}
