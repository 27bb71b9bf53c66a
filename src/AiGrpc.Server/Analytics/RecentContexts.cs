using AiGrpc.Analytics.V1;
using Google.Protobuf.Collections;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// Context ids of recently seen project lists and histories, so that a request repeating one (the Odoo module and
/// REST callers send the same projects and history with every invoice) is recognised by comparing its parsed fields
/// with the kept copy, which allocates nothing, instead of encoding them again to hash them: under load the
/// encoding, its UTF-8 transcoding and the SHA-256 were a fifth of a full request's CPU. A hit needs field-by-field
/// equality, so the slot's cheap key can collide without harm. Bounded: a fixed table of slots, each the last context
/// that fell in it; contexts over <see cref="MaxRows"/> rows are not kept (building their index dominates anyway).
/// </summary>
internal sealed class RecentContexts
{
    /// <summary>Slots in the table (a power of two).</summary>
    public const int Slots = 256;

    /// <summary>Largest context (projects + history rows) kept.</summary>
    public const int MaxRows = 2_000;

    private readonly Entry?[] _slots = new Entry?[Slots];

    /// <summary>The id kept for exactly these projects and history, or null.</summary>
    public string? Find(RepeatedField<Project> projects, RepeatedField<PastInvoice> history)
    {
        var entry = Volatile.Read(ref _slots[Slot(projects, history)]);
        return entry is not null && entry.Projects.Equals(projects) && entry.History.Equals(history) ? entry.Id : null;
    }

    /// <summary>Keeps a copy of the context under <paramref name="id"/>, replacing whatever shared its slot.</summary>
    public void Keep(RepeatedField<Project> projects, RepeatedField<PastInvoice> history, string id)
    {
        if (projects.Count + history.Count > MaxRows)
        {
            return;
        }

        Volatile.Write(ref _slots[Slot(projects, history)], new Entry(projects.Clone(), history.Clone(), id));
    }

    /// <summary>A cheap key from sizes and the ends of both lists; equality decides, this only spreads.</summary>
    private static int Slot(RepeatedField<Project> projects, RepeatedField<PastInvoice> history)
    {
        var key = HashCode.Combine(projects.Count, history.Count,
            projects.Count > 0 ? projects[0].Id : 0, projects.Count > 0 ? projects[^1].Id : 0,
            projects.Count > 0 ? projects[^1].Name.Length : 0, history.Count > 0 ? history[^1].ProjectId ?? 0 : 0);
        return key & (Slots - 1);
    }

    private sealed record Entry(RepeatedField<Project> Projects, RepeatedField<PastInvoice> History, string Id);
}
