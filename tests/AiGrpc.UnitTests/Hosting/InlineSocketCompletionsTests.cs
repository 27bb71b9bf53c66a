using AiGrpc.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace AiGrpc.UnitTests.Hosting;

/// <summary>
/// <see cref="ServerOptions.InlineSocketCompletions"/>: the runtime switch is set at start when turned on, unless it is
/// set explicitly; off by default. The tests share one process-wide variable, so they run one at a time and put it back.
/// </summary>
[Collection(nameof(InlineSocketCompletionsTests))]
[CollectionDefinition(nameof(InlineSocketCompletionsTests), DisableParallelization = true)]
public class InlineSocketCompletionsTests
{
    private const string Variable = HostingExtensions.InlineSocketCompletionsVariable;

    private static string? AfterStart(string? before, string? configured)
    {
        var saved = Environment.GetEnvironmentVariable(Variable);
        try
        {
            Environment.SetEnvironmentVariable(Variable, before);
            var builder = WebApplication.CreateBuilder();
            if (configured is not null)
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Server:InlineSocketCompletions"] = configured });
            }

            builder.AddServerEndpoints();
            return Environment.GetEnvironmentVariable(Variable);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, saved);
        }
    }

    [Fact]
    public void Left_unset_by_default() => Assert.Null(AfterStart(before: null, configured: null));

    [Fact]
    public void Set_when_turned_on() => Assert.Equal("1", AfterStart(before: null, configured: "true"));

    [Fact]
    public void Left_unset_when_turned_off() => Assert.Null(AfterStart(before: null, configured: "false"));

    [Fact]
    public void An_explicit_environment_variable_wins() => Assert.Equal("0", AfterStart(before: "0", configured: "true"));
}
