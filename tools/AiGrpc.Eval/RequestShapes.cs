namespace AiGrpc.Eval;

/// <summary>
/// A fitting company's bills as sparser callers send them. Not every caller gives dates, places, descriptions or
/// order numbers: the Odoo module's <c>suggest_project</c> sends each project's id, code, name and client, the bill's
/// lines and supplier, and the supplier's own past bills with their project, without text. The confidence model is
/// fitted on these shapes too, so that a signal the caller never sends does not read as evidence against a project.
/// </summary>
public static class RequestShapes
{
    /// <summary>The shapes, by name: <c>complete</c> (as written), <c>nodates</c> (no project or bill dates),
    /// <c>odoo</c> (what the Odoo module sends).</summary>
    public static IReadOnlyList<string> Names { get; } = ["complete", "nodates", "odoo"];

    /// <summary>The company's bills in one shape, as groups that each share projects and history (the Odoo shape has
    /// one group per supplier: its history is the supplier's own).</summary>
    public static IReadOnlyList<(DevSet Set, IEnumerable<DevCase> Cases)> Shape(DevSet company, IEnumerable<DevCase> cases, string shape)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(cases);
        switch (shape)
        {
            case "complete":
                return [(company, cases)];
            case "nodates":
            {
                var set = new DevSet
                {
                    Projects = [.. company.Projects.Select(p => p with { StartDate = null, EndDate = null })],
                    History = company.History,
                    Cases = [.. cases.Select(c => c with { Invoice = c.Invoice with { IssueDate = null } })],
                };
                return [(set, set.Cases)];
            }

            case "odoo":
            {
                var projects = company.Projects
                    .Select(p => p with { Description = null, Location = null, StartDate = null, EndDate = null, Budget = null, Keywords = [] })
                    .ToList();
                return [.. cases.GroupBy(c => SupplierKey(c.Invoice.SupplierRut)).Select(g =>
                {
                    var set = new DevSet
                    {
                        Projects = projects,
                        History = [.. company.History.Where(h => h.ProjectId is not null && SupplierKey(h.SupplierRut) == g.Key).Select(h => h with { Description = null })],
                        Cases = [.. g.Select(c => c with { Invoice = c.Invoice with { IssueDate = null, PurchaseOrder = null } })],
                    };
                    return (set, (IEnumerable<DevCase>)set.Cases);
                })];
            }

            default:
                throw new ArgumentException($"unknown shape {shape}", nameof(shape));
        }
    }

    private static string SupplierKey(string? rut) => AiGrpc.Common.Rut.TryKey(rut, out var key) ? key.ToString(System.Globalization.CultureInfo.InvariantCulture) : rut ?? string.Empty;
}
