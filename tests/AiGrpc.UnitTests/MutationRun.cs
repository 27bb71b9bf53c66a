#if AIGRPC_MUTATION
[assembly: AiGrpc.UnitTests.FreshAnalysisCache]
#endif

namespace AiGrpc.UnitTests;

/// <summary>
/// Mutation runs (<c>make mutation</c>, docs/testing.md) build the tests with <c>AIGRPC_MUTATION</c> defined. A test
/// that takes seconds, or waits on an outside process, calls <see cref="SkipSlow"/>: under mutation it is skipped with
/// that reason (a slow test times out during Stryker's coverage capture and turns every mutant into a timeout); in
/// <c>make unit</c> it runs as always.
/// </summary>
public static class MutationRun
{
    /// <summary>True in a mutation build.</summary>
    public static bool Active =>
#if AIGRPC_MUTATION
        true;
#else
        false;
#endif

    /// <summary>Skips the calling test in a mutation run, saying why.</summary>
    public static void SkipSlow(string why) =>
        Assert.SkipWhen(Active, $"excluded from mutation runs: {why} (docs/testing.md, mutation testing)");
}

#if AIGRPC_MUTATION
/// <summary>
/// In a mutation run, empties the analytics engine's process-wide analysis cache before each test. Stryker keeps one
/// test process across many mutants; an analysis cached under an earlier mutant (or none) would answer for the code
/// under test, and the mutant would survive every test that reads a text seen before.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class FreshAnalysisCacheAttribute : Xunit.v3.BeforeAfterTestAttribute
{
    /// <inheritdoc />
    public override void Before(System.Reflection.MethodInfo methodUnderTest, Xunit.v3.IXunitTest test) =>
        AiGrpc.Analytics.Matching.AnalysisCache.Clear();
}
#endif
