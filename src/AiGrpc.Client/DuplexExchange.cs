using System.Runtime.CompilerServices;
using Grpc.Core;

namespace AiGrpc.Client;

/// <summary>The bulk pattern of the bidirectional RPCs: write every request in the background while the
/// answers are read and yielded as they arrive, so neither side waits for the other to finish.</summary>
internal static class DuplexExchange
{
    /// <summary>
    /// Starts the call when enumeration starts (with the enumeration's token, so <c>WithCancellation</c> reaches
    /// the call), sends <paramref name="requests"/>, yields each response mapped, and disposes the call.
    /// </summary>
    public static async IAsyncEnumerable<TResult> RunAsync<TRequest, TResponse, TResult>(
        Func<CancellationToken, AsyncDuplexStreamingCall<TRequest, TResponse>> start, IEnumerable<TRequest> requests, Func<TResponse, TResult> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (var call = start(cancellationToken))
        {
            var writer = Task.Run(async () =>
            {
                foreach (var request in requests)
                {
                    await call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                }

                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            }, cancellationToken);

            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                yield return map(call.ResponseStream.Current);
            }

            await writer.ConfigureAwait(false);
        }
    }
}
