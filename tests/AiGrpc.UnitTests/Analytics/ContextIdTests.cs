using System.Security.Cryptography;
using AiGrpc.Analytics.V1;
using AiGrpc.Server.Analytics;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Options;

namespace AiGrpc.UnitTests.Analytics;

/// <summary>The context id is a digest of the projects and history; recognising a repeated context by equality must
/// give the same id, and contexts that share the cheap slot key must still get their own.</summary>
public class ContextIdTests
{
    private static RepeatedField<Project> Projects(string middleName) =>
    [
        new Project { Id = 1, Name = "Obra Norte", Code = "ON-1" },
        new Project { Id = 2, Name = middleName, Description = "subestación 220 kV" },
        new Project { Id = 3, Name = "Oficina Central" },
    ];

    private static RepeatedField<PastInvoice> History() =>
    [
        new PastInvoice { SupplierRut = "76354771-K", Description = "cemento", ProjectId = 1 },
        new PastInvoice { SupplierRut = "96790240-3", Description = "toner", ProjectId = 3 },
    ];

    private static string Digest(RepeatedField<Project> projects, RepeatedField<PastInvoice> history)
    {
        var context = new MatchContext();
        context.Projects.Add(projects);
        context.History.Add(history);
        return Convert.ToHexStringLower(SHA256.HashData(context.ToByteArray())[..16]);
    }

    [Fact]
    public void A_repeated_context_gets_the_digest_of_its_content_and_a_lookalike_gets_its_own()
    {
        using var cache = new MatchIndexCache(Options.Create(new AnalyticsOptions()));
        var first = cache.ContextIdOf(Projects("Subestación Alto Jahuel"), History());
        Assert.Equal(Digest(Projects("Subestación Alto Jahuel"), History()), first);
        Assert.Equal(first, cache.ContextIdOf(Projects("Subestación Alto Jahuel"), History())); // recognised by equality

        // Same sizes, same first and last projects and history: the same slot, another content.
        var other = cache.ContextIdOf(Projects("Subestación Alto Jahuel II"), History());
        Assert.Equal(Digest(Projects("Subestación Alto Jahuel II"), History()), other);
        Assert.NotEqual(first, other);
        Assert.Equal(first, cache.ContextIdOf(Projects("Subestación Alto Jahuel"), History()));
    }

    [Fact]
    public void A_kept_context_is_a_copy_that_later_changes_to_the_request_do_not_reach()
    {
        using var cache = new MatchIndexCache(Options.Create(new AnalyticsOptions()));
        var projects = Projects("Planta");
        var id = cache.ContextIdOf(projects, History());
        projects[1].Name = "Planta 2";
        Assert.NotEqual(id, cache.ContextIdOf(projects, History()));
        Assert.Equal(id, cache.ContextIdOf(Projects("Planta"), History()));
    }
}
