using System.Text.Json;

namespace AiGrpc.Server.Analytics;

/// <summary>Where a JSON MatchInvoice body (REST) holds its <c>projects</c> and <c>history</c>, and every other top-level
/// property, as byte ranges; read with <see cref="Utf8JsonReader"/>, nothing parsed into messages.</summary>
/// <param name="Projects">The <c>projects</c> value, or empty.</param>
/// <param name="History">The <c>history</c> value, or empty.</param>
/// <param name="Others">Every other top-level property, name and value, in order.</param>
internal sealed record JsonContextSpans(Range Projects, Range History, IReadOnlyList<Range> Others)
{
    /// <summary>The spans of <paramref name="body"/>, or null when it is not one plain JSON object with projects or
    /// history, names a <c>context_id</c>, or repeats a property: the transcoder then reads it as it is.</summary>
    public static JsonContextSpans? Find(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            Range? projects = null, history = null;
            var others = new List<Range>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex;
                var name = reader.GetString();
                var isProjects = name == "projects";
                var isHistory = name == "history";
                if (reader.ValueIsEscaped || IsAnyIgnoringCase(name, ContextIdNames) || (!isProjects && !isHistory && IsAnyIgnoringCase(name, ContextNames)))
                {
                    return null; // named by id already, or a spelling only the transcoder can judge
                }

                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                if (isProjects || isHistory)
                {
                    ref var slot = ref isProjects ? ref projects : ref history;
                    if (slot is not null)
                    {
                        return null; // repeated: the transcoder decides what that means
                    }

                    slot = valueStart..end;
                }
                else
                {
                    others.Add(nameStart..end);
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (projects is null && history is null))
            {
                return null;
            }

            return new JsonContextSpans(projects ?? default, history ?? default, others);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The context id's names in proto JSON (field name and json name).</summary>
    private static readonly string[] ContextIdNames = ["context_id", "contextId"];

    /// <summary>The context's own property names.</summary>
    private static readonly string[] ContextNames = ["projects", "history"];

    /// <summary>Whether <paramref name="name"/> is one of <paramref name="names"/>, ignoring case.</summary>
    private static bool IsAnyIgnoringCase(string? name, string[] names)
    {
        foreach (var candidate in names)
        {
            if (string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
