using AiGrpc.Server.Errors;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Hosting;

/// <summary>gRPC, JSON transcoding, reflection and the error mapping shared by every capability.</summary>
public static class GrpcPlatformExtensions
{
    /// <summary>Registers gRPC with JSON transcoding, server reflection and <see cref="ErrorMappingInterceptor"/>.</summary>
    public static IServiceCollection AddGrpcPlatform(this IServiceCollection services)
    {
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.EnableDetailedErrors = false;
        }).AddJsonTranscoding(o =>
        {
            // Error details (google.rpc.BadRequest, RequestInfo) are packed in Any: REST needs their
            // descriptors to write them, or a 400 becomes a 500.
            o.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(
                Google.Rpc.BadRequest.Descriptor, Google.Rpc.RequestInfo.Descriptor);
        });
        services.AddSingleton<IConfigureOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>, ConfigureMessageLimits>();
        services.AddGrpcReflection();
        return services;
    }

    /// <summary>Maps server reflection (authenticated, like every RPC but health).</summary>
    public static WebApplication MapGrpcPlatform(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcReflectionService();
        return app;
    }

    private sealed class ConfigureMessageLimits(IOptions<ServerOptions> server) : IConfigureOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>
    {
        public void Configure(Grpc.AspNetCore.Server.GrpcServiceOptions options) =>
            options.MaxReceiveMessageSize = server.Value.MaxRequestBytes;
    }
}
