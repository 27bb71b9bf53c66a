using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AiGrpc.Server.Observability;

/// <summary>
/// Records <c>rpc.server.call.duration</c> per RPC with its final gRPC status. ASP.NET Core's HTTP
/// metrics cannot tell a failed gRPC call (HTTP 200, status in the trailers) from a good one, so the
/// error-ratio alert needs this. Registered before the error mapping, so it sees the mapped status.
/// Transcoded REST calls run through it too.
/// </summary>
internal sealed class RpcMetricsInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        return Track(context, () => continuation(request, context));
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        await Track(context, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        return Track(context, () => continuation(requestStream, context));
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        await Track(context, async () =>
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    private static async Task<T> Track<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            throw;
        }
        catch (OperationCanceledException)
        {
            status = StatusCode.Cancelled;
            throw;
        }
        catch (Exception)
        {
            status = StatusCode.Unknown;
            throw;
        }
        finally
        {
            Telemetry.RecordRpc(context.Method, status, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
