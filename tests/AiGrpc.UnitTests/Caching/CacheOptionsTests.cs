using AiGrpc.Server.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiGrpc.UnitTests.Caching;

public class CacheOptionsTests
{
    [Fact]
    public void Defaults()
    {
        var options = new CacheOptions();
        Assert.False(options.IsRedisConfigured);
        Assert.Equal(TimeSpan.FromHours(1), options.Ttl);
        Assert.Equal("aigrpc:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OperationTimeout);
    }

    [Fact]
    public void Invalid_values_are_rejected_on_start()
    {
        using var services = CacheServices.Build(redis: null, operationTimeoutMs: 0);
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CacheOptions>>().Value);
        Assert.Contains(nameof(CacheOptions.OperationTimeoutMs), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Abort_connect_is_always_off_and_commands_fail_fast_while_disconnected()
    {
        var configuration = RedisConnection.BuildConfiguration(new CacheOptions { Redis = "127.0.0.1:1,abortConnect=true" });
        Assert.False(configuration.AbortOnConnectFail);
        Assert.Equal(StackExchange.Redis.BacklogPolicy.FailFast, configuration.BacklogPolicy);
    }
}
