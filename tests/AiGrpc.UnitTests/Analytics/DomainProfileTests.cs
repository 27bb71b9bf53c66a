using AiGrpc.Analytics.Matching;
using AiGrpc.Analytics.Matching.Knowledge;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>What the domain knowledge reads of one invoice as a whole (<c>Knowledge/DomainProfile.cs</c>): which texts it
/// reads, when it reads addresses, and the look-ups the evidence makes on it.</summary>
public class DomainProfileTests
{
    private static InvoiceToMatch Invoice(string? description, params string[] lines) =>
        new(description, null, null, null, null, null, [.. lines.Select(l => new InvoiceLineToMatch(l))]);

    [Fact]
    public void An_invoice_without_text_reads_as_nothing()
    {
        Assert.Same(InvoiceDomain.Empty, InvoiceDomain.Of(Invoice(null)));
        Assert.Same(InvoiceDomain.Empty, InvoiceDomain.Of(Invoice("  ")));
        Assert.Equal(string.Empty, InvoiceDomain.Empty.Normalized);
        Assert.Empty(InvoiceDomain.Empty.Ratings);
        Assert.Empty(InvoiceDomain.Empty.Addresses);
    }

    [Fact]
    public void The_description_and_every_line_are_read()
    {
        Assert.Equal(PhraseTable<Place>.Normalize("flete calama"), InvoiceDomain.Of(Invoice("Flete Calama")).Normalized);
        Assert.Equal(PhraseTable<Place>.Normalize("flete calama | grua 50 t | rigger"), InvoiceDomain.Of(Invoice("Flete Calama", "Grúa 50 t", "Rigger")).Normalized);
        Assert.Equal(PhraseTable<Place>.Normalize(" | grua 50 t"), InvoiceDomain.Of(Invoice(null, "Grúa 50 t")).Normalized);
    }

    [Fact]
    public void Addresses_are_read_only_when_asked_for()
    {
        var invoice = Invoice("Hormigón losa Av. Los Carrera 1450");
        Assert.NotEmpty(InvoiceDomain.Of(invoice).Addresses);
        Assert.Empty(InvoiceDomain.Of(invoice, readAddresses: false).Addresses);
    }

    [Fact]
    public void No_more_places_is_the_same_reading()
    {
        var domain = InvoiceDomain.Of(Invoice("Flete Calama"));
        Assert.Same(domain, domain.WithPlaces([]));
    }

    [Fact]
    public void A_rating_the_project_does_not_write_agrees_with_nothing()
    {
        var domain = InvoiceDomain.Of(Invoice("Torre autosoportada 42 m"));
        Assert.Null(domain.AgreeingRating(RatingReader.Instance.Read("Torre autosoportada 36 m")));
        Assert.Equal("42 m", domain.AgreeingRating(RatingReader.Instance.Read("Torre autosoportada 42 m"))?.Text);
    }
}
