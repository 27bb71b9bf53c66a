using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The overhead lexicon and the trade vocabulary read what a bookkeeper reads.</summary>
public class DomainKnowledgeTests
{
    private static InvoiceDomain Read(string text) => InvoiceDomain.Of(new InvoiceToMatch(text, null, null, null, null, null, []));

    [Theory]
    [InlineData("Arriendo oficina central marzo 2025", true)]
    [InlineData("GASTOS COMUNES OFICINA PISO 7", true)]
    [InlineData("Auditoría estados financieros 2024", true)]
    [InlineData("Hormigón H-30 para fundaciones torre 45", false)]
    public void Strong_overhead_phrases_are_found(string text, bool strong) =>
        Assert.Equal(strong, Read(text).Overhead.Strong > 0);

    [Fact]
    public void Head_office_context_is_told_apart()
    {
        var bill = Read("Mantención grupo electrógeno bodega central");
        Assert.True(bill.Overhead.Context > 0 || bill.Overhead.Strong > 0, bill.Overhead.ToString());
    }

    [Theory]
    [InlineData("Arriendo camioneta Hilux 30 dias, faena Buin", true)]
    [InlineData("Hormigon H30 12 m3 puesto en obra", true)]
    [InlineData("EDP 3 instalaciones electricas", true)]
    [InlineData("Arriendo oficina central marzo", false)]
    public void Works_site_words_are_read_as_counter_evidence_to_overhead(string text, bool site)
    {
        var overhead = Read(text).Overhead;
        Assert.Equal(site, overhead.Site > 0);
        Assert.NotEqual("faena", overhead.First); // never named as the overhead phrase
    }

    [Theory]
    [InlineData("Conductor ACSR Flicker 477 MCM", "transmission-line")]
    [InlineData("Conectores MC4 y cable solar 6 mm2", "solar-pv")]
    [InlineData("Cargador rápido DC 150 kW CCS2", "e-mobility")]
    [InlineData("Revestimiento molino SAG liners", "grinding-mill")]
    public void Equipment_points_to_its_kind_of_project(string text, string kind)
    {
        var trade = Read(text).Trade;
        var best = trade.Kinds.MaxBy(k => k.Value).Key;
        Assert.Equal(kind, TradeLexicon.Instance.KindId(best));
    }

    [Theory]
    [InlineData("Aislador pedestal 245 kV", "Subestación Nueva Pan de Azúcar 220 kV", 1)]
    [InlineData("Transformador de potencial capacitivo 72,5 kV", "S/E Los Vilos 66 kV", 1)]
    [InlineData("Transformador de poder 30 MVA 66/13,2 kV", "Subestación Alto Jahuel 220 kV", -1)]
    [InlineData("Pernos de anclaje galvanizados", "Subestación Alto Jahuel 220 kV", 0)]
    public void Voltage_classes_compare_equipment_ratings_with_system_voltages(string bill, string project, int fit)
    {
        var domain = ProjectDomain.Of(new ProjectCandidate(1, null, project, null, null, null, null, null, null, []));
        Assert.Equal(fit, Read(bill).VoltageFit(domain.Voltages));
    }

    [Fact]
    public void A_projects_kind_is_read_from_its_name_and_description()
    {
        var line = ProjectDomain.Of(new ProjectCandidate(1, "MEA-T-2401", "LT 2x220 kV Nueva Maitencillo – Algarrobal", "Tendido de conductor ACSR y cable de guardia OPGW", null, "Vallenar", null, null, null, []));
        Assert.Contains(line.Kinds, k => TradeLexicon.Instance.KindId(k) == "transmission-line");
        Assert.Contains(220d, line.Voltages);
        Assert.False(line.Places.IsEmpty);
        Assert.Equal(1, Read("Conductor ACSR 477 MCM").KindFit(line.Kinds), 3);
    }
}
