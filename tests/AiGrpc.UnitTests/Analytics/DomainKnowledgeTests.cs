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
    [InlineData("DISEÑO BROCHURE CORPORATIVO Y SITIO WEB", true)]
    [InlineData("STAND EXPONOR 2026", true)]
    [InlineData("TONER HP 85A Y RESMAS CARTA", true)]
    [InlineData("FACTURA ELECTRICIDAD BODEGA RUCAPEQUEN", true)]
    [InlineData("Hormigón H-30 para fundaciones torre 45", false)]
    [InlineData("CUBIERTA FERIA LIBRE 4.500 M2", false)] // a market building: "feria" alone is weak
    public void Strong_overhead_phrases_are_found(string text, bool strong) =>
        Assert.Equal(strong, Read(text).Overhead.Strong > 0);

    [Theory]
    [InlineData("Mantención grupo electrógeno bodega central")]
    [InlineData("MANTENCION 20.000 KM CAMIONETA HILUX PPU JKTR-45")] // a plate: a vehicle the company owns
    [InlineData("Cambio neumaticos camion pluma propio")]
    [InlineData("Mantencion maquinas soldar, patio maestranza")]
    public void Head_office_and_own_assets_are_told_apart(string text)
    {
        var bill = Read(text);
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

    private static ProjectDomain Project(string name, string? location = null, string? description = null) =>
        ProjectDomain.Of(new ProjectCandidate(1, null, name, description, null, location, null, null, null, []));

    [Theory]
    [InlineData("TORRE AUTOSOPORTADA 42 M", "length", 42)]
    [InlineData("UPS modular 500 kVA", "apparent-power", 500_000)]
    [InlineData("Transformador 3,15 MVA", "apparent-power", 3_150_000)]
    [InlineData("ESTANQUE 3.000 M3", "volume", 3000)]
    [InlineData("Tuberia fundicion ductil DN 300 K9", "nominal-diameter", 300)]
    [InlineData("Cable aereo 144 FO", "count-fibres", 144)]
    [InlineData("Planta AP 80 l/s", "flow", 80)]
    [InlineData("Cable 1x630 mm2 Al", "section", 630)]
    [InlineData("Baterias litio 48 V 400 Ah", "charge", 400)]
    [InlineData("VIGA CARRIL HEB 600 + RIEL A100 PUENTE GRUA 80 T", "lifting-capacity", 80_000)]
    [InlineData("Nave con puente grúa de 20 t y sala eléctrica", "lifting-capacity", 20_000)]
    [InlineData("Tecle electrico 5 ton", "lifting-capacity", 5_000)]
    [InlineData("MAQUINA GEARLESS 630 KG 1,6 M/S", "speed", 1.6)]
    [InlineData("Ascensores de 630 kg, 22 paradas", "count-stops", 22)]
    [InlineData("REPUESTOS CONTRATO MANTENCION 18 ASCENSORES", "count-lifts", 18)]
    [InlineData("Peldaños 12 escaleras mecánicas", "count-escalators", 12)]
    [InlineData("Habilitación 4 pabellones", "count-operating-rooms", 4)]
    [InlineData("Detección de incendio con 640 detectores ópticos", "count:detect", 640)] // any counted thing
    [InlineData("CERRADURAS ELECTROMAGNETICAS 96 PUERTAS", "count:puerta", 96)]
    [InlineData("DETECTORES 640 UN", "count:detect", 640)] // the thing before, "un" after
    [InlineData("SST 1.150 viviendas", "count:vivien", 1150)]
    [InlineData("Reposición de 2 puertas", "count:puerta", 2)] // two is the fewest that counts
    [InlineData("Brigada de 6 operadores", "count:operad", 6)] // a crew of six or more sizes a contract
    [InlineData("BARRERA DINAMICA 2000 KJ H=5M KIT 100 M", "impact-energy", 2000)] // a rockfall barrier's energy class
    [InlineData("ARRIENDO COMPRESOR 375 CFM 1 MES", "air-flow", 375 * 0.471947443)]
    [InlineData("CALDERA PIROTUBULAR 500 KG/H GN", "mass-flow", 0.5)] // steam, in t/h
    [InlineData("COLECTORES SOLARES PLANOS 2,5 M2 (80)", "count:colect", 80)] // the number in parentheses
    [InlineData("MEDIDORES ENERGIA (36) SGE", "count:medido", 36)]
    [InlineData("APOYOS NEOPRENO 300X400X52 (64 UN)", "count:apoyo", 64)]
    [InlineData("MODULOS FV 550 WP + INVERSORES 100 KW (3)", "count:invers", 3)] // the item the parentheses close
    [InlineData("POSTE HORMIGON 8 M - 24 UN", "count:poste", 24)] // an item, a dash and how many
    [InlineData("TRANSFORMADOR MONOFASICO 10 KVA 13,2 KV - 20 UN", "count:transf", 20)]
    public void Ratings_and_sizes_are_read_in_base_units(string text, string quantity, double value)
    {
        var rating = Assert.Single(new RatingReader().Read(text), r => r.Quantity == quantity);
        Assert.Equal(value, rating.Value, 6);
        // With the normalised text (the equipment patterns skipped for a text that names no equipment), the same.
        Assert.Equal(RatingReader.Instance.Read(text), RatingReader.Instance.Read(text, PhraseTable<Place>.Normalize(text)));
    }

    [Fact]
    public void A_normalised_text_without_the_equipment_skips_only_the_equipment_patterns()
    {
        // The normalised text is the caller's promise that it is the same text: one that does not name a crane or hoist
        // reads no lifting capacity, while the unit patterns still read the raw text.
        var ratings = RatingReader.Instance.Read("PUENTE GRUA 80 T + UPS 500 KVA", "ups 500 kva");
        Assert.Equal(["apparent-power"], ratings.Select(r => r.Quantity));
    }

    [Theory]
    [InlineData("Traslado de 2 a 5 dias")] // "a" is the preposition, not amperes
    [InlineData("Almuerzos cuadrilla 220 un")] // an amount bought is never compared
    [InlineData("Soldador 45 HH")]
    [InlineData("Fusiones 11/23/80 GHz")]
    [InlineData("Estado de pago N 3")]
    [InlineData("ARR. GRUA TELESCOPICA 90 TON")] // a hired mobile crane's capacity says nothing of the project
    [InlineData("Perfiles acero 80 t")] // tonnes of steel bought
    [InlineData("Arriendo 24 meses")] // a time, not a thing
    [InlineData("Colector 1 puerta")] // one of a thing says nothing
    [InlineData("FLETE 3 dias")] // an amount unit (units.tsv), not a thing
    [InlineData("Factura 15 enero")] // a date
    [InlineData("ALOJAMIENTO 3 noches")]
    [InlineData("Visita 2 veces")]
    [InlineData("ARRIENDO 3 horas")]
    [InlineData("TOTAL 180")] // a number after a word needs "un" to count the word
    [InlineData("2DA ENTREGA 90 UN")] // a singular word is not what is counted
    [InlineData("ALOJAMIENTO 2 TECNICOS 6 NOCHES")] // a crew of five or fewer travels to every contract
    [InlineData("HOSPEDAJE 5 SOLDADORES")]
    [InlineData("TRONADORES (3)")]
    public void Amounts_and_plain_numbers_are_not_ratings(string text) =>
        Assert.Empty(new RatingReader().Read(text));

    [Theory]
    [InlineData("dia")]
    [InlineData("dias")]
    [InlineData("mes")]
    [InlineData("meses")]
    [InlineData("ano")]
    [InlineData("anos")]
    [InlineData("años")]
    [InlineData("hora")]
    [InlineData("horas")]
    [InlineData("semana")]
    [InlineData("semanas")]
    [InlineData("noche")]
    [InlineData("noches")]
    [InlineData("minuto")]
    [InlineData("minutos")]
    [InlineData("segundos")]
    [InlineData("veces")]
    [InlineData("vez")]
    [InlineData("cuotas")]
    [InlineData("cuota")]
    [InlineData("para")]
    [InlineData("desde")]
    [InlineData("hasta")]
    [InlineData("entre")]
    [InlineData("sobre")]
    [InlineData("segun")]
    [InlineData("cada")]
    [InlineData("como")]
    [InlineData("enero")]
    [InlineData("febrero")]
    [InlineData("marzo")]
    [InlineData("abril")]
    [InlineData("mayo")]
    [InlineData("junio")]
    [InlineData("julio")]
    [InlineData("agosto")]
    [InlineData("septiembre")]
    [InlineData("setiembre")]
    [InlineData("octubre")]
    [InlineData("noviembre")]
    [InlineData("diciembre")]
    [InlineData("total")]
    [InlineData("partida")]
    [InlineData("etapa")]
    [InlineData("entrega")]
    [InlineData("parte")]
    [InlineData("item")]
    [InlineData("pagina")]
    public void Times_months_and_small_words_are_not_counted_things(string word)
    {
        // Each word of the list, after a number as a bill writes it: no count, while a thing in its place is one.
        Assert.DoesNotContain(new RatingReader().Read($"Servicio 12 {word} obra"), r => r.Quantity.StartsWith("count:", StringComparison.Ordinal));
        Assert.Contains(new RatingReader().Read("Servicio 12 torniquetes obra"), r => r.Quantity == "count:" + TextAnalyzer.Stem("torniquetes"));
    }

    [Theory]
    [InlineData("Montaje torre 36 m y antenas", "Sitio macro torre 36 m Calama", 1)]
    [InlineData("Montaje torre 42 m y antenas", "Sitio macro torre 36 m Calama", 0)] // sizes only count when they agree
    [InlineData("UPS 250 kVA doble conversion", "Data center 500 kVA Quilicura", -1)]
    [InlineData("UPS 0,5 MVA doble conversion", "Data center 500 kVA Quilicura", 1)]
    [InlineData("Cable fibra 144 FO", "Fibra troncal Calama - San Pedro 96 FO", -1)]
    [InlineData("Pernos de anclaje", "Data center 500 kVA Quilicura", 0)]
    [InlineData("CERRADURAS 96 PUERTAS", "Control de acceso de 96 puertas, Hospital de Maipú", 1)]
    [InlineData("CERRADURAS 48 PUERTAS", "Control de acceso de 96 puertas, Hospital de Maipú", 0)] // a count is a size
    [InlineData("DETECTORES 640 UN", "Detección de incendio, 640 detectores ópticos", 1)]
    [InlineData("COLECTORES SOLARES PLANOS 2,5 M2 (80)", "Recambio de calderas por 80 colectores solares planos", 0.5)] // the count of two sizes
    [InlineData("COLECTORES SOLARES PLANOS 2,5 M2 (60)", "Recambio de calderas por 80 colectores solares planos", 0)]
    [InlineData("MUEBLES DE COCINA 112 DEPTOS", "112 departamentos en 4 edificios de 6 pisos", 1)] // deptos abbreviates departamentos
    [InlineData("ANDAMIOS 3 EDIFICIOS 4 PISOS 72 DEPTOS", "72 departamentos en 3 edificios de 4 pisos", 1)]
    [InlineData("ANDAMIOS 3 EDIFICIOS 4 PISOS 72 DEPTOS", "120 departamentos en 5 edificios de 4 pisos", 1.0 / 3)] // one size of three
    public void A_rating_agrees_or_disagrees_with_the_projects(string bill, string project, double fit) =>
        Assert.Equal(fit, Read(bill).RatingFit(Project(project).Ratings), 12);

    [Theory]
    [InlineData("ALOJAMIENTO CUADRILLA PUERTO OTAY", true)]
    [InlineData("COMBUSTIBLE FAENA SAN PALBO", true)]
    [InlineData("EPP CUADRILLA COLECTOR TEMUKO", true)]
    [InlineData("ALOJAMIENTO CUADRILLA PUERTO OCTAY", false)] // spelt right: the gazetteer reads it
    [InlineData("ARRIENDO BODEGA CENTRAL", false)]
    public void A_projects_place_is_read_through_one_typo(string bill, bool misspelt)
    {
        var spellings = new PlaceSpellings([Project("Alcantarillado Puerto Octay", "Puerto Octay"), Project("Red MT San Pablo", "San Pablo"), Project("Colector Temuco", "Temuco")]);
        var places = spellings.Read(Read(bill).Normalized, _ => false);
        Assert.Equal(misspelt, places.Count > 0);
    }

    [Theory]
    [InlineData("FLETE TEMUCP", true)] // the last letter changed: found from the first
    [InlineData("FLETE YEMUCO", true)] // the first letter changed: found from the last
    [InlineData("FLETE ARIKA", true)] // a name of five letters is long enough
    [InlineData("FLETE LIS ANGELES", true)] // a slip in a word of three letters of a longer name
    [InlineData("FLETE SAM PALBO", false)] // two slips are not one
    [InlineData("FLETE TEMUCOOO", false)] // two letters more
    public void A_slip_is_one_edit_anywhere_in_a_name(string bill, bool misspelt)
    {
        var spellings = new PlaceSpellings(
            [Project("Colector Temuco", "Temuco"), Project("Muelle Arica", "Arica"), Project("Red MT San Pablo", "San Pablo"), Project("Subestacion", "Los Ángeles")]);
        Assert.Equal(misspelt, spellings.Read(Read(bill).Normalized, _ => false).Count > 0);
    }

    [Fact]
    public void Every_misspelt_place_of_a_text_is_read_in_the_order_of_the_names()
    {
        var spellings = new PlaceSpellings([Project("Colector Temuco", "Temuco"), Project("Muelle Arica", "Arica")]);
        var places = spellings.Read(Read("FLETE ARIKA Y TEMUKO").Normalized, _ => false);
        Assert.Equal(["Temuco", "Arica"], places.Select(p => p.Name));
    }

    [Fact]
    public void The_misspelt_word_of_a_name_later_in_the_text_is_the_one_checked_against_the_company_words()
    {
        // "palbo" is the slip; "flete", two words before it, is a word the company uses and must not be the one checked.
        var spellings = new PlaceSpellings([Project("Red MT San Pablo", "San Pablo")]);
        Assert.NotEmpty(spellings.Read(Read("FLETE SAN PALBO").Normalized, word => word == "flete"));
        Assert.Empty(spellings.Read(Read("FLETE SAN PALBO").Normalized, word => word == "palbo"));
    }

    [Fact]
    public void A_word_the_company_uses_is_not_read_as_a_misspelt_place()
    {
        // "parque" is one letter from Pirque, but a company that builds parks writes it on purpose.
        var spellings = new PlaceSpellings([Project("Red de riego Pirque", "Pirque")]);
        Assert.NotEmpty(spellings.Read(Read("HORMIGON OBRA PARQUE").Normalized, _ => false));
        Assert.Empty(spellings.Read(Read("HORMIGON OBRA PARQUE").Normalized, word => word == "parque"));
    }

    [Theory]
    [InlineData("ARRIENDO EXCAVADORA CANAL RUTA V-69")]
    [InlineData("ARR. RETROEXCAVADORA MES JUNIO")]
    [InlineData("ARRIENDO ANDAMIOS CALDERA")]
    [InlineData("ARRIENDO CASA PERSONAL DOÑIHUE")] // lodging for the crew, as alojamiento
    public void Earthmoving_and_scaffolding_hired_are_works_costs(string text) =>
        Assert.True(Read(text).Overhead.Site > 0, Read(text).Overhead.ToString());

    [Fact]
    public void A_slip_after_the_sixth_letter_is_read_although_its_stem_is_the_company_s()
    {
        // The company's texts hold "talcah" (the stem of Talcahuano), which "talcahuno" shares: the stem is known because
        // the name is, so it does not make the slip a word of the company's.
        var spellings = new PlaceSpellings([Project("Analizador de gases Talcahuano", "Talcahuano")]);
        var known = (string word) => TextAnalyzer.Stem(word) == "talcah";
        Assert.Equal("Talcahuano", Assert.Single(spellings.Read(Read("GRUA 25 TON PLANTA TALCAHUNO").Normalized, known)).Name);
    }

    [Fact]
    public void A_plural_of_a_place_name_is_a_word_of_its_own()
    {
        // "colinas" (hills) has Colina's stem and is one letter from it, but it is the plural of a word, not a slip.
        var spellings = new PlaceSpellings([Project("Bodega Colina", "Colina")]);
        Assert.Empty(spellings.Read(Read("MOVIMIENTO DE TIERRA COLINAS").Normalized, word => TextAnalyzer.Stem(word) == "colina"));
        Assert.NotEmpty(spellings.Read(Read("FLETE COLIMA").Normalized, word => TextAnalyzer.Stem(word) == "colina"));
    }

    [Theory]
    [InlineData("COMISION BOLETA GARANTIA SERIEDAD DE LA OFERTA LICITACION MANTENCION CLIMA HOSPITAL", true)]
    [InlineData("ESTUDIO DE SUELOS PARA OFERTA MUELLE PUERTO WILLIAMS", true)]
    [InlineData("ESTUDIO DE DEMANDA CICLOVIAS CENTRO (NO ADJUDICADA)", true)]
    [InlineData("LEVANTAMIENTO TOPOGRAFICO PARA PRESENTACION DE OFERTA EMBALSE, PINTO", true)]
    [InlineData("ESTUDIO DE SUELOS PARA LICITACION PUENTE", true)]
    [InlineData("ENVIO OFERTA TECNICA A PLANTA SANTA FE NACIMIENTO", true)]
    [InlineData("ENVIO DOCUMENTOS OFERTA A DOH TEMUCO", true)]
    [InlineData("LEVANTAMIENTO TERRENO PARA POSTULACION NUEVO PROYECTO PENCO", true)]
    [InlineData("COMISION BOLETA GARANTIA FIEL CUMPLIMIENTO CONTRATO MUELLE CALETA GUAYACAN", false)]
    [InlineData("HORMIGON H30 PILOTES - LICITACION 5709-8-LR24", false)] // an awarded contract cites its tender too
    public void Bid_costs_are_told_from_a_won_contracts_costs(string text, bool bid) =>
        Assert.Equal(bid, Read(text).Overhead.Bid > 0);

    [Theory]
    [InlineData("COMISION BOLETA FIEL CUMPLIMIENTO Y CORRECTA EJECUCION")]
    [InlineData("POLIZA TODO RIESGO CONSTRUCCION - OBRA BORDE COSTERO")]
    [InlineData("PRORROGA POLIZA TRC PTAS PUERTO VARAS")]
    public void Contract_guarantees_and_all_risk_policies_are_works_costs(string text) =>
        Assert.True(Read(text).Overhead.Site > 0);
}
