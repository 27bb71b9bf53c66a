using System.Buffers;

namespace AiGrpc.Server.Analytics;

/// <summary>Where a JSON MatchInvoice body (REST) holds its <c>projects</c> and <c>history</c>, and every other top-level
/// property, as byte ranges. Only the body's structure is read (strings, brackets, commas), with vectorised searches:
/// a full tokenisation of a 16 KB body cost more than the rest of a repeated-context call. A body this reading does not
/// understand is left to the transcoder, which judges it in full; a body taken apart here is only ever served as a
/// context whose bytes are identical to one the transcoder already parsed.</summary>
/// <param name="Projects">The <c>projects</c> value, or empty.</param>
/// <param name="History">The <c>history</c> value, or empty.</param>
/// <param name="Others">Every other top-level property, name and value, in order.</param>
internal sealed record JsonContextSpans(Range Projects, Range History, IReadOnlyList<Range> Others)
{
    /// <summary>The bytes that change the structure outside a string.</summary>
    private static readonly SearchValues<byte> StructureBytes = SearchValues.Create("\"[]{}"u8);

    /// <summary>The bytes that end or escape inside a string.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create("\"\\"u8);

    /// <summary>The bytes that end a number or literal.</summary>
    private static readonly SearchValues<byte> ScalarStops = SearchValues.Create(",}] \t\r\n"u8);

    /// <summary>The context id's names in proto JSON (field name and json name).</summary>
    private static readonly string[] ContextIdNames = ["context_id", "contextId"];

    /// <summary>The context's own property names.</summary>
    private static readonly string[] ContextNames = ["projects", "history"];

    /// <summary>The spans of <paramref name="body"/>, or null when it is not one plain JSON object with projects or
    /// history, names a <c>context_id</c>, or repeats a property: the transcoder then reads it as it is.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="known">Projects or history values seen before (complete JSON values): a <c>projects</c> or
    /// <c>history</c> value that starts with one of them ends where it ends, without reading it again (a complete array
    /// is never the start of a longer one).</param>
    public static JsonContextSpans? Find(ReadOnlySpan<byte> body, IReadOnlyList<byte[]>? known = null)
    {
        var at = SkipSpace(body, 0);
        if (at >= body.Length || body[at] != (byte)'{')
        {
            return null;
        }

        Range? projects = null, history = null;
        var others = new List<Range>();
        at = SkipSpace(body, at + 1);
        if (at < body.Length && body[at] == (byte)'}')
        {
            return null; // no context at all
        }

        while (at < body.Length && body[at] == (byte)'"')
        {
            var nameStart = at;
            var nameEnd = StringEnd(body, at);
            if (nameEnd < 0 || body[(at + 1)..nameEnd].Contains((byte)'\\'))
            {
                return null; // truncated, or an escaped name only the transcoder can judge
            }

            var name = body[(at + 1)..nameEnd];
            var isProjects = name.SequenceEqual("projects"u8);
            var isHistory = name.SequenceEqual("history"u8);
            if (IsAnyIgnoringCase(name, ContextIdNames) || (!isProjects && !isHistory && IsAnyIgnoringCase(name, ContextNames)))
            {
                return null; // named by id already, or a spelling only the transcoder can judge
            }

            at = SkipSpace(body, nameEnd + 1);
            if (at >= body.Length || body[at] != (byte)':')
            {
                return null;
            }

            var valueStart = SkipSpace(body, at + 1);
            var end = (isProjects || isHistory) && KnownEnd(body, valueStart, known) is { } knownEnd ? knownEnd : ValueEnd(body, valueStart);
            if (end < 0)
            {
                return null;
            }

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

            at = SkipSpace(body, end);
            if (at < body.Length && body[at] == (byte)',')
            {
                at = SkipSpace(body, at + 1);
                if (at >= body.Length || body[at] != (byte)'"')
                {
                    return null; // a trailing comma
                }

                continue;
            }

            break;
        }

        if (at >= body.Length || body[at] != (byte)'}' || SkipSpace(body, at + 1) != body.Length || (projects is null && history is null))
        {
            return null;
        }

        return new JsonContextSpans(projects ?? default, history ?? default, others);
    }

    /// <summary>One past the value at <paramref name="start"/> when it is one of <paramref name="known"/>, else null.</summary>
    private static int? KnownEnd(ReadOnlySpan<byte> body, int start, IReadOnlyList<byte[]>? known)
    {
        if (known is null || start >= body.Length)
        {
            return null;
        }

        foreach (var value in known)
        {
            if (body[start..].StartsWith(value))
            {
                return start + value.Length;
            }
        }

        return null;
    }

    /// <summary>One past the value starting at <paramref name="start"/>, or -1 when it does not end.</summary>
    private static int ValueEnd(ReadOnlySpan<byte> body, int start)
    {
        if (start >= body.Length)
        {
            return -1;
        }

        switch (body[start])
        {
            case (byte)'"':
                var close = StringEnd(body, start);
                return close < 0 ? -1 : close + 1;
            case (byte)'[' or (byte)'{':
                return ContainerEnd(body, start);
            default:
                var stop = body[start..].IndexOfAny(ScalarStops);
                return stop <= 0 ? -1 : start + stop;
        }
    }

    /// <summary>One past the bracket that closes the array or object at <paramref name="start"/>, or -1.</summary>
    private static int ContainerEnd(ReadOnlySpan<byte> body, int start)
    {
        var depth = 0;
        var at = start;
        while (true)
        {
            var next = body[at..].IndexOfAny(StructureBytes);
            if (next < 0)
            {
                return -1;
            }

            at += next;
            switch (body[at])
            {
                case (byte)'"':
                    at = StringEnd(body, at);
                    if (at < 0)
                    {
                        return -1;
                    }

                    break;
                case (byte)'[' or (byte)'{':
                    depth++;
                    break;
                default:
                    if (--depth == 0)
                    {
                        return at + 1;
                    }

                    break;
            }

            at++;
        }
    }

    /// <summary>The index of the quote that closes the string opened at <paramref name="open"/>, or -1.</summary>
    private static int StringEnd(ReadOnlySpan<byte> body, int open)
    {
        var at = open + 1;
        while (true)
        {
            var next = at < body.Length ? body[at..].IndexOfAny(StringStops) : -1;
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (body[at] == (byte)'"')
            {
                return at;
            }

            at += 2; // an escape and the character it escapes
        }
    }

    private static int SkipSpace(ReadOnlySpan<byte> body, int at)
    {
        var next = at < body.Length ? body[at..].IndexOfAnyExcept(" \t\r\n"u8) : -1;
        return next < 0 ? body.Length : at + next;
    }

    /// <summary>Whether <paramref name="name"/> (UTF-8) is one of <paramref name="names"/>, ignoring ASCII case.</summary>
    private static bool IsAnyIgnoringCase(ReadOnlySpan<byte> name, string[] names)
    {
        foreach (var candidate in names)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, candidate))
            {
                return true;
            }
        }

        return false;
    }
}
