using System.Globalization;
using AiGrpc.TestKit.Validation;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// The timbre (TED) check, one rule at a time on a document that is otherwise valid (its FRMT verifies, its XML-DSig
/// verifies): each comparison of the DD with the document, each malformed part, the timestamp's boundaries, the CAF's
/// rules and each way the FRMT is verified (as written, re-serialised, quote-escaped) or refused.
/// </summary>
public class TedChecksTests
{
    private static readonly DteSpec Base = new();

    private static string Findings(DocumentReport report) =>
        string.Join("; ", report.Findings.Select(f => $"{f.Severity}:{f.Code}@{f.Path} exp={f.Expected} act={f.Actual}"));

    private static DocumentReport Validate(byte[] xml) => Assert.Single(MutationTests.Validator().Validate(xml).Documents);

    private static readonly AiGrpc.TestKit.Validation.DteFixtures F = AiGrpc.TestKit.Validation.DteFixtures.Shared;

    private static IEnumerable<Finding> Ted(DocumentReport report) =>
        report.Findings.Where(f => f.Path.StartsWith("Documento/TED", StringComparison.Ordinal));

    [Fact]
    public void The_stamped_fixture_as_built_here_is_accepted_with_nothing_to_say_about_the_ted()
    {
        var report = new StampedDocument().Validate();
        Assert.True(report.Verdict == Verdict.Accept, Findings(report));
        Assert.Empty(report.Findings);
        Assert.Contains("ted", report.ChecksRun);
        Assert.DoesNotContain(report.ChecksSkipped, s => s.Check == "ted-signature");
    }

    public static TheoryData<string, string, string, string> Mismatches() => new()
    {
        { "RE", "60803000-K", Base.IssuerRut, "RUT del emisor" },
        { "TD", "34", "33", "tipo de documento" },
        { "TD", "033", "33", "tipo de documento" }, // a type is compared as written
        { "F", "43", "42", "folio" },
        { "FE", "2024-01-01", Base.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "fecha de emisión" },
        { "FE", "0" + Base.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Base.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "fecha de emisión" },
        { "RR", "60803000-K", Base.ReceiverRut, "RUT del receptor" },
        { "MNT", "401624", "401625", "monto total" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Each_field_of_the_timbre_that_differs_from_the_document_is_an_error_naming_both_values(string field, string inTed, string inDocument, string what)
    {
        var report = new StampedDocument().With(field, inTed).Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_DATA_MISMATCH", FindingSeverity.Error, $"Documento/TED/DD/{field}"), (finding.Code, finding.Severity, finding.Path));
        Assert.Equal((inDocument, inTed), (finding.Expected, finding.Actual));
        Assert.Contains(what, finding.Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Reject, report.Verdict);
    }

    [Fact]
    public void A_dte_without_timbre_says_only_that()
    {
        var report = Validate(F.Build(Base with { OmitTed = true }));
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_MISSING", FindingSeverity.Error, "Documento/TED"), (finding.Code, finding.Severity, finding.Path));
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
    }

    [Fact]
    public void A_timbre_without_dd_says_only_that()
    {
        var report = new StampedDocument { WrittenForm = _ => string.Empty }.Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_MALFORMED", FindingSeverity.Error, "Documento/TED/DD"), (finding.Code, finding.Severity, finding.Path));
    }

    [Fact]
    public void A_document_without_lines_has_no_first_item_to_compare()
    {
        var report = new StampedDocument(Base with { Lines = [] }).With("IT1", "Algo").Validate();
        Assert.DoesNotContain(report.Findings, f => f.Code is "TED_ITEM_MISMATCH" or "CHECK_FAILED");
        Assert.Contains("ted", report.ChecksRun);
    }

    [Fact]
    public void The_flattened_form_drops_namespace_declarations_and_whitespace_and_escapes_as_the_sii_signs()
    {
        var document = new System.Xml.XmlDocument { PreserveWhitespace = true };
        document.LoadXml("<TED><DD xmlns=\"http://www.sii.cl/SiiDte\" xmlns:x=\"urn:x\" a=\"1&quot;2'3\">\n  <RSR>A &amp; B &lt;C&gt; \"D\" 'E'</RSR>\n  <IT1> </IT1><V/></DD></TED>");
        var dd = (System.Xml.XmlElement)document.DocumentElement!.FirstChild!;
        Assert.Equal("<DD a=\"1&quot;2&apos;3\"><RSR>A &amp; B &lt;C&gt; \"D\" 'E'</RSR><IT1> </IT1><V></V></DD>", TedChecks.Flatten(dd));
        Assert.Equal("<DD a=\"1&quot;2&apos;3\"><RSR>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos;</RSR><IT1> </IT1><V></V></DD>", TedChecks.Flatten(dd, escapeQuotes: true));
    }

    [Theory]
    [InlineData("RE", "076354771-k")]
    [InlineData("RR", "96790240-3")]
    [InlineData("F", "0042")]
    [InlineData("MNT", "401625.0")]
    [InlineData("MNT", "0401625")]
    public void The_same_value_written_another_way_is_not_a_mismatch(string field, string inTed)
    {
        var report = new StampedDocument().With(field, inTed).Validate();
        Assert.True(!Ted(report).Any(), Findings(report));
    }

    [Theory]
    [InlineData("F", "4 2")]
    [InlineData("MNT", "401625 pesos")]
    public void A_number_field_that_is_not_a_number_is_compared_as_written(string field, string inTed)
    {
        var report = new StampedDocument().With(field, inTed).Validate();
        Assert.Contains(report.Findings, f => f.Code == "TED_DATA_MISMATCH" && f.Path == $"Documento/TED/DD/{field}");
    }

    [Theory]
    [InlineData("RE")]
    [InlineData("TD")]
    [InlineData("F")]
    [InlineData("FE")]
    [InlineData("RR")]
    [InlineData("MNT")]
    public void Each_field_missing_from_the_timbre_makes_it_malformed(string field)
    {
        var report = new StampedDocument().With(field, null).Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_MALFORMED", FindingSeverity.Error, $"Documento/TED/DD/{field}"), (finding.Code, finding.Severity, finding.Path));
    }

    [Fact]
    public void A_first_item_that_differs_from_the_first_line_is_a_warning()
    {
        var report = new StampedDocument().With("IT1", "Otro ítem").Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_ITEM_MISMATCH", FindingSeverity.Warning, "Documento/TED/DD/IT1"), (finding.Code, finding.Severity, finding.Path));
        Assert.Equal(("Servicio de ingeniería", "Otro ítem"), (finding.Expected, finding.Actual));
        Assert.Equal(Verdict.Review, report.Verdict);
    }

    [Fact]
    public void The_first_item_is_compared_on_its_first_40_characters_and_with_spaces_collapsed()
    {
        var name = "Servicio de ingeniería eléctrica en terreno, faena norte";
        var spec = Base with { Lines = [new(name, 2, 150000), new("Materiales eléctricos", 3, 12500)] };
        var truncated = new StampedDocument(spec).Validate();
        Assert.True(!Ted(truncated).Any(), Findings(truncated));

        var spaced = new StampedDocument().With("IT1", "Servicio  de   ingeniería").Validate();
        Assert.True(!Ted(spaced).Any(), Findings(spaced));

        var whole = new StampedDocument(spec).With("IT1", name).Validate();
        Assert.Equal("TED_ITEM_MISMATCH", Assert.Single(Ted(whole)).Code);
    }

    [Fact]
    public void A_timbre_without_its_first_item_is_not_compared()
    {
        var report = new StampedDocument().With("IT1", null).Validate();
        Assert.True(!Ted(report).Any(), Findings(report));
    }

    [Fact]
    public void A_missing_or_unreadable_timestamp_makes_the_timbre_malformed()
    {
        var missing = new StampedDocument { Stamped = null }.Validate();
        var absent = Assert.Single(Ted(missing));
        Assert.Equal(("TED_MALFORMED", "Documento/TED/DD/TSTED"), (absent.Code, absent.Path));

        var unreadable = new StampedDocument { Stamped = "2024-01-01 10:00:00" }.Validate();
        var finding = Assert.Single(Ted(unreadable));
        Assert.Equal(("TED_MALFORMED", "Documento/TED/DD/TSTED", FindingSeverity.Error), (finding.Code, finding.Path, finding.Severity));
        Assert.Equal(("AAAA-MM-DDTHH:MM:SS", "2024-01-01 10:00:00"), (finding.Expected, finding.Actual));
    }

    [Theory]
    [InlineData(-1, null)] // stamped the day after: nothing to say
    [InlineData(0, null)] // same day
    [InlineData(1, FindingSeverity.Info)] // the evening before: seen in accepted production documents
    [InlineData(2, FindingSeverity.Warning)]
    [InlineData(5, FindingSeverity.Warning)]
    public void Stamping_before_the_emission_date_is_information_for_one_day_and_a_warning_beyond(int daysBefore, FindingSeverity? expected)
    {
        var stamped = Base.IssueDate.AddDays(-daysBefore).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T21:30:00";
        var report = new StampedDocument { Stamped = stamped }.Validate();
        var found = report.Findings.Where(f => f.Code == "TED_STAMPED_BEFORE_EMISSION").ToList();
        if (expected is null)
        {
            Assert.True(found.Count == 0, Findings(report));
            return;
        }

        var finding = Assert.Single(found);
        Assert.Equal((expected.Value, "Documento/TED/DD/TSTED", stamped), (finding.Severity, finding.Path, finding.Actual));
        Assert.Equal($">= {Base.IssueDate:yyyy-MM-dd}", finding.Expected);
    }

    [Fact]
    public void A_timbre_without_frmt_is_malformed()
    {
        var report = new StampedDocument { Frmt = string.Empty }.Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_MALFORMED", "Documento/TED/FRMT", FindingSeverity.Error), (finding.Code, finding.Path, finding.Severity));
    }

    [Fact]
    public void A_timbre_without_caf_cannot_have_its_signature_checked()
    {
        var report = new StampedDocument { Caf = null }.Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("CAF_MISSING", "Documento/TED/DD/CAF", FindingSeverity.Error), (finding.Code, finding.Path, finding.Severity));
        Assert.Contains(report.ChecksSkipped, s => s.Check == "ted-signature");
    }

    [Fact]
    public void A_frmt_that_is_not_base64_or_signs_other_data_is_invalid()
    {
        foreach (var stamped in new[] { new StampedDocument { Frmt = "no es base64 !!" }, new StampedDocument { SignedForm = dd => dd.Replace("<MNT>401625</MNT>", "<MNT>1</MNT>", StringComparison.Ordinal) } })
        {
            var report = stamped.Validate();
            var finding = Assert.Single(Ted(report));
            Assert.Equal(("TED_SIGNATURE_INVALID", "Documento/TED/FRMT", FindingSeverity.Error), (finding.Code, finding.Path, finding.Severity));
        }
    }

    [Fact]
    public void A_frmt_over_the_dd_as_written_with_whitespace_between_tags_verifies_as_written()
    {
        var stamped = new StampedDocument { WrittenForm = dd => dd.Replace("><", ">\n  <", StringComparison.Ordinal) };
        var report = stamped.Validate();
        Assert.True(report.Findings.Count == 0, Findings(report));
    }

    [Fact]
    public void A_frmt_over_a_character_reference_as_written_verifies_as_written_only()
    {
        // The issuer wrote and signed &#39; in the receiver's name: only the text as written reproduces it.
        var stamped = new StampedDocument(Base with { ReceiverName = "COMERCIAL O'HIGGINS" })
        {
            SignedForm = dd => dd.Replace("O&apos;HIGGINS", "O&#39;HIGGINS", StringComparison.Ordinal),
            WrittenForm = dd => dd.Replace("O&apos;HIGGINS", "O&#39;HIGGINS", StringComparison.Ordinal),
        };
        var report = stamped.Validate();
        Assert.True(!Ted(report).Any(), Findings(report));
    }

    [Fact]
    public void A_document_rewritten_after_stamping_verifies_on_the_reserialised_form_and_says_so()
    {
        // Signed with a plain apostrophe; the document as received writes it as a character reference.
        var stamped = new StampedDocument(Base with { ReceiverName = "COMERCIAL O'HIGGINS" })
        {
            SignedForm = dd => dd.Replace("O&apos;HIGGINS", "O'HIGGINS", StringComparison.Ordinal),
            WrittenForm = dd => dd.Replace("O&apos;HIGGINS", "O&#39;HIGGINS", StringComparison.Ordinal),
        };
        var report = stamped.Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_VERIFIED_RESERIALIZED", FindingSeverity.Info, "Documento/TED/FRMT"), (finding.Code, finding.Severity, finding.Path));
        Assert.Contains("re-escrito", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Accept, report.Verdict);
    }

    [Fact]
    public void A_dd_whose_written_text_is_unknown_verifies_on_the_reserialised_form_and_says_so()
    {
        // A DD with an attribute is not paired with its text (WrittenForm): only the re-serialised form is there.
        var stamped = new StampedDocument();
        stamped.SignedForm = dd => dd.Replace("<DD>", "<DD version=\"1.0\">", StringComparison.Ordinal);
        stamped.WrittenForm = stamped.SignedForm;
        var report = stamped.Validate();
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("TED_VERIFIED_RESERIALIZED", FindingSeverity.Info), (finding.Code, finding.Severity));
        Assert.Contains("no estaba disponible", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frmt_over_the_quote_escaped_form_verifies_through_the_fallback()
    {
        // Written with a literal quote, signed over &quot;: neither the text as written nor the plain form verifies.
        var stamped = new StampedDocument(Base with { ReceiverName = "COMERCIAL \"LOS ANDES\"" })
        {
            SignedForm = dd => dd,
            WrittenForm = dd => dd.Replace("&quot;", "\"", StringComparison.Ordinal),
        };
        var report = stamped.Validate();
        Assert.Equal("TED_VERIFIED_RESERIALIZED", Assert.Single(Ted(report)).Code);
    }

    [Fact]
    public void A_wrong_frmt_over_text_with_quotes_is_invalid()
    {
        var stamped = new StampedDocument(Base with { ReceiverName = "COMERCIAL \"LOS ANDES\"" })
        {
            SignedForm = dd => dd.Replace("LOS ANDES", "LOS ALPES", StringComparison.Ordinal),
            WrittenForm = dd => dd.Replace("&quot;", "\"", StringComparison.Ordinal),
        };
        Assert.Equal("TED_SIGNATURE_INVALID", Assert.Single(Ted(stamped.Validate())).Code);
    }

    // ---------------------------------------------------------------------------------------------
    // The CAF inside the timbre.
    // ---------------------------------------------------------------------------------------------

    private static DocumentReport WithCaf(string caf, bool certification = false, DteSpec? spec = null) =>
        new StampedDocument(spec) { Caf = caf }.Validate(certification);

    [Fact]
    public void A_caf_without_da_is_malformed()
    {
        var report = WithCaf("<CAF version=\"1.0\"><FRMA>AAAA</FRMA></CAF>");
        var finding = Assert.Single(report.Findings, f => f.Code == "CAF_MALFORMED");
        Assert.Equal(("Documento/TED/DD/CAF/DA", FindingSeverity.Error), (finding.Path, finding.Severity));
        Assert.Contains(report.ChecksSkipped, s => s.Check == "ted-signature");
    }

    [Theory]
    [InlineData("")]
    [InlineData("<RSAPK><M>no es base64 !!</M><E>AQAB</E></RSAPK>")]
    [InlineData("<RSAPK><M>AQAB</M></RSAPK>")]
    [InlineData("<RSAPK><E>AQAB</E></RSAPK>")]
    public void A_caf_without_a_readable_public_key_is_malformed_and_the_frmt_is_not_checked(string rsapk)
    {
        var report = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base, rsapk: rsapk)));
        var finding = Assert.Single(report.Findings, f => f.Code == "CAF_MALFORMED");
        Assert.Equal(("Documento/TED/DD/CAF/DA/RSAPK", FindingSeverity.Error), (finding.Path, finding.Severity));
        Assert.Contains(report.ChecksSkipped, s => s.Check == "ted-signature");
        Assert.DoesNotContain(report.Findings, f => f.Code is "TED_SIGNATURE_INVALID" or "CAF_SIGNATURE_INVALID");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-999")]
    public void A_caf_whose_idk_is_not_a_number_is_malformed(string idk)
    {
        var report = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base, idk: idk)));
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("CAF_MALFORMED", "Documento/TED/DD/CAF/DA/IDK", idk), (finding.Code, finding.Path, finding.Actual));
    }

    [Fact]
    public void A_caf_of_an_unknown_idk_is_a_warning_and_its_signature_a_skipped_check()
    {
        var report = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base, idk: "998")));
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("CAF_AUTHORITY_UNKNOWN", FindingSeverity.Warning, "Documento/TED/DD/CAF/DA/IDK", "998"), (finding.Code, finding.Severity, finding.Path, finding.Actual));
        Assert.Contains("999", finding.Expected, StringComparison.Ordinal);
        Assert.Contains(report.ChecksSkipped, s => s.Check == "caf-signature" && s.Reason.Contains("998", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")] // no FRMA
    [InlineData("AAAA")] // not a signature
    public void A_caf_without_a_valid_frma_is_not_authorized(string frma)
    {
        var report = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base), frma));
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("CAF_SIGNATURE_INVALID", FindingSeverity.Error, "Documento/TED/DD/CAF/FRMA"), (finding.Code, finding.Severity, finding.Path));
        Assert.Equal($"firma SII IDK {DteFixtures.TestIdk}", finding.Expected);
    }

    [Fact]
    public void A_caf_of_the_certification_environment_is_reported_as_information()
    {
        var report = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base, idk: "100")), certification: true);
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("CAF_CERTIFICATION_ENVIRONMENT", FindingSeverity.Info, "Documento/TED/DD/CAF/DA/IDK", "100"), (finding.Code, finding.Severity, finding.Path, finding.Actual));
        Assert.Equal(Verdict.Accept, report.Verdict);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<RNG><D>1</D></RNG>")]
    [InlineData("<RNG><H>100</H></RNG>")]
    public void A_caf_without_its_range_is_malformed(string range)
    {
        var report = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base, range: range)));
        var finding = Assert.Single(Ted(report));
        Assert.Equal(("CAF_MALFORMED", "Documento/TED/DD/CAF/DA/RNG"), (finding.Code, finding.Path));
    }

    [Theory]
    [InlineData(42, 42, null)]
    [InlineData(42, 41, "42..41")]
    [InlineData(43, 100, "43..100")]
    [InlineData(1, 42, null)]
    public void The_folio_must_be_inside_the_caf_range_both_ends_included(long from, long to, string? outOfRange)
    {
        var spec = Base with { CafFrom = from, CafTo = to };
        var report = WithCaf(StampedDocument.CafOf(StampedDocument.Da(spec)), spec: spec);
        var found = Ted(report).Where(f => f.Code == "CAF_FOLIO_OUT_OF_RANGE").ToList();
        if (outOfRange is null)
        {
            Assert.True(found.Count == 0, Findings(report));
            return;
        }

        var finding = Assert.Single(found);
        Assert.Equal((FindingSeverity.Error, "Documento/TED/DD/CAF/DA/RNG", outOfRange, "42"), (finding.Severity, finding.Path, finding.Expected, finding.Actual));
    }

    [Fact]
    public void Type_and_issuer_of_the_caf_compare_as_numbers_and_ruts()
    {
        var same = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base, re: "076354771-k", td: "033")));
        Assert.True(!Ted(same).Any(), Findings(same));

        var other = WithCaf(StampedDocument.CafOf(StampedDocument.Da(Base, re: "60803000-K", td: "34")));
        var type = Assert.Single(other.Findings, f => f.Code == "CAF_TYPE_MISMATCH");
        Assert.Equal(("Documento/TED/DD/CAF/DA/TD", "33", "34"), (type.Path, type.Expected, type.Actual));
        var issuer = Assert.Single(other.Findings, f => f.Code == "CAF_ISSUER_MISMATCH");
        Assert.Equal(("Documento/TED/DD/CAF/DA/RE", Base.IssuerRut, "60803000-K"), (issuer.Path, issuer.Expected, issuer.Actual));
    }

    [Fact]
    public void A_caf_without_type_or_issuer_is_not_compared()
    {
        var da = StampedDocument.Da(Base).Replace("<RE>76354771-K</RE>", string.Empty, StringComparison.Ordinal).Replace("<TD>33</TD>", string.Empty, StringComparison.Ordinal);
        var report = WithCaf(StampedDocument.CafOf(da));
        Assert.True(!Ted(report).Any(), Findings(report));
    }
}
