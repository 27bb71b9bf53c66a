using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGrpc.TestKit;

/// <summary>One request the fake received.</summary>
/// <param name="Authorization">The <c>Authorization</c> header.</param>
/// <param name="ApiKey">The <c>x-api-key</c> header.</param>
/// <param name="AnthropicVersion">The <c>anthropic-version</c> header.</param>
/// <param name="Body">The JSON body.</param>
public sealed record FakeAnthropicRequest(string? Authorization, string? ApiKey, string? AnthropicVersion, string Body)
{
    /// <summary>The body parsed.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>What the fake answers to one request.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Text">Text of the assistant's answer (200 only).</param>
/// <param name="Delay">Delay before answering.</param>
/// <param name="RetryAfter">Value of a <c>retry-after</c> header, if any.</param>
/// <param name="InputTokens">Reported input tokens.</param>
/// <param name="OutputTokens">Reported output tokens.</param>
public sealed record FakeAnthropicReply(int Status, string? Text, TimeSpan Delay, string? RetryAfter, long InputTokens, long OutputTokens)
{
    /// <summary>A 200 Messages API answer whose text is <paramref name="text"/>.</summary>
    public static FakeAnthropicReply Answer(string text, long inputTokens = 1000, long outputTokens = 50) =>
        new(200, text, TimeSpan.Zero, null, inputTokens, outputTokens);

    /// <summary>A 200 answer with the strict JSON a well-behaved model gives.</summary>
    public static FakeAnthropicReply Choose(int? projectId, double confidence = 0.9, string reasoning = "Coincide el código del proyecto.", long inputTokens = 1000, long outputTokens = 50) =>
        Answer(JsonSerializer.Serialize(new Dictionary<string, object?> { ["project_id"] = projectId, ["confidence"] = confidence, ["reasoning"] = reasoning }), inputTokens, outputTokens);

    /// <summary>An API error (429, 500, 529 ...) with the Messages API error body.</summary>
    public static FakeAnthropicReply Error(int status, string? retryAfter = null) => new(status, null, TimeSpan.Zero, retryAfter, 0, 0);

    /// <summary>This reply, after <paramref name="delay"/>.</summary>
    public FakeAnthropicReply After(TimeSpan delay) => this with { Delay = delay };
}

/// <summary>
/// A fake Anthropic Messages API on 127.0.0.1 (ephemeral port) for tests that drive the real SDK:
/// <c>POST /v1/messages</c> answers the scripted replies in order, then <see cref="DefaultReply"/>,
/// and records every request (headers of interest and body).
/// </summary>
public sealed class FakeAnthropicServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeAnthropicReply> _script = new();
    private readonly ConcurrentQueue<FakeAnthropicRequest> _requests = new();
    private int _count;

    private FakeAnthropicServer(WebApplication app) => _app = app;

    /// <summary>Base URL (<c>http://127.0.0.1:port</c>) to give the SDK.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Reply once the script is used up.</summary>
    public FakeAnthropicReply DefaultReply { get; set; } = FakeAnthropicReply.Error(500);

    /// <summary>Requests received so far (including ones still being answered).</summary>
    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>Requests received so far.</summary>
    public IReadOnlyList<FakeAnthropicRequest> Requests => [.. _requests];

    /// <summary>Starts the server.</summary>
    public static async Task<FakeAnthropicServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeAnthropicServer(app);
        app.MapPost("/v1/messages", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>Queues replies for the next requests, in order.</summary>
    public void Enqueue(params FakeAnthropicReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _count);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers;
        _requests.Enqueue(new FakeAnthropicRequest(headers.Authorization.ToString(), headers["x-api-key"].ToString(), headers["anthropic-version"].ToString(), body));
        var reply = _script.TryDequeue(out var next) ? next : DefaultReply;
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The client gave up.
            }
        }

        var model = JsonDocument.Parse(body).RootElement.TryGetProperty("model", out var m) ? m.GetString() : "unknown";
        context.Response.StatusCode = reply.Status;
        context.Response.Headers["request-id"] = "req_fake_" + Guid.NewGuid().ToString("N");
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        object payload = reply.Status == 200
            ? new Dictionary<string, object?>
            {
                ["id"] = "msg_fake_" + Guid.NewGuid().ToString("N"),
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new[] { new Dictionary<string, object?> { ["type"] = "text", ["text"] = reply.Text } },
                ["stop_reason"] = "end_turn",
                ["stop_sequence"] = null,
                ["usage"] = new Dictionary<string, object?> { ["input_tokens"] = reply.InputTokens, ["output_tokens"] = reply.OutputTokens },
            }
            : new Dictionary<string, object?>
            {
                ["type"] = "error",
                ["error"] = new Dictionary<string, object?> { ["type"] = ErrorType(reply.Status), ["message"] = "fake error " + reply.Status },
            };
        await context.Response.WriteAsJsonAsync(payload, context.RequestAborted);
    }

    private static string ErrorType(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    };
}
