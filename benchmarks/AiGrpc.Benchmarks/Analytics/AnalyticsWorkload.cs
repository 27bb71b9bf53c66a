using System.Globalization;
using AiGrpc.Analytics.Matching;

namespace AiGrpc.Benchmarks.Analytics;

/// <summary>
/// A synthetic company of a given size with a fixed seed: projects built from realistic word pools
/// (kind of work x site x client), supplier history spread over projects and overhead, and invoices
/// that mix a PO reference, supplier history and free text the way the dev set does. Sizes are what
/// matter for cost; the vocabulary keeps the inverted lists as long as real Spanish text makes them.
/// </summary>
public sealed class AnalyticsWorkload
{
    private static readonly string[] Kinds =
    [
        "Ampliación Subestación", "Mantención eléctrica", "Parque Solar", "Parque Eólico", "Línea de Transmisión 2x220 kV",
        "Normalización eléctrica", "Obras civiles", "Montaje electromecánico", "Operación y mantenimiento", "Sala eléctrica",
        "Cargadores eléctricos", "Sistema de control SCADA", "Banco de condensadores", "Planta fotovoltaica", "Repotenciación",
    ];

    private static readonly string[] Sites =
    [
        "Alto Jahuel", "Cardones", "Maitencillo", "El Teniente", "Chuquicamata", "Diego de Almagro", "Calama", "Antofagasta",
        "Copiapó", "Talca", "Rancagua", "Machalí", "Pudahuel", "Buin", "Los Cóndores", "Puerto Montt", "Temuco", "La Serena",
        "Ovalle", "Mejillones", "Tocopilla", "Quillota", "Concepción", "Coronel", "Valdivia",
    ];

    private static readonly string[] Clients = ["CGE", "Codelco", "Enel", "Colbún", "Transelec", "AES Andes", "Engie", "Anglo American", "Minera Escondida", "Red Movilidad"];

    private static readonly string[] Items =
    [
        "arriendo camión pluma con operador", "mant. preventiva transformador", "suministro cable XLPE 15 kV", "hh supervisor eléctrico",
        "inst. malla puesta a tierra", "serv. topografía", "hormigón H30 fundaciones", "termografía tableros", "estructuras soporte paneles",
        "traslado de personal faena", "pruebas FAT celdas", "ensayos de aislamiento", "arr. grupo electrógeno 500 kVA", "fibra óptica OPGW",
    ];

    private static readonly string[] Overhead = ["arriendo oficina central", "servicio de contabilidad mensual", "telefonía móvil", "gastos comunes", "útiles de oficina"];

    private AnalyticsWorkload(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<AssignedInvoice> history, IReadOnlyList<InvoiceToMatch> invoices)
    {
        Projects = projects;
        History = history;
        Invoices = invoices;
    }

    public IReadOnlyList<ProjectCandidate> Projects { get; }

    public IReadOnlyList<AssignedInvoice> History { get; }

    /// <summary>Invoices to match, cycled through by the benchmarks.</summary>
    public IReadOnlyList<InvoiceToMatch> Invoices { get; }

    public static AnalyticsWorkload Create(int projectCount, int historyCount, int invoiceCount = 64, int seed = 20251125)
    {
        var random = new Random(seed);
        var ci = CultureInfo.InvariantCulture;
        var projects = new List<ProjectCandidate>(projectCount);
        for (var i = 0; i < projectCount; i++)
        {
            var kind = Kinds[random.Next(Kinds.Length)];
            var site = Sites[random.Next(Sites.Length)];
            var client = Clients[random.Next(Clients.Length)];
            var start = new DateOnly(2022, 1, 1).AddDays(random.Next(900));
            projects.Add(new ProjectCandidate(
                1000 + i,
                string.Create(ci, $"PRJ-{start.Year}-{i:000}"),
                $"{kind} {site}",
                $"{kind} para {client} en {site}: ingeniería, suministro, montaje y puesta en servicio.",
                client,
                site,
                start,
                start.AddDays(180 + random.Next(700)),
                (decimal)random.Next(50, 5000) * 1_000_000m,
                [string.Create(ci, $"OC-45{random.Next(10_000_000, 99_999_999)}"), site.ToLowerInvariant()]));
        }

        var suppliers = Enumerable.Range(0, Math.Max(10, historyCount / 6))
            .Select(s => (Rut: RutFor(10_000_000 + (s * 7919)), Name: string.Create(ci, $"Proveedor {s} Ingeniería SpA")))
            .ToArray();
        var history = new List<AssignedInvoice>(historyCount);
        for (var h = 0; h < historyCount; h++)
        {
            var (rut, name) = suppliers[random.Next(suppliers.Length)];
            var overhead = random.Next(10) == 0;
            var project = projects[random.Next(projects.Count)];
            history.Add(overhead
                ? new AssignedInvoice(rut, name, Overhead[random.Next(Overhead.Length)], null)
                : new AssignedInvoice(rut, name, $"{Items[random.Next(Items.Length)]} {project.Location}", project.Id));
        }

        var invoices = new List<InvoiceToMatch>(invoiceCount);
        for (var k = 0; k < invoiceCount; k++)
        {
            var project = projects[random.Next(projects.Count)];
            var (rut, name) = suppliers[random.Next(suppliers.Length)];
            var po = k % 3 == 0 ? project.Keywords[0] : null;
            invoices.Add(new InvoiceToMatch(
                $"{Items[random.Next(Items.Length)]} faena {project.Location}",
                rut,
                name,
                random.Next(1, 90) * 1_000_000m,
                project.StartDate!.Value.AddDays(random.Next(200)),
                po,
                [new InvoiceLineToMatch(Items[random.Next(Items.Length)], 2, "un", 350_000m)]));
        }

        return new AnalyticsWorkload(projects, history, invoices);
    }

    // A valid RUT (modulo 11) so the benchmark does not measure the warning path.
    private static string RutFor(int body)
    {
        var sum = 0;
        var factor = 2;
        for (var n = body; n > 0; n /= 10)
        {
            sum += n % 10 * factor;
            factor = factor == 7 ? 2 : factor + 1;
        }

        var dv = 11 - (sum % 11);
        var digit = dv switch { 11 => "0", 10 => "K", _ => dv.ToString(CultureInfo.InvariantCulture) };
        return string.Create(CultureInfo.InvariantCulture, $"{body}-{digit}");
    }
}
