using System.Xml;
using AiGrpc.Validation.Dte;

namespace AiGrpc.UnitTests.Validation;

/// <summary>
/// <see cref="EnvelopeChecks"/> on its own: which document types each envelope admits, and the carátula's subtotals
/// per type against the documents the envelope carries.
/// </summary>
public class EnvelopeChecksTests
{
    private static DocumentReport Doc(int? type) => new(0, type, 1, null, Verdict.Accept, [], [], [], null);

    private static XmlElement Caratula(string subtotals)
    {
        var document = new XmlDocument();
        document.LoadXml($"<Caratula xmlns=\"http://www.sii.cl/SiiDte\"><RutEmisor>76354771-K</RutEmisor>{subtotals}</Caratula>");
        return document.DocumentElement!;
    }

    private static List<Finding> Run(string root, XmlElement? caratula, params DocumentReport[] documents)
    {
        var findings = new List<Finding>();
        EnvelopeChecks.SubtotalsAndTypes(root, caratula, documents, findings);
        return findings;
    }

    [Fact]
    public void A_boleta_in_an_EnvioDTE_is_not_allowed_and_named_by_its_position()
    {
        var finding = Assert.Single(Run("EnvioDTE", null, Doc(33), Doc(39), Doc(61)));
        Assert.Equal(new Finding("ENVELOPE_TYPE_NOT_ALLOWED", FindingSeverity.Error, "SetDTE/DTE[2]",
            "Las boletas (tipos 39 y 41) se envían en un EnvioBOLETA, no en un EnvioDTE.", "33, 34, 43, 46, 52, 56, 61, 110, 111, 112", "39"), finding);
        Assert.Equal("SetDTE/DTE[1]", Assert.Single(Run("EnvioDTE", null, Doc(41))).Path);
    }

    [Fact]
    public void An_EnvioBOLETA_carries_boletas_only()
    {
        Assert.Empty(Run("EnvioBOLETA", null, Doc(39), Doc(41), Doc(null)));
        var finding = Assert.Single(Run("EnvioBOLETA", null, Doc(39), Doc(33)));
        Assert.Equal(new Finding("ENVELOPE_TYPE_NOT_ALLOWED", FindingSeverity.Error, "SetDTE/DTE[2]",
            "Un EnvioBOLETA solo lleva boletas (tipos 39 y 41); los demás DTE se envían en un EnvioDTE.", "39, 41", "33"), finding);
    }

    [Fact]
    public void Every_document_of_the_wrong_kind_is_reported()
    {
        var findings = Run("EnvioDTE", null, Doc(39), Doc(33), Doc(41));
        Assert.Equal(["SetDTE/DTE[1]", "SetDTE/DTE[3]"], findings.Select(f => f.Path));
    }

    [Fact]
    public void Subtotals_that_match_the_documents_say_nothing()
    {
        var caratula = Caratula("<SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>2</NroDTE></SubTotDTE><SubTotDTE><TpoDTE>61</TpoDTE><NroDTE>1</NroDTE></SubTotDTE>");
        Assert.Empty(Run("EnvioDTE", caratula, Doc(33), Doc(61), Doc(33)));
    }

    [Fact]
    public void A_subtotal_that_does_not_match_is_a_warning_with_both_counts()
    {
        var caratula = Caratula("<SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>2</NroDTE></SubTotDTE><SubTotDTE><TpoDTE>61</TpoDTE><NroDTE>3</NroDTE></SubTotDTE>");
        var finding = Assert.Single(Run("EnvioDTE", caratula, Doc(33), Doc(61), Doc(33), Doc(null)));
        Assert.Equal(new Finding("ENVELOPE_COUNT_MISMATCH", FindingSeverity.Warning, "SetDTE/Caratula/SubTotDTE[2]/NroDTE",
            "La carátula declara 3 documentos tipo 61 y el envío trae 1.", "3", "1"), finding);
    }

    [Fact]
    public void A_subtotal_of_a_type_the_envelope_does_not_carry_counts_zero()
    {
        var finding = Assert.Single(Run("EnvioDTE", Caratula("<SubTotDTE><TpoDTE>56</TpoDTE><NroDTE>1</NroDTE></SubTotDTE>"), Doc(33)));
        Assert.Equal(("1", "0"), (finding.Expected, finding.Actual));

        // Without NroDTE the declared count is 0.
        var missing = Assert.Single(Run("EnvioDTE", Caratula("<SubTotDTE><TpoDTE>33</TpoDTE></SubTotDTE>"), Doc(33)));
        Assert.Equal("La carátula declara 0 documentos tipo 33 y el envío trae 1.", missing.Message);
        Assert.Empty(Run("EnvioDTE", Caratula("<SubTotDTE><TpoDTE>56</TpoDTE></SubTotDTE>"), Doc(33)));
    }

    [Fact]
    public void A_subtotal_without_its_type_is_an_error_and_the_next_ones_are_still_checked()
    {
        var caratula = Caratula("<SubTotDTE><NroDTE>1</NroDTE></SubTotDTE><SubTotDTE><TpoDTE>33</TpoDTE><NroDTE>5</NroDTE></SubTotDTE><SubTotDTE/>");
        var findings = Run("EnvioDTE", caratula, Doc(33));
        Assert.Equal(3, findings.Count);
        Assert.Equal(new Finding("ENVELOPE_SUBTOTAL_INVALID", FindingSeverity.Error, "SetDTE/Caratula/SubTotDTE[1]/TpoDTE",
            "El subtotal de la carátula no indica el tipo de documento (TpoDTE): no se puede verificar la cantidad por tipo.", "TpoDTE", "NroDTE"), findings[0]);
        Assert.Equal(("ENVELOPE_COUNT_MISMATCH", "SetDTE/Caratula/SubTotDTE[2]/NroDTE"), (findings[1].Code, findings[1].Path));
        Assert.Equal(("ENVELOPE_SUBTOTAL_INVALID", "SetDTE/Caratula/SubTotDTE[3]/TpoDTE", (string?)null), (findings[2].Code, findings[2].Path, findings[2].Actual));
    }
}
