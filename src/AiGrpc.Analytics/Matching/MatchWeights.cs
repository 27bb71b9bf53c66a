namespace AiGrpc.Analytics.Matching;

/// <summary>
/// Weights of the conditional-logit model that turns a candidate's signals into a probability. A
/// candidate's score is the dot product of its features with the project weights; the "no project"
/// option's score uses the none weights; a softmax over all candidates and "no project" gives the
/// probabilities. <see cref="Default"/> was fitted by maximum likelihood on the training half of the
/// development set (<c>make eval</c> prints a fresh fit with <c>aigrpc-eval fit</c>), so the
/// probabilities are calibrated on that data; the held-out half measures it.
/// </summary>
/// <param name="Reference">A purchase order, contract or project code of the invoice names this project.</param>
/// <param name="SupplierShare">Smoothed share of the supplier's past invoices assigned to this project.</param>
/// <param name="ProjectText">TF-IDF cosine of the invoice text with the project's own texts.</param>
/// <param name="HistoryText">Best TF-IDF cosine with a past invoice assigned to this project.</param>
/// <param name="DateInside">+1 issue date inside the project's dates, -1 clearly outside, 0 unknown.</param>
/// <param name="OverBudget">1 when the amount exceeds the project's budget.</param>
/// <param name="NoEvidence">1 when nothing but plausibility speaks for the project (no reference, supplier history,
/// text, place or kind of equipment): keeps the probability mass of many irrelevant projects from diluting the answer.</param>
/// <param name="NoneBias">Score of "no project" before evidence.</param>
/// <param name="NoneSupplierShare">Smoothed share of the supplier's past invoices assigned to no project.</param>
/// <param name="NoneHistoryText">Best cosine with a past invoice assigned to no project.</param>
/// <param name="NoneSupplierOnProjects">Smoothed share of the supplier's past invoices assigned to some project
/// (a supplier that always bills projects is rarely overhead; fitted negative).</param>
/// <param name="Place">How close the places the invoice names are to the project's: 1 the same commune (or a town or
/// site in it), 2/3 the same province, 1/3 the same region (<c>Knowledge/communes.tsv</c>, <c>towns.tsv</c>).</param>
/// <param name="PlaceConflict">1 when both name places and they are in different regions.</param>
/// <param name="TradeKind">Share of the invoice's trade terms that belong to this kind of project (ACSR conductor →
/// transmission line; <c>Knowledge/trade-terms.tsv</c>).</param>
/// <param name="Voltage">+1 when the invoice's voltage class is one the project names, -1 when both name voltages and
/// none agree.</param>
/// <param name="SupplierShared">The supplier share times the share of the supplier's invoices that went to other
/// projects: the fit makes it negative, shrinking the history of a supplier that serves several projects in proportion
/// to how spread it is (one odd invoice among ten barely counts).</param>
/// <param name="TextLead">How far the project's text similarity is ahead of the next project's (0 for all but the
/// most similar): the same cosine means more when no other project comes close.</param>
/// <param name="HistoryLead">The same for the similarity with the project's past invoices.</param>
/// <param name="NameCoverage">Share of the project's name (its terms, weighted by how rare they are) that the invoice
/// writes, or of its client's name if that share is larger: a bill for "CESFAM Cunco" covers most of "Construcción
/// CESFAM Cunco", and "SEGUN OC MUNICIPALIDAD DE PAINE" all of the client of the paving works in Paine.</param>
/// <param name="SupplierConcentration">The square of the supplier share, so the fit can bend the share's effect. Fitted
/// negative: a supplier whose past invoices all went to one project is less sure evidence than its share says, because
/// the same supplier goes on to serve the company's next project (the fitting companies have many such bills).</param>
/// <param name="PlaceLead">How far the project's place closeness is ahead of the next project's, as a share of its own (0
/// for all but the closest): a bill naming Chimbarongo points at the one project in Colchagua, not at the four in the
/// region, and a bill naming only "I Región" at the one project in Tarapacá.</param>
/// <param name="KindLead">The same for the kind of equipment: DC chargers name the one e-mobility project.</param>
/// <param name="NoneOverheadStrong">1 when the invoice uses a phrase that means overhead in almost any company
/// ("arriendo oficina central"; <c>Knowledge/overhead-es.tsv</c>).</param>
/// <param name="NoneOverheadWeak">Overhead phrases that need an office context ("carpetas", "internet"), half a point
/// each, at most 1.</param>
/// <param name="NoneHeadOffice">1 when the invoice names the head office or the company's own assets ("oficina
/// central", "flota propia").</param>
/// <param name="NoneWorksSite">1 when the invoice places the cost at a works site ("faena", "puesto en obra", "estado de
/// pago"; the <c>site</c> rows of <c>Knowledge/overhead-es.tsv</c>): fitted negative, it keeps "arriendo camioneta, faena
/// Buin" from reading as office rent.</param>
/// <param name="NoneBid">1 when the invoice is a cost of bidding ("seriedad de la oferta", "estudio para oferta", "no
/// adjudicada"; the strong <c>bids-tenders</c> rows of <c>Knowledge/overhead-es.tsv</c>): a bid names the client and place
/// of a contract not yet won, so its text resembles a project's and the bid words must outweigh that.</param>
/// <param name="Rating">+1 when a rating or size the invoice writes is one the project writes ("torre 42 m", "UPS 500
/// kVA", "DN 300", "144 FO"; <c>Knowledge/units.tsv</c>), -1 when both write ratings of the same quantity and none
/// agrees.</param>
/// <param name="Address">1 when the invoice writes the project's street address ("DESPACHO AV. BRASIL 753" for the hospital
/// at Av. Brasil 753; <see cref="Knowledge.StreetAddresses"/>) or its road milepost ("RUTA 78 KM 24"): the address names
/// the site, as a commune names its surroundings.</param>
public sealed record MatchWeights(
    double Reference,
    double SupplierShare,
    double ProjectText,
    double HistoryText,
    double DateInside,
    double OverBudget,
    double NoEvidence,
    double NoneBias,
    double NoneSupplierShare,
    double NoneHistoryText,
    double NoneSupplierOnProjects,
    double Place = 0,
    double PlaceConflict = 0,
    double TradeKind = 0,
    double Voltage = 0,
    double SupplierShared = 0,
    double TextLead = 0,
    double HistoryLead = 0,
    double NameCoverage = 0,
    double SupplierConcentration = 0,
    double PlaceLead = 0,
    double KindLead = 0,
    double NoneOverheadStrong = 0,
    double NoneOverheadWeak = 0,
    double NoneHeadOffice = 0,
    double NoneWorksSite = 0,
    double Rating = 0,
    double NoneBid = 0,
    double Address = 0)
{
    /// <summary>Number of weights (for fitting).</summary>
    public const int Count = 29;

    /// <summary>Number of project weights (the first ones in <see cref="ToArray"/>); the rest score "no project".</summary>
    public const int ProjectCount = 20;

    /// <summary>The project weights in feature order.</summary>
    public double[] ProjectVector() => [Reference, SupplierShare, ProjectText, HistoryText, DateInside, OverBudget, NoEvidence, Place, PlaceConflict, TradeKind, Voltage, SupplierShared, TextLead, HistoryLead, NameCoverage, SupplierConcentration, PlaceLead, KindLead, Rating, Address];

    /// <summary>The "no project" weights in feature order.</summary>
    public double[] NoneVector() => [NoneBias, NoneSupplierShare, NoneHistoryText, NoneSupplierOnProjects, NoneOverheadStrong, NoneOverheadWeak, NoneHeadOffice, NoneWorksSite, NoneBid];

    /// <summary>The names of the project weights, in <see cref="ProjectVector"/>'s order (for tools that print features).</summary>
    public static IReadOnlyList<string> ProjectNames { get; } = [nameof(Reference), nameof(SupplierShare), nameof(ProjectText), nameof(HistoryText), nameof(DateInside), nameof(OverBudget), nameof(NoEvidence), nameof(Place), nameof(PlaceConflict), nameof(TradeKind), nameof(Voltage), nameof(SupplierShared), nameof(TextLead), nameof(HistoryLead), nameof(NameCoverage), nameof(SupplierConcentration), nameof(PlaceLead), nameof(KindLead), nameof(Rating), nameof(Address)];

    /// <summary>The names of the "no project" weights, in <see cref="NoneVector"/>'s order.</summary>
    public static IReadOnlyList<string> NoneNames { get; } = [nameof(NoneBias), nameof(NoneSupplierShare), nameof(NoneHistoryText), nameof(NoneSupplierOnProjects), nameof(NoneOverheadStrong), nameof(NoneOverheadWeak), nameof(NoneHeadOffice), nameof(NoneWorksSite), nameof(NoneBid)];

    /// <summary>
    /// Produced by <c>aigrpc-eval fit-all</c>: maximum likelihood (L2 0.0005, 6000 gradient steps) on the even-numbered
    /// cases of the dev set and every bill of the hundred and eight fitting companies (<c>tests/data/analytics/training/</c> and the
    /// thirty-five retired blind batches, <c>tuning/</c>); the dev set's odd half and the blind companies are never fitted on.
    /// </summary>
    public static MatchWeights Default { get; } = new(
        Reference: 5.760,
        SupplierShare: 2.907,
        ProjectText: 8.351,
        HistoryText: 1.973,
        DateInside: 2.391,
        OverBudget: -0.408,
        NoEvidence: -1.465,
        NoneBias: 4.565,
        NoneSupplierShare: 1.006,
        NoneHistoryText: 1.782,
        NoneSupplierOnProjects: -1.067,
        Place: 1.878,
        PlaceConflict: -2.824,
        TradeKind: 0.821,
        Voltage: 1.242,
        SupplierShared: 1.153,
        TextLead: 4.487,
        HistoryLead: 1.813,
        NameCoverage: 3.404,
        SupplierConcentration: 0.287,
        PlaceLead: 2.637,
        KindLead: 0.262,
        NoneOverheadStrong: 5.740,
        NoneOverheadWeak: 4.209,
        NoneHeadOffice: 4.026,
        NoneWorksSite: -1.600,
        Rating: 3.751,
        NoneBid: 1.532,
        Address: 1.464);

    /// <summary>The weights as a vector: the project weights, then the "no project" ones (the fitter's order).</summary>
    public double[] ToArray() => [.. ProjectVector(), .. NoneVector()];

    /// <summary>Weights from a vector in <see cref="ToArray"/> order.</summary>
    public static MatchWeights FromArray(IReadOnlyList<double> w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return w.Count != Count
            ? throw new ArgumentException($"Expected {Count} weights.", nameof(w))
            : new(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[20], w[21], w[22], w[23], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15], w[16], w[17], w[24], w[25], w[26], w[27], w[18], w[28], w[19]);
    }
}

/// <summary>When the engine abstains rather than name a project.</summary>
/// <param name="MinConfidence">Abstain when the confidence (<see cref="ConfidenceModel"/>: the probability that the best
/// project is right) is below this.</param>
/// <param name="MinMargin">Abstain when the best two projects' probabilities are closer than this.</param>
/// <remarks>The default threshold is chosen by <c>aigrpc-eval fit-all</c> on companies left out of the confidence
/// model's fit: the most right answers with at most 2.5 % of answerable bills given a wrong project.</remarks>
public sealed record AbstentionPolicy(double MinConfidence = 0.77, double MinMargin = 0);
