using AiGrpc.Common;
using AiGrpc.Server.Hosting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AiGrpc.Server.Errors;

/// <summary>
/// The one place where failures become gRPC statuses (and, through JSON transcoding, REST codes):
/// invalid input is INVALID_ARGUMENT with field violations, a caller's cancellation or deadline is
/// reported as such, anything unexpected is INTERNAL with the trace id and no stack trace.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    /// <inheritdoc />
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    /// <inheritdoc />
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case InvalidInputException invalid:
                return ToRpcException(invalid);
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return context.Deadline <= DateTime.UtcNow
                    ? new RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.DeadlineExceeded, "The caller's deadline passed; the work was cancelled."))
                    : new RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Cancelled, "The call was cancelled by the caller."));
            default:
                var traceId = ServiceInfo.CurrentTraceId ?? "none";
                LogUnexpected(logger, exception, context.Method, traceId);
                return new Google.Rpc.Status
                {
                    Code = (int)Code.Internal,
                    Message = $"Internal error. Quote trace id {traceId} when reporting it.",
                    Details = { Any.Pack(new RequestInfo { RequestId = traceId }) },
                }.ToRpcException();
        }
    }

    /// <summary>INVALID_ARGUMENT with a <c>google.rpc.BadRequest</c> listing every violation.</summary>
    public static RpcException ToRpcException(InvalidInputException invalid) => ToStatus(invalid).ToRpcException();

    /// <summary>The <c>google.rpc.Status</c> of <see cref="ToRpcException"/>.</summary>
    public static Google.Rpc.Status ToStatus(InvalidInputException invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(invalid.Violations.Select(v =>
            new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = invalid.Message,
            Details = { Any.Pack(badRequest) },
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method} (trace id {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string traceId);
}
