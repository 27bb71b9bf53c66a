namespace AiGrpc.TestKit;

/// <summary>
/// Locates <c>../shared</c> (SII samples, datasets) beside the repository. Tests that need it call
/// <see cref="RequireDirectory"/>, which skips the test, saying why, on a clone without it.
/// </summary>
public static class SharedData
{
    /// <summary>The repository root (the folder holding <c>AiGrpc.slnx</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>../shared</c> next to the repository, or null when absent.</summary>
    public static string? Root
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("AIGRPC_SHARED_DIR");
            var candidate = string.IsNullOrEmpty(fromEnv) ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared")) : fromEnv;
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>Path of <paramref name="relative"/> under <c>../shared</c>; skips the test when it is missing.</summary>
    public static string RequireDirectory(string relative)
    {
        var root = Root;
        Assert.SkipWhen(root is null, "../shared is absent (it sits beside the repository in CI and on developer machines); this test reads SII samples or datasets from it.");
        var path = Path.Combine(root!, relative);
        Assert.SkipUnless(Directory.Exists(path) || File.Exists(path), $"../shared/{relative} is absent.");
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiGrpc.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AiGrpc.slnx not found above " + AppContext.BaseDirectory);
    }
}
