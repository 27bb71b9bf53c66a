namespace AiGrpc.Analytics.Matching.Knowledge;

/// <summary>
/// The reviewed data files of <c>src/AiGrpc.Analytics/Knowledge/</c> (geography, overhead, trades), embedded in the assembly:
/// tab-separated, one header line, <c>#</c> lines are comments (their sources). Read once per process.
/// </summary>
internal static class KnowledgeFile
{
    /// <summary>The rows of <paramref name="name"/> (e.g. <c>communes.tsv</c>) as dictionaries by header column.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Rows(string name)
    {
        using var stream = typeof(KnowledgeFile).Assembly.GetManifestResourceStream("AiGrpc.Analytics.Knowledge." + name)
            ?? throw new InvalidOperationException($"Knowledge file {name} is not embedded in {typeof(KnowledgeFile).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        string[]? header = null;
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var cells = line.Split('\t');
            if (header is null)
            {
                header = cells;
                continue;
            }

            var row = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = i < cells.Length ? cells[i].Trim() : string.Empty;
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A comma-separated cell as its non-empty parts.</summary>
    public static IEnumerable<string> List(string cell) =>
        cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
