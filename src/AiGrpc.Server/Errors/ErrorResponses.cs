using AiGrpc.Common;
using AiGrpc.Server.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;

namespace AiGrpc.Server.Errors;

/// <summary>
/// REST error bodies outside gRPC transcoding (authentication, health, unexpected failures). They
/// use the same JSON shape transcoding uses for gRPC errors, <c>{"code", "message", "details"}</c>
/// (google.rpc.Status), so callers parse one error format.
/// </summary>
public static class ErrorResponses
{
    /// <summary>True for gRPC requests (content type <c>application/grpc*</c>).</summary>
    public static bool IsGrpc(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
    }

    /// <summary>Writes <c>{"code", "message", "details": []}</c> as the response body.</summary>
    public static Task WriteJsonAsync(HttpResponse response, StatusCode code, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsJsonAsync(new ErrorBody((int)code, message, []), ErrorJsonContext.Default.ErrorBody, cancellationToken: cancellationToken);
    }

    private static readonly Google.Protobuf.JsonFormatter StatusFormatter = new(Google.Protobuf.JsonFormatter.Settings.Default
        .WithTypeRegistry(Google.Protobuf.Reflection.TypeRegistry.FromMessages(Google.Rpc.BadRequest.Descriptor)));

    /// <summary>
    /// Answers 400 with the body transcoding writes for an <see cref="InvalidInputException"/> thrown by a service:
    /// <c>{"code": 3, "message", "details": [google.rpc.BadRequest]}</c>. For input refused before transcoding runs.
    /// </summary>
    public static Task WriteInvalidInputAsync(HttpResponse response, InvalidInputException invalid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(StatusFormatter.Format(ErrorMappingInterceptor.ToStatus(invalid)), cancellationToken);
    }

    // grpc-dotnet reads and parses the request message before interceptors run, so an unparseable
    // protobuf message (or a body over Kestrel's limit) surfaces as UNKNOWN "Exception was thrown by
    // handler." — every exception inside a handler is mapped by ErrorMappingInterceptor, so this
    // exact status can only come from reading the request. It is the caller's input: INVALID_ARGUMENT.
    private static async Task ClarifyUnreadableGrpcMessagesAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.IsGrpc())
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            Rewrite(context.Response.Headers);
            return Task.CompletedTask;
        });
        await next(context);
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()?.Trailers is { IsReadOnly: false } trailers)
        {
            Rewrite(trailers);
        }
    }

    // grpc-dotnet's own INTERNAL answers to a badly framed request body (a frame shorter than its length
    // prefix, bytes after the message, the compressed flag without grpc-encoding): the caller's input too.
    private static readonly string[] FramingErrors = ["Incomplete message", "Additional data after the message", "Request did not include grpc-encoding"];

    private static void Rewrite(IHeaderDictionary headers)
    {
        var status = headers["grpc-status"].ToString();
        var message = Uri.UnescapeDataString(headers["grpc-message"].ToString());
        if (status == "2" && message == "Exception was thrown by handler.")
        {
            headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["grpc-message"] = Uri.EscapeDataString("The request message could not be read: it is not valid protobuf for this method, or it is larger than the server accepts.");
        }
        else if (status == "13" && FramingErrors.Any(e => message.StartsWith(e, StringComparison.Ordinal)))
        {
            headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["grpc-message"] = Uri.EscapeDataString($"The request is not a well-formed gRPC message frame: {message}");
        }
    }

    // A REST body over Server:MaxRequestBytes is 413 with RESOURCE_EXHAUSTED, as documented, before anything reads
    // it. Declared lengths are refused at once; a chunked body hits Kestrel's limit while the transcoder reads it,
    // which the transcoder answers 400: the status is corrected to 413 as the response starts.
    private static Task RefuseOversizedBodiesAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.IsGrpc())
        {
            return next(context); // gRPC has its own message limit (RESOURCE_EXHAUSTED)
        }

        // Kestrel's per-request limit; the configured one where the server has no such feature (in-memory hosts).
        var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize
            ?? context.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<ServerOptions>>()?.Value.MaxRequestBytes;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            // The body is not read, so the connection cannot carry another request: say so, or a client reusing it
            // sees its next request cut short.
            context.Response.Headers.Connection = "close";
            return WriteJsonAsync(context.Response, StatusCode.ResourceExhausted,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Request body too large: the limit is {max} bytes."), context.RequestAborted);
        }

        if (limit is not null && context.Request.ContentLength is null)
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status400BadRequest && context.Items.ContainsKey(BodyTooLarge))
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                }

                return Task.CompletedTask;
            });
            context.Request.Body = new LimitWatch(context.Request.Body, () => context.Items[BodyTooLarge] = true);
        }

        return next(context);
    }

    private const string BodyTooLarge = "aigrpc:body-too-large";

    /// <summary>Notes that reading the body failed on Kestrel's size limit (a 413 <see cref="BadHttpRequestException"/>).</summary>
    private sealed class LimitWatch(Stream inner, Action onLimit) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => Watch(() => inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                onLimit();
                throw;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Watch(Func<int> read)
        {
            try
            {
                return read();
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                onLimit();
                throw;
            }
        }
    }

    /// <summary>Answers unexpected failures of non-gRPC routes with a 500 and the trace id, never a stack trace.</summary>
    public static IApplicationBuilder UseErrorResponses(this IApplicationBuilder app)
    {
        app.Use(ClarifyUnreadableGrpcMessagesAsync);
        app.Use(RefuseOversizedBodiesAsync);
        app.Use(HeldRestResponses.InvokeAsync);
        app.UseExceptionHandler(errorApp => errorApp.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (failure is BadHttpRequestException bad)
            {
                context.Response.StatusCode = bad.StatusCode;
                var code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? StatusCode.ResourceExhausted : StatusCode.InvalidArgument;
                return WriteJsonAsync(context.Response, code, bad.Message, context.RequestAborted);
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            var traceId = ServiceInfo.CurrentTraceId ?? context.TraceIdentifier;
            return WriteJsonAsync(context.Response, StatusCode.Internal, $"Internal error. Quote trace id {traceId} when reporting it.", context.RequestAborted);
        }));
        return app;
    }
}

/// <summary>google.rpc.Status as JSON.</summary>
internal sealed record ErrorBody(int Code, string Message, IReadOnlyList<object> Details);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
