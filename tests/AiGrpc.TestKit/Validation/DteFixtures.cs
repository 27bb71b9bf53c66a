using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Security;
using System.Text;
using System.Xml;

namespace AiGrpc.TestKit.Validation;

/// <summary>A detail line of a fixture DTE.</summary>
/// <param name="Name">NmbItem.</param>
/// <param name="Quantity">QtyItem.</param>
/// <param name="Price">PrcItem.</param>
/// <param name="Amount">MontoItem (null: quantity x price).</param>
/// <param name="Exempt">IndExe = 1.</param>
public sealed record FixtureLine(string Name, decimal Quantity, decimal Price, long? Amount = null, bool Exempt = false)
{
    /// <summary>The line amount written.</summary>
    public long Written => Amount ?? (long)Math.Round(Quantity * Price, MidpointRounding.AwayFromZero);
}

/// <summary>A Referencia of a fixture DTE.</summary>
/// <param name="DocumentType">TpoDocRef.</param>
/// <param name="Folio">FolioRef.</param>
/// <param name="Date">FchRef.</param>
/// <param name="Code">CodRef (null: omitted).</param>
/// <param name="Global">IndGlobal = 1.</param>
public sealed record FixtureReference(string DocumentType, string Folio, string Date, string? Code, bool Global = false);

/// <summary>What a fixture DTE contains; defaults give a consistent factura 33 that validates as ACCEPT.</summary>
public sealed record DteSpec
{
    /// <summary>TipoDTE.</summary>
    public int Type { get; init; } = 33;

    /// <summary>Folio.</summary>
    public long Folio { get; init; } = 42;

    /// <summary>FchEmis.</summary>
    public DateOnly IssueDate { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2));

    /// <summary>RUTEmisor.</summary>
    public string IssuerRut { get; init; } = "76354771-K";

    /// <summary>RznSoc.</summary>
    public string IssuerName { get; init; } = "INGENIERÍA Y DISEÑO ÑANDÚ SPA";

    /// <summary>RUTRecep.</summary>
    public string ReceiverRut { get; init; } = "96790240-3";

    /// <summary>RznSocRecep.</summary>
    public string ReceiverName { get; init; } = "MINERA DE PRUEBA S.A.";

    /// <summary>Detail lines.</summary>
    public IReadOnlyList<FixtureLine> Lines { get; init; } = [new("Servicio de ingeniería", 2, 150000), new("Materiales eléctricos", 3, 12500)];

    /// <summary>References.</summary>
    public IReadOnlyList<FixtureReference> References { get; init; } = [];

    /// <summary>MntNeto override (null: computed).</summary>
    public long? Net { get; init; }

    /// <summary>IVA override (null: computed with round half up).</summary>
    public long? Vat { get; init; }

    /// <summary>MntTotal override (null: computed).</summary>
    public long? Total { get; init; }

    /// <summary>CAF range start.</summary>
    public long CafFrom { get; init; } = 1;

    /// <summary>CAF range end.</summary>
    public long CafTo { get; init; } = 100;

    /// <summary>CAF TD (null: same as the document).</summary>
    public int? CafType { get; init; }

    /// <summary>CAF RE (null: same as the issuer).</summary>
    public string? CafIssuer { get; init; }

    /// <summary>IDK written in the CAF.</summary>
    public int Idk { get; init; } = DteFixtures.TestIdk;

    /// <summary>Sign the CAF with a key that is not the test SII's.</summary>
    public bool ForgeCaf { get; init; }

    /// <summary>TSTED (null: FchEmis at 10:00).</summary>
    public DateTime? StampedAt { get; init; }

    /// <summary>Alter RSR after FRMT was computed (the issuer signs a forged TED).</summary>
    public bool TamperTed { get; init; }

    /// <summary>Put the DTE in the SII namespace when signing.</summary>
    public bool Namespace { get; init; } = true;

    /// <summary>Leave out the TED.</summary>
    public bool OmitTed { get; init; }

    /// <summary>Leave out the XML signature.</summary>
    public bool OmitSignature { get; init; }

    /// <summary>Line amounts are gross (boletas).</summary>
    public bool IsBoleta => Type is 39 or 41;

    /// <summary>Computed or overridden MntNeto.</summary>
    public long EffectiveNet => Net ?? (IsBoleta
        ? (long)Math.Round(Lines.Where(l => !l.Exempt).Sum(l => l.Written) / 1.19m, MidpointRounding.AwayFromZero)
        : Lines.Where(l => !l.Exempt).Sum(l => l.Written));

    /// <summary>Computed or overridden MntExe.</summary>
    public long Exempt => Lines.Where(l => l.Exempt).Sum(l => l.Written);

    /// <summary>Computed or overridden IVA.</summary>
    public long EffectiveVat => Vat ?? (IsBoleta
        ? Lines.Where(l => !l.Exempt).Sum(l => l.Written) - EffectiveNet
        : (long)Math.Round(EffectiveNet * 0.19m, MidpointRounding.AwayFromZero));

    /// <summary>Computed or overridden MntTotal.</summary>
    public long EffectiveTotal => Total ?? (EffectiveNet + Exempt + EffectiveVat);
}

/// <summary>
/// Builds signed DTE fixtures the way issuers do, independently of the server's code: a test "SII" key
/// signs a CAF, the CAF key stamps the TED (SHA1withRSA over the DD written without whitespace, ISO-8859-1),
/// and a self-signed certificate whose subjectAltName carries a RUT signs the Documento with SignedXml.
/// </summary>
public sealed class DteFixtures
{
    /// <summary>IDK of the test SII key.</summary>
    public const int TestIdk = 999;

    /// <summary>The RUT in the signer certificate.</summary>
    public const string SignerRut = "13185095-6";

    private static readonly Lazy<DteFixtures> Lazy = new(() => new DteFixtures());

    private DteFixtures()
    {
        SiiKey = RSA.Create(1024);
        ForgerKey = RSA.Create(1024);
        CafKey = RSA.Create(1024);
        var request = new CertificateRequest("CN=Firmante de Prueba, O=Pruebas", SignerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier("1.3.6.1.4.1.8321.1");
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, SignerRut);
                }
            }
        }

        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", writer.Encode(), critical: false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>One shared instance (key generation is the slow part).</summary>
    public static DteFixtures Shared => Lazy.Value;

    /// <summary>The test "SII" key that signs CAFs under <see cref="TestIdk"/>.</summary>
    public RSA SiiKey { get; }

    /// <summary>A key that is not the SII's (forged CAFs).</summary>
    public RSA ForgerKey { get; }

    /// <summary>The CAF key pair (RSASK / RSAPK).</summary>
    public RSA CafKey { get; }

    /// <summary>The signer's key.</summary>
    public RSA SignerKey { get; } = RSA.Create(2048);

    /// <summary>The signer's self-signed certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The test SII public key as PEM (for <c>Validation__CafKeys__999</c>).</summary>
    public string SiiPublicKeyPem => SiiKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>A signed DTE as ISO-8859-1 bytes.</summary>
    public byte[] Build(DteSpec spec) => Encoding.Latin1.GetBytes(BuildDocument(spec).OuterXml);

    /// <summary>A signed DTE as a document (whitespace preserved), for mutation after signing.</summary>
    public XmlDocument BuildDocument(DteSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var ns = spec.Namespace ? " xmlns=\"http://www.sii.cl/SiiDte\"" : string.Empty;
        var id = $"T{spec.Type}F{spec.Folio}";
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<DTE{ns} version=\"1.0\">\n<Documento ID=\"{id}\">\n<Encabezado>\n<IdDoc>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<TipoDTE>{spec.Type}</TipoDTE>\n<Folio>{spec.Folio}</Folio>\n<FchEmis>{spec.IssueDate:yyyy-MM-dd}</FchEmis>\n");
        if (spec.IsBoleta)
        {
            sb.Append("<IndServicio>3</IndServicio>\n");
        }

        sb.Append("</IdDoc>\n<Emisor>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<RUTEmisor>{spec.IssuerRut}</RUTEmisor>\n");
        sb.Append(spec.IsBoleta ? "<RznSocEmisor>" + E(spec.IssuerName) + "</RznSocEmisor>\n" : "<RznSoc>" + E(spec.IssuerName) + "</RznSoc>\n<GiroEmis>Ingeniería</GiroEmis>\n<Acteco>421000</Acteco>\n");
        sb.Append("<DirOrigen>Teatinos 120</DirOrigen>\n<CmnaOrigen>Santiago</CmnaOrigen>\n</Emisor>\n<Receptor>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<RUTRecep>{spec.ReceiverRut}</RUTRecep>\n<RznSocRecep>{E(spec.ReceiverName)}</RznSocRecep>\n");
        sb.Append("<DirRecep>Av. Apoquindo 4001</DirRecep>\n<CmnaRecep>Las Condes</CmnaRecep>\n</Receptor>\n<Totales>\n");
        if (spec.EffectiveNet != 0 || spec.Net is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<MntNeto>{spec.EffectiveNet}</MntNeto>\n");
        }

        if (spec.Exempt != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<MntExe>{spec.Exempt}</MntExe>\n");
        }

        if (!spec.IsBoleta && (spec.EffectiveNet != 0 || spec.Vat is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<TasaIVA>19</TasaIVA>\n<IVA>{spec.EffectiveVat}</IVA>\n");
        }
        else if (spec.IsBoleta && spec.EffectiveVat != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<IVA>{spec.EffectiveVat}</IVA>\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<MntTotal>{spec.EffectiveTotal}</MntTotal>\n</Totales>\n</Encabezado>\n");
        var n = 1;
        foreach (var line in spec.Lines)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<Detalle>\n<NroLinDet>{n++}</NroLinDet>\n");
            if (line.Exempt)
            {
                sb.Append("<IndExe>1</IndExe>\n");
            }

            sb.Append(CultureInfo.InvariantCulture, $"<NmbItem>{E(line.Name)}</NmbItem>\n<QtyItem>{line.Quantity}</QtyItem>\n<PrcItem>{line.Price}</PrcItem>\n<MontoItem>{line.Written}</MontoItem>\n</Detalle>\n");
        }

        n = 1;
        foreach (var r in spec.References)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<Referencia>\n<NroLinRef>{n++}</NroLinRef>\n<TpoDocRef>{r.DocumentType}</TpoDocRef>\n");
            if (r.Global)
            {
                sb.Append("<IndGlobal>1</IndGlobal>\n");
            }

            sb.Append(CultureInfo.InvariantCulture, $"<FolioRef>{r.Folio}</FolioRef>\n<FchRef>{r.Date}</FchRef>\n");
            if (r.Code is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<CodRef>{r.Code}</CodRef>\n");
            }

            sb.Append("<RazonRef>Corrige</RazonRef>\n</Referencia>\n");
        }

        if (!spec.OmitTed)
        {
            sb.Append(Ted(spec)).Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture, $"<TmstFirma>{spec.IssueDate:yyyy-MM-dd}T10:00:00</TmstFirma>\n</Documento>\n</DTE>");
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(sb.ToString());
        if (!spec.OmitSignature)
        {
            Sign(document, document.DocumentElement!, id);
        }

        return document;
    }

    /// <summary>A CAF element's text for <paramref name="spec"/>, signed by the test SII (or a forger).</summary>
    public string Caf(DteSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = CafKey.ExportParameters(false);
        var da = $"<DA><RE>{spec.CafIssuer ?? spec.IssuerRut}</RE><RS>{E(spec.IssuerName)}</RS><TD>{spec.CafType ?? spec.Type}</TD>"
            + $"<RNG><D>{spec.CafFrom}</D><H>{spec.CafTo}</H></RNG><FA>2020-01-01</FA><RSAPK><M>{Convert.ToBase64String(p.Modulus!)}</M>"
            + $"<E>{Convert.ToBase64String(p.Exponent!)}</E></RSAPK><IDK>{spec.Idk}</IDK></DA>";
        var frma = (spec.ForgeCaf ? ForgerKey : SiiKey).SignData(Encoding.Latin1.GetBytes(da), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        return $"<CAF version=\"1.0\">{da}<FRMA algoritmo=\"SHA1withRSA\">{Convert.ToBase64String(frma)}</FRMA></CAF>";
    }

    private string Ted(DteSpec spec)
    {
        var first = spec.Lines.Count > 0 ? spec.Lines[0].Name : string.Empty;
        var it1 = first.Length > 40 ? first[..40] : first;
        var stamped = spec.StampedAt ?? spec.IssueDate.ToDateTime(new TimeOnly(10, 0));
        var dd = $"<DD><RE>{spec.IssuerRut}</RE><TD>{spec.Type}</TD><F>{spec.Folio}</F><FE>{spec.IssueDate:yyyy-MM-dd}</FE>"
            + $"<RR>{spec.ReceiverRut}</RR><RSR>{E(spec.ReceiverName)}</RSR><MNT>{spec.EffectiveTotal}</MNT><IT1>{E(it1)}</IT1>"
            + $"{Caf(spec)}<TSTED>{stamped:yyyy-MM-ddTHH:mm:ss}</TSTED></DD>";
        var frmt = CafKey.SignData(Encoding.Latin1.GetBytes(dd), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        if (spec.TamperTed)
        {
            dd = dd.Replace($"<RSR>{E(spec.ReceiverName)}</RSR>", "<RSR>OTRO RECEPTOR</RSR>", StringComparison.Ordinal);
        }

        return $"<TED version=\"1.0\">{dd}<FRMT algoritmo=\"SHA1withRSA\">{Convert.ToBase64String(frmt)}</FRMT></TED>";
    }

    /// <summary>Appends an enveloped-by-reference XML-DSig (RSA-SHA1, C14N) of <c>#id</c> to <paramref name="parent"/>.</summary>
    public void Sign(XmlDocument document, XmlElement parent, string id)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(parent);
        var signed = new SignedXml(document) { SigningKey = SignerKey };
        signed.SignedInfo!.SignatureMethod = SignedXml.XmlDsigRSASHA1Url;
        signed.SignedInfo.CanonicalizationMethod = SignedXml.XmlDsigC14NTransformUrl;
#pragma warning disable CS0618 // SHA1 is what the SII mandates for DTE signatures.
        var reference = new Reference("#" + id) { DigestMethod = SignedXml.XmlDsigSHA1Url };
#pragma warning restore CS0618
        signed.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new RSAKeyValue(SignerKey));
        keyInfo.AddClause(new KeyInfoX509Data(Certificate));
        signed.KeyInfo = keyInfo;
        signed.ComputeSignature();
        parent.AppendChild(document.ImportNode(signed.GetXml(), true));
    }

    /// <summary>An EnvioDTE holding <paramref name="specs"/>' DTEs, each signed, the SetDTE signed too.</summary>
    public byte[] BuildEnvelope(IReadOnlyList<DteSpec> specs, string issuerRut = "76354771-K")
    {
        ArgumentNullException.ThrowIfNull(specs);
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<EnvioDTE xmlns=\"http://www.sii.cl/SiiDte\" version=\"1.0\"><SetDTE ID=\"SetDoc\">");
        sb.Append(CultureInfo.InvariantCulture, $"<Caratula version=\"1.0\"><RutEmisor>{issuerRut}</RutEmisor><RutEnvia>{SignerRut}</RutEnvia><RutReceptor>60803000-K</RutReceptor>");
        sb.Append("<FchResol>2014-08-22</FchResol><NroResol>80</NroResol><TmstFirmaEnv>2024-01-01T10:00:00</TmstFirmaEnv>");
        foreach (var group in specs.GroupBy(s => s.Type))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<SubTotDTE><TpoDTE>{group.Key}</TpoDTE><NroDTE>{group.Count()}</NroDTE></SubTotDTE>");
        }

        sb.Append("</Caratula>");
        foreach (var spec in specs)
        {
            sb.Append(BuildDocument(spec).DocumentElement!.OuterXml);
        }

        sb.Append("</SetDTE></EnvioDTE>");
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(sb.ToString());
        Sign(document, document.DocumentElement!, "SetDoc");
        return Encoding.Latin1.GetBytes(document.OuterXml);
    }

    private static string E(string text) => SecurityElement.Escape(text);
}
