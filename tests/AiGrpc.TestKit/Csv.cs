using System.Text;

namespace AiGrpc.TestKit;

/// <summary>Minimal RFC 4180 reader for the data files in <c>../shared</c>: quoted fields, doubled quotes,
/// any single-character separator (EXPECTATIONS.csv uses <c>,</c>; the ChileCompra files <c>;</c>).</summary>
public static class Csv
{
    /// <summary>The rows of <paramref name="path"/> (UTF-8, with or without BOM), header included.</summary>
    public static IEnumerable<List<string>> Read(string path, char separator = ',')
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == separator)
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return row;
                row = [];
            }
            else
            {
                field.Append(ch);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
