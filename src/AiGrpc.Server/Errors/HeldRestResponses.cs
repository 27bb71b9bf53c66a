using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace AiGrpc.Server.Errors;

/// <summary>
/// REST answers (not gRPC) are held until complete, up to <see cref="MaxHeld"/> bytes, and written once with a
/// <c>Content-Length</c>:
/// <list type="bullet">
/// <item>The JSON transcoder writes its message and flushes, so Kestrel would send it chunked, the terminating chunk apart;
/// one write with a length is less work for both ends (measured with h2load on the REST match route, alternating runs:
/// see <c>docs/performance.md</c>).</item>
/// <item>The transcoder explains a body it cannot read with .NET type names ("... of type
/// 'Google.Protobuf.Collections.RepeatedField`1[AiGrpc.Analytics.V1.Project]'"): internals, and of no use to a caller. In
/// a 400 such names are replaced by what the caller should have written (a list, a number, an object...).</item>
/// </list>
/// A longer answer (the OpenAPI document, metrics) goes out as written once it passes the bound.
/// </summary>
internal static partial class HeldRestResponses
{
    /// <summary>Largest answer held; a longer one passes through as it is.</summary>
    private const int MaxHeld = 16 * 1024;

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.IsGrpc())
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var held = new HeldBody(context.Response, original);
        context.Response.Body = held;
        try
        {
            await next(context);
            await held.CompleteAsync(context.RequestAborted);
        }
        finally
        {
            context.Response.Body = original;
        }
    }

    /// <summary>The message with type names replaced.</summary>
    public static string Clean(string text) => TypeName().Replace(text, m => Describe(m.Value));

    private static string Describe(string typeName) => typeName switch
    {
        _ when typeName.Contains("RepeatedField", StringComparison.Ordinal) || typeName.Contains("List", StringComparison.Ordinal) => "'a list'",
        _ when typeName.Contains("MapField", StringComparison.Ordinal) || typeName.Contains("Dictionary", StringComparison.Ordinal) => "'an object'",
        _ when typeName.Contains("Int", StringComparison.Ordinal) || typeName.Contains("Double", StringComparison.Ordinal) || typeName.Contains("Single", StringComparison.Ordinal)
            || typeName.Contains("Decimal", StringComparison.Ordinal) => "'a number'",
        _ when typeName.Contains("String", StringComparison.Ordinal) => "'a string'",
        _ when typeName.Contains("Boolean", StringComparison.Ordinal) => "'true or false'",
        _ => "'an object'",
    };

    [GeneratedRegex(@"'(?:Google|AiGrpc|System|Grpc)\.[A-Za-z0-9_.`]+(?:\[[^\]']*\])?'")]
    private static partial Regex TypeName();

    /// <summary>Holds writes (in a pooled buffer, bounded) until <see cref="CompleteAsync"/>; passes them through once the
    /// bound is passed or when the answer had started before the first write.</summary>
    private sealed class HeldBody(HttpResponse response, Stream inner) : Stream
    {
        private byte[]? _held;
        private int _length;
        private bool _decided;
        private bool _rewrite;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
            if (_held is null)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => _held is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_decided)
            {
                _decided = true;
                _rewrite = response.StatusCode == StatusCodes.Status400BadRequest;
                if (!response.HasStarted)
                {
                    _held = ArrayPool<byte>.Shared.Rent(Math.Min(MaxHeld, Math.Max(1024, buffer.Length)));
                }
            }

            if (_held is not null && _length + buffer.Length <= MaxHeld)
            {
                if (_length + buffer.Length > _held.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxHeld, Math.Max(2 * _held.Length, _length + buffer.Length)));
                    _held.AsSpan(0, _length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_held);
                    _held = larger;
                }

                buffer.Span.CopyTo(_held.AsSpan(_length));
                _length += buffer.Length;
                return;
            }

            if (_held is not null)
            {
                // Too long to hold: what was held goes out as it was, and the rest as it comes.
                await inner.WriteAsync(_held.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
                Release();
            }

            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Writes the held answer (a 400 cleaned of type names) in one write, with its length.</summary>
        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (_held is not { } held)
            {
                return;
            }

            ReadOnlyMemory<byte> body = _rewrite
                ? Encoding.UTF8.GetBytes(Clean(Encoding.UTF8.GetString(held, 0, _length)))
                : held.AsMemory(0, _length);
            if (!response.HasStarted)
            {
                response.ContentLength = body.Length;
            }

            await inner.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            Release();
        }

        protected override void Dispose(bool disposing)
        {
            Release();
            base.Dispose(disposing);
        }

        private void Release()
        {
            if (_held is { } held)
            {
                _held = null;
                ArrayPool<byte>.Shared.Return(held);
            }
        }
    }
}
