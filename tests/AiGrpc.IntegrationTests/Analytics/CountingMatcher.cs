using AiGrpc.Analytics.Matching;

namespace AiGrpc.IntegrationTests.Analytics;

/// <summary>The real engine, counting how many indexes it is asked to build.</summary>
internal sealed class CountingMatcher(IInvoiceMatcher inner) : IInvoiceMatcher
{
    private int _builds;

    public int Builds => Volatile.Read(ref _builds);

    public int LastProjectCount { get; private set; }

    public IMatchIndex BuildIndex(IReadOnlyList<ProjectCandidate> projects, IReadOnlyList<AssignedInvoice> history)
    {
        Interlocked.Increment(ref _builds);
        LastProjectCount = projects.Count;
        return inner.BuildIndex(projects, history);
    }
}
