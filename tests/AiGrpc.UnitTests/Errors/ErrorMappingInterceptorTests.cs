using AiGrpc.Common;
using AiGrpc.Server.Errors;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiGrpc.UnitTests.Errors;

public class ErrorMappingInterceptorTests
{
    private readonly ErrorMappingInterceptor _interceptor = new(NullLogger<ErrorMappingInterceptor>.Instance);

    [Fact]
    public async Task Invalid_input_becomes_INVALID_ARGUMENT_with_every_field_violation()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "req", new FakeCallContext(), (_, _) => throw new InvalidInputException(
                [new FieldViolation("projects[1].id", "duplicate id 7"), new FieldViolation("amount", "must not be negative")])));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(["projects[1].id", "amount"], badRequest.FieldViolations.Select(v => v.Field));
        Assert.Contains("2 invalid fields", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unexpected_failure_becomes_INTERNAL_without_the_exception_text()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "req", new FakeCallContext(), (_, _) => throw new InvalidOperationException("connection string=secret")));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain("secret", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("trace id", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_CANCELLED_and_a_passed_deadline_DEADLINE_EXCEEDED()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var cancelled = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "req", new FakeCallContext(DateTime.MaxValue, cts.Token), (_, c) => throw new OperationCanceledException(c.CancellationToken)));
        Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);

        var expired = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "req", new FakeCallContext(DateTime.UtcNow.AddSeconds(-1), cts.Token), (_, c) => throw new OperationCanceledException(c.CancellationToken)));
        Assert.Equal(StatusCode.DeadlineExceeded, expired.StatusCode);
    }

    [Fact]
    public async Task RpcExceptions_pass_through_unchanged()
    {
        var original = new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "nope"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "req", new FakeCallContext(), (_, _) => throw original));
        Assert.Same(original, ex);
    }

    private sealed class FakeCallContext(DateTime? deadline = null, CancellationToken token = default) : ServerCallContext
    {
        protected override string MethodCore => "/test.v1.TestService/Do";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => deadline ?? DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => token;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Grpc.Core.Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore { get; } = new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
