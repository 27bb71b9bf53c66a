using AiGrpc.Analytics.V1;
using Grpc.Core;

namespace AiGrpc.Server.Analytics;

/// <summary>
/// Binds <see cref="AnalyticsGrpcService"/> as the generated code does, except that MatchInvoice's requests are parsed
/// by <see cref="ContextParseCache"/>. Found by grpc-dotnet through the <see cref="BindServiceMethodAttribute"/> on the
/// service class (the most derived one wins); JSON transcoding reads the service's routes from <see cref="Descriptor"/>
/// and parses REST bodies itself, so it is unaffected.
/// </summary>
public static class AnalyticsServiceBinding
{
    /// <summary>The service's descriptor, where JSON transcoding looks for it (on the type declaring the bind method).</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => AnalyticsService.Descriptor;

    /// <summary>Adds the service's methods to <paramref name="binder"/>. The service parameter is typed as the generated base
    /// class: grpc-dotnet finds each handler as the override of a method that class declares.</summary>
    public static void BindService(ServiceBinderBase binder, AnalyticsService.AnalyticsServiceBase? service) =>
        AnalyticsService.BindService(new Binder(binder), service);

    /// <summary>Passes every method through, MatchInvoice with the caching request marshaller.</summary>
    private sealed class Binder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            if (method is Method<MatchInvoiceRequest, MatchInvoiceResponse> match)
            {
                var replaced = new Method<MatchInvoiceRequest, MatchInvoiceResponse>(
                    match.Type, match.ServiceName, match.Name, ContextParseCache.Marshaller(match.RequestMarshaller), match.ResponseMarshaller);
                inner.AddMethod((Method<TRequest, TResponse>)(object)replaced, handler);
                return;
            }

            inner.AddMethod(method, handler);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);
    }
}
