using System.Text;
using System.Text.RegularExpressions;

namespace AiGrpc.Server.Errors;

/// <summary>
/// The JSON transcoder explains a body it cannot read with .NET type names ("... of type
/// 'Google.Protobuf.Collections.RepeatedField`1[AiGrpc.Analytics.V1.Project]'"): internals, and of no use to a caller.
/// A REST answer with status 400 is held until complete and such names are replaced by what the caller should have
/// written (a list, a number, an object...). Other answers pass through; only their first write looks at the status
/// (measured with wrk on the REST match route, alternating runs: no difference beyond the runs' noise).
/// </summary>
internal static partial class TypeNamesOutOfErrors
{
    /// <summary>Largest error body held for rewriting; a longer one passes through as it is.</summary>
    private const int MaxHeld = 16 * 1024;

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.IsGrpc())
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        var filter = new ErrorBodyFilter(context.Response, original);
        context.Response.Body = filter;
        try
        {
            await next(context);
            await filter.CompleteAsync(context.RequestAborted);
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

    /// <summary>Passes writes through unless the response is a 400, which it holds (bounded) until <see cref="CompleteAsync"/>.</summary>
    private sealed class ErrorBodyFilter(HttpResponse response, Stream inner) : Stream
    {
        private MemoryStream? _held;
        private bool _decided;

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
                if (response.StatusCode == StatusCodes.Status400BadRequest && !response.HasStarted)
                {
                    _held = new MemoryStream();
                }
            }

            if (_held is not null && _held.Length + buffer.Length <= MaxHeld)
            {
                _held.Write(buffer.Span);
                return;
            }

            if (_held is not null)
            {
                // Too long to be a transcoder's message: what was held goes out as it was.
                var held = _held;
                _held = null;
                await inner.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken).ConfigureAwait(false);
            }

            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Writes a held error body, cleaned.</summary>
        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (_held is not { } held)
            {
                return;
            }

            _held = null;
            var cleaned = Encoding.UTF8.GetBytes(Clean(Encoding.UTF8.GetString(held.GetBuffer(), 0, (int)held.Length)));
            if (!response.HasStarted)
            {
                response.ContentLength = cleaned.Length;
            }

            await inner.WriteAsync(cleaned, cancellationToken).ConfigureAwait(false);
        }
    }
}
