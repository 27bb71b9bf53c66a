using AiGrpc.Common;
using System.Xml;

namespace AiGrpc.Validation.Dte;

/// <summary>Settings of the engine (plain C#; the host binds them from configuration).</summary>
public sealed record DteValidatorSettings
{
    /// <summary>Largest XML accepted, in bytes (characters for a string). Default 16 MiB.</summary>
    public long MaxXmlBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How far in the future FchEmis may be (time zones). Default 24 h.</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The SII schemas XML documents are checked against (<see cref="SiiSchemas.Shipped"/> or a folder); null, the
    /// default, leaves the XSD check out.</summary>
    public SiiSchemas? Schemas { get; init; }
}

/// <summary>
/// Validates DTEs as the SII defines them: safe parse, structure, RUTs, dates, totals, references,
/// TED + CAF, XML-DSig and optionally the XSD. Deterministic, no I/O besides an optional schema folder.
/// Thread-safe.
/// </summary>
public sealed class DteValidator
{
    private readonly DteValidatorSettings _settings;
    private readonly SiiKeyRing _keys;
    private readonly TimeProvider _time;
    private readonly SchemaValidator? _schemas;

    /// <summary>Creates the engine.</summary>
    public DteValidator(DteValidatorSettings? settings = null, SiiKeyRing? keys = null, TimeProvider? time = null)
    {
        _settings = settings ?? new DteValidatorSettings();
        _keys = keys ?? SiiKeyRing.Default();
        _time = time ?? TimeProvider.System;
        _schemas = _settings.Schemas is null ? null : new SchemaValidator(_settings.Schemas);
        SafeXml.EnsureEncodings();
    }

    /// <summary>Validates XML bytes as received (the declared encoding is honoured).</summary>
    public ValidationReport Validate(ReadOnlyMemory<byte> xml)
    {
        var (document, error) = SafeXml.Load(xml, _settings.MaxXmlBytes);
        if (document is not null && WrittenForm.Decode(xml.Span, document) is { } text)
        {
            WrittenForm.Remember(document, text);
        }

        return document is null ? Unreadable(error!) : Guarded(document);
    }

    /// <summary>Validates an XML string.</summary>
    public ValidationReport Validate(string xml)
    {
        var (document, error) = SafeXml.Load(xml, _settings.MaxXmlBytes);
        if (document is not null)
        {
            WrittenForm.Remember(document, xml);
        }

        return document is null ? Unreadable(error!) : Guarded(document);
    }

    /// <summary>Validates a structured document (no TED or signature to check).</summary>
    public ValidationReport Validate(DteDocument structured)
    {
        ArgumentNullException.ThrowIfNull(structured);
        try
        {
            var report = ValidateDocument(structured, 0, xml: false);
            return new ValidationReport(report.Verdict, "STRUCTURED", [], [report], null);
        }
        catch (ArithmeticException ex)
        {
            // Amounts near the limits of long or decimal: a finding for the caller, never a 500.
            return new ValidationReport(Verdict.Reject, "STRUCTURED", [new Finding("CHECK_FAILED", FindingSeverity.Error, "/",
                $"El documento no pudo verificarse por completo ({ex.GetType().Name}): revise que los montos estén dentro de los rangos del SII.")], [], null);
        }
    }

    private ValidationReport Guarded(XmlDocument document)
    {
        try
        {
            return Validate(document);
        }
        catch (Exception ex) when (ex is XmlException or ArgumentException or InvalidOperationException or FormatException
            or System.Security.Cryptography.CryptographicException or ArithmeticException or NullReferenceException)
        {
            return new(Verdict.Reject, document.DocumentElement?.LocalName, [new Finding("CHECK_FAILED", FindingSeverity.Error, "/",
                $"El documento no pudo verificarse por completo ({ex.GetType().Name}).")], [], null);
        }
    }

    private static ValidationReport Unreadable(XmlLoadError error) =>
        new(Verdict.Reject, null, [new Finding(error.Code, FindingSeverity.Error, "/", error.Message)], [], null);

    private ValidationReport Validate(XmlDocument document)
    {
        using var activity = DteTelemetry.Source.StartActivity("validation.document");
        var root = document.DocumentElement!;
        activity?.SetTag("validation.root", root.LocalName);
        var envelope = new List<Finding>();
        var documents = new List<DocumentReport>();
        SignatureOutcome? envelopeSignature = null;
        var knownNamespace = root.NamespaceURI is "" or DteDocument.SiiNamespace;
        switch (root.LocalName)
        {
            case "DTE" when knownNamespace:
                if (root.NamespaceURI.Length == 0)
                {
                    envelope.Add(new Finding("NAMESPACE_MISSING", FindingSeverity.Info, "DTE",
                        "El DTE no declara xmlns=\"http://www.sii.cl/SiiDte\" (frecuente en documentos reales); se valida igual.", DteDocument.SiiNamespace, null));
                }

                documents.Add(ValidateDocument(DteDocument.FromXml(root), 0, xml: true));
                break;
            case "EnvioDTE" or "EnvioBOLETA" when knownNamespace:
                envelopeSignature = ValidateEnvelope(root, envelope, documents);
                break;
            case "AEC" when knownNamespace:
                var i = 0;
                foreach (var dte in root.GetElementsByTagName("DTE", root.NamespaceURI).OfType<XmlElement>())
                {
                    documents.Add(ValidateDocument(DteDocument.FromXml(dte), i++, xml: true));
                }

                envelope.Add(new Finding("AEC_ENVELOPE_NOT_VERIFIED", FindingSeverity.Info, "AEC",
                    "Archivo de cesión: se validan los DTE que contiene; las firmas de la cesión no se verifican."));
                if (i == 0)
                {
                    envelope.Add(new Finding("ENVELOPE_EMPTY", FindingSeverity.Error, "AEC", "El archivo de cesión no contiene un DTE."));
                }

                break;
            case "AUTORIZACION" when knownNamespace:
                documents.Add(ValidateAuthorization(root));
                break;
            default:
                envelope.Add(new Finding("NOT_A_DTE", FindingSeverity.Error, root.LocalName,
                    "El XML no es un DTE, EnvioDTE, EnvioBOLETA ni CAF del SII.", "DTE, EnvioDTE, EnvioBOLETA", root.LocalName));
                break;
        }

        if (_schemas is not null && root.LocalName is "DTE" or "EnvioDTE" or "EnvioBOLETA" or "AEC" && knownNamespace)
        {
            using var span = DteTelemetry.Source.StartActivity("validation.schema");
            var boleta = documents.Count > 0 && documents[0].Type is 39 or 41;
            if (_schemas.Validate(document, boleta) is { } schemaFindings)
            {
                envelope.AddRange(schemaFindings);
            }
        }

        var verdict = Max(ValidationReport.Grade(envelope), documents.Select(d => d.Verdict));
        activity?.SetTag("validation.verdict", verdict.ToString());
        return new ValidationReport(verdict, root.LocalName, envelope, documents, envelopeSignature);
    }

    private static Verdict Max(Verdict first, IEnumerable<Verdict> rest) => rest.Aggregate(first, (a, b) => (Verdict)Math.Max((int)a, (int)b));

    private SignatureOutcome? ValidateEnvelope(XmlElement root, List<Finding> envelope, List<DocumentReport> documents)
    {
        var set = Xml.FirstChild(root, "SetDTE");
        if (set is null)
        {
            envelope.Add(new Finding("STRUCTURE_MISSING_ELEMENT", FindingSeverity.Error, root.LocalName + "/SetDTE", "El envío no contiene SetDTE."));
            return null;
        }

        var caratula = Xml.FirstChild(set, "Caratula");
        var issuer = Xml.Text(caratula, "RutEmisor");
        if (caratula is null)
        {
            envelope.Add(new Finding("STRUCTURE_MISSING_ELEMENT", FindingSeverity.Error, "SetDTE/Caratula", "El envío no tiene carátula."));
        }
        else
        {
            RutChecks.Check(envelope, issuer, "SetDTE/Caratula/RutEmisor", "emisor de la carátula");
            RutChecks.Check(envelope, Xml.Text(caratula, "RutEnvia"), "SetDTE/Caratula/RutEnvia", "de quien envía");
            RutChecks.Check(envelope, Xml.Text(caratula, "RutReceptor"), "SetDTE/Caratula/RutReceptor", "receptor de la carátula");
        }

        var index = 0;
        foreach (var dte in Xml.Children(set, "DTE"))
        {
            var document = DteDocument.FromXml(dte);
            var report = ValidateDocument(document, index, xml: true);
            if (issuer is not null && document.IssuerRut is not null && !Rut.SameRut(issuer, document.IssuerRut))
            {
                report = report with
                {
                    Findings = [.. report.Findings, new Finding("ENVELOPE_ISSUER_MISMATCH", FindingSeverity.Error, $"SetDTE/DTE[{index + 1}]/Documento/Encabezado/Emisor/RUTEmisor",
                        "El emisor del DTE no es el emisor declarado en la carátula del envío.", issuer, document.IssuerRut)],
                    Verdict = Verdict.Reject,
                };
            }

            documents.Add(report);
            index++;
        }

        if (index == 0)
        {
            envelope.Add(new Finding("ENVELOPE_EMPTY", FindingSeverity.Error, "SetDTE", "El envío no contiene documentos."));
        }

        var declared = Xml.Children(caratula, "SubTotDTE").Sum(s => Xml.LongValue(s, "NroDTE") ?? 0);
        if (caratula is not null && declared != index)
        {
            envelope.Add(new Finding("ENVELOPE_COUNT_MISMATCH", FindingSeverity.Warning, "SetDTE/Caratula/SubTotDTE",
                "La cantidad de documentos declarada en la carátula no coincide con los documentos del envío.", declared.ToString(System.Globalization.CultureInfo.InvariantCulture), index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        EnvelopeChecks.SubtotalsAndTypes(root.LocalName, caratula, documents, envelope);

        using var span = DteTelemetry.Source.StartActivity("validation.envelope-signature");
        var signature = root.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "Signature" && e.NamespaceURI == DteDocument.DsigNamespace);
        if (signature is null)
        {
            envelope.Add(new Finding("ENVELOPE_SIGNATURE_MISSING", FindingSeverity.Error, root.LocalName + "/Signature", "El envío no tiene firma electrónica."));
            return null;
        }

        var findings = new List<Finding>();
        var id = set.GetAttribute("ID");
        var outcome = SignatureChecks.Verify(findings, root, signature, id.Length > 0 ? id : null, root.LocalName + "/Signature", rerootVariants: false);
        envelope.AddRange(findings.Select(f => f.Code == "SIGNATURE_INVALID" ? f with { Code = "ENVELOPE_SIGNATURE_INVALID", Message = "La firma del envío (SetDTE) no es válida." } : f));
        return outcome;
    }

    private DocumentReport ValidateDocument(DteDocument document, int index, bool xml)
    {
        var c = new CheckContext(document, _time);
        c.Group("structure", StructureChecks.Run);
        c.Group("rut", RutChecks.Run);
        c.Group("dates", x => DateChecks.Run(x, _settings.FutureTolerance));
        c.Group("totals", TotalsChecks.Run);
        c.Group("references", ReferenceChecks.Run);
        if (xml)
        {
            c.Group("other-currency", OtherCurrencyChecks.Run);
            c.Group("ted", x => TedChecks.Run(x, _keys));
            c.Group("signature", SignatureChecks.Run);
        }
        else
        {
            c.Skip("ted", "Documento estructurado: no hay timbre electrónico que verificar.");
            c.Skip("signature", "Documento estructurado: no hay firma electrónica que verificar.");
        }

        if (_schemas is null && xml)
        {
            c.Skip("schema", "Validación XSD no configurada (Validation:SchemaDirectory).");
        }

        return new DocumentReport(index, document.Type, document.Folio, document.IssuerRut, ValidationReport.Grade(c.Findings),
            c.Findings, c.Run, c.Skipped, c.Signature);
    }

    private DocumentReport ValidateAuthorization(XmlElement root)
    {
        var findings = new List<Finding>();
        var skipped = new List<SkippedCheck>();
        var caf = Xml.FirstChild(root, "CAF");
        int? type = null;
        string? issuer = null;
        using (DteTelemetry.Source.StartActivity("validation.caf"))
        {
            if (caf is null)
            {
                findings.Add(new Finding("CAF_MALFORMED", FindingSeverity.Error, "AUTORIZACION/CAF", "La autorización no contiene un CAF."));
            }
            else
            {
                var da = Xml.FirstChild(caf, "DA");
                type = Xml.IntValue(da, "TD");
                issuer = Xml.Text(da, "RE");
                TedChecks.CheckCaf(findings, skipped, caf, _keys, "AUTORIZACION/CAF", null, null, null);
                RutChecks.Check(findings, issuer, "AUTORIZACION/CAF/DA/RE", "del titular del CAF");
            }
        }

        return new DocumentReport(0, type, null, issuer, ValidationReport.Grade(findings), findings, ["caf"], skipped, null);
    }
}
