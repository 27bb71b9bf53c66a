using System.Buffers;
using System.IO.Hashing;
using System.Text;
using AiGrpc.Analytics.Matching;
using AiGrpc.Server.Errors;
using Grpc.Core;
using AiGrpc.Server.Security;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// REST MatchInvoice (<c>POST /api/v1/analytics/match</c>) repeating, byte for byte, the <c>projects</c> and
/// <c>history</c> its caller sent before is served as if it had named them by <c>context_id</c>: the body handed to the
/// JSON transcoder keeps the invoice and carries the context's id instead of the ~10 KB the transcoder would otherwise
/// read into messages for every call. The answer is the same (the same index, the same <c>context_id</c> in the
/// response). The index is pinned for the call (<see cref="PinnedKey"/>), so an eviction between here and the service
/// cannot turn the call into CONTEXT_NOT_FOUND. Keyed by caller and by the exact bytes; bounded (<see cref="Slots"/>
/// slots of at most <see cref="ContextParseCache.MaxContextBytes"/>); every other body passes through untouched.
/// </summary>
internal sealed class RestContextReuse(MatchIndexCache indexes)
{
    /// <summary>The route this applies to (the transcoded MatchInvoice).</summary>
    public const string Route = "/api/v1/analytics/match";

    /// <summary><see cref="HttpContext.Items"/> key: the (context id, index) this call is served with.</summary>
    public const string PinnedKey = "aigrpc.analytics.pinned-context";

    /// <summary><see cref="HttpContext.Items"/> key: the context id the service kept for the projects and history sent.</summary>
    public const string SentKey = "aigrpc.analytics.sent-context";

    /// <summary>Slots kept (a power of two).</summary>
    public const int Slots = 32;

    private readonly Entry?[] _slots = new Entry?[Slots];
    private long _reused;

    /// <summary>Calls served by id so far (for tests and diagnostics).</summary>
    public long Reused => Interlocked.Read(ref _reused);

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.Equals(Route, StringComparison.OrdinalIgnoreCase)
            || request.ContentLength is not { } length || length < ContextParseCache.MinContextBytes || length > ContextParseCache.MaxRequestBytes
            || ApiKeyAuthenticationHandler.CallerOf(http.User) is not { } caller)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        // The body in a pooled buffer (returned when the call is done): a fresh 10-20 KB array per call was zeroed and
        // collected for nothing, as the transcoder reads it once and an entry keeps its own copy.
        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await ServeAsync(http, next, caller, rented, (int)length).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async Task ServeAsync(HttpContext http, RequestDelegate next, string caller, byte[] rented, int length)
    {
        var request = http.Request;
        int read;
        try
        {
            read = await request.Body.ReadAtLeastAsync(rented.AsMemory(0, length), length, throwOnEndOfStream: false, http.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            // A body shorter than its Content-Length (mostly a client that left): the 400 the transcoder would give,
            // not an unhandled exception. Oversized bodies go on to the 413 handler.
            http.Response.StatusCode = e.StatusCode;
            await ErrorResponses.WriteJsonAsync(http.Response, StatusCode.InvalidArgument, e.Message, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        var body = rented.AsMemory(0, read);
        request.Body = new MemoryStream(rented, 0, read, writable: false); // what the transcoder reads unless replaced below
        var spans = read == length ? JsonContextSpans.Find(body.Span, KnownValues(caller)) : null;
        if (spans is null)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var projects = body[spans.Projects];
        var history = body[spans.History];
        var hash = Hash(caller, projects.Span, history.Span);
        var slot = hash & (Slots - 1);
        var entry = Volatile.Read(ref _slots[slot]);
        if (entry is not null && entry.Matches(hash, caller, projects.Span, history.Span) && indexes.FindSent(entry.ContextId, caller) is { } index)
        {
            http.Items[PinnedKey] = (entry.ContextId, index);
            Interlocked.Increment(ref _reused);
            var named = ByContextId(body.Span, spans, entry.ContextId);
            request.Body = new MemoryStream(named, writable: false);
            request.ContentLength = named.Length;
            await next(http).ConfigureAwait(false);
            return;
        }

        await next(http).ConfigureAwait(false);
        if (http.Items.TryGetValue(SentKey, out var kept) && kept is string contextId && http.Response.StatusCode == StatusCodes.Status200OK)
        {
            Volatile.Write(ref _slots[slot], new Entry(hash, caller, projects.ToArray(), history.ToArray(), contextId));
        }
    }

    /// <summary>The projects and history this caller sent before (so that finding them again costs a comparison, not a
    /// reading of 10-20 KB of JSON), or null when none are kept.</summary>
    private List<byte[]>? KnownValues(string caller)
    {
        List<byte[]>? known = null;
        foreach (ref var slot in _slots.AsSpan())
        {
            if (Volatile.Read(ref slot) is { } entry && entry.Caller == caller)
            {
                (known ??= []).Add(entry.Projects);
                known.Add(entry.History);
            }
        }

        return known;
    }

    /// <summary>The index pinned for this call when its id is <paramref name="contextId"/>.</summary>
    public static IMatchIndex? Pinned(HttpContext? http, string contextId) =>
        http?.Items.TryGetValue(PinnedKey, out var value) == true && value is (string id, IMatchIndex index) && id == contextId ? index : null;

    /// <summary>The body without projects and history, naming the context instead.</summary>
    private static byte[] ByContextId(ReadOnlySpan<byte> body, JsonContextSpans spans, string contextId)
    {
        var others = 0;
        foreach (var property in spans.Others)
        {
            others += property.GetOffsetAndLength(body.Length).Length;
        }

        var named = new List<byte>(64 + others) { (byte)'{' };
        foreach (var property in spans.Others)
        {
            named.AddRange(body[property]);
            named.Add((byte)',');
        }

        named.AddRange("\"context_id\":\""u8);
        named.AddRange(Encoding.ASCII.GetBytes(contextId)); // 32 hexadecimal characters
        named.AddRange("\"}"u8);
        return [.. named];
    }

    private static int Hash(string caller, ReadOnlySpan<byte> projects, ReadOnlySpan<byte> history)
    {
        // XxHash3 reads the 10-20 KB of a context many times faster than HashCode.AddBytes; the seed is per process so
        // that nobody can aim collisions at the table (a collision only costs a miss: entries are compared in full).
        var hash = default(HashCode);
        hash.Add(caller, StringComparer.Ordinal);
        hash.Add(XxHash3.HashToUInt64(projects, ContextHashSeed.Value));
        hash.Add(projects.Length);
        hash.Add(XxHash3.HashToUInt64(history, ContextHashSeed.Value));
        return hash.ToHashCode();
    }

    private sealed record Entry(int Hash, string Caller, byte[] Projects, byte[] History, string ContextId)
    {
        public bool Matches(int hash, string caller, ReadOnlySpan<byte> projects, ReadOnlySpan<byte> history) =>
            Hash == hash && Caller == caller && projects.SequenceEqual(Projects) && history.SequenceEqual(History);
    }
}
