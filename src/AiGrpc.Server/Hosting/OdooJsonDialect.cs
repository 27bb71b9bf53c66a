using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Options;

namespace AiGrpc.Server.Hosting;

/// <summary>The legacy REST routes that speak Odoo's JSON dialect, with the messages their bodies map to.</summary>
public sealed class OdooJsonOptions
{
    /// <summary>Route path → request and response message of the RPC it is transcoded to.</summary>
    public Dictionary<string, (MessageDescriptor Request, MessageDescriptor Response)> Routes { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The JSON Odoo writes, read as the proto JSON that transcoding expects, and answered the way the old service did.
/// Odoo writes <c>false</c> for an empty field of any type, numbers as text ("33") where its fields are char, and
/// text-looking values as numbers; proto JSON refuses all three with a 400, which the module reads as "could not
/// check". The old service answered "no value" as an explicit <c>null</c>, which transcoding omits. So, on the routes
/// the module calls, and guided by each field's declared type:
/// <list type="bullet">
/// <item><c>false</c> on a field that is not a bool is dropped (absent);</item>
/// <item>numeric text on a number field becomes the number, a number on a text field becomes its text;</item>
/// <item>in a 200 answer, every wrapper field (<c>google.protobuf.Int32Value</c>, ...) that is unset is written as <c>null</c>.</item>
/// </list>
/// Anything else (a word in a number field, an object where text goes, JSON that does not parse) is left as it is,
/// for transcoding to refuse with its 400. The gRPC messages themselves stay idiomatic.
/// </summary>
public sealed class OdooJsonDialect(RequestDelegate next, IOptions<OdooJsonOptions> options)
{
    private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal)
    {
        "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
        "google.protobuf.Int32Value", "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue",
    };

    private static readonly HashSet<string> FreeForm = new(StringComparer.Ordinal)
    {
        "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue", "google.protobuf.Any",
    };

    /// <summary>Rewrites the request and response of the registered routes; passes every other request through.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || !options.Value.Routes.TryGetValue(context.Request.Path.Value ?? string.Empty, out var route))
        {
            await next(context);
            return;
        }

        if (IsJson(context.Request.ContentType))
        {
            await RewriteRequestAsync(context.Request, route.Request, context.RequestAborted);
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (context.Response.StatusCode == StatusCodes.Status200OK && IsJson(context.Response.ContentType) && Parse(body) is JsonObject answer)
        {
            AddNulls(answer, route.Response);
            body = JsonSerializer.SerializeToUtf8Bytes(answer, JsonOptions);
        }

        context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task RewriteRequestAsync(HttpRequest request, MessageDescriptor message, CancellationToken cancellationToken)
    {
        // Kestrel's MaxRequestBodySize still applies while reading: an oversized body throws its 413 here.
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        var bytes = copy.ToArray();
        try
        {
            if (Parse(bytes) is JsonObject body)
            {
                Normalize(body, message);
                bytes = JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Strings are decoded lazily: invalid UTF-8 or a lone surrogate surfaces here, not in Parse. The body is
            // passed on as received, and transcoding refuses it with its 400.
            bytes = copy.ToArray();
        }

        request.Body = new MemoryStream(bytes, writable: false);
        request.ContentLength = bytes.Length;
    }

    private static JsonNode? Parse(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null; // not JSON: transcoding answers it with its own 400
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is null || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Rewrites <paramref name="json"/> in place as the proto JSON of <paramref name="message"/>.</summary>
    internal static void Normalize(JsonObject json, MessageDescriptor message)
    {
        foreach (var (name, value) in json.ToList())
        {
            if (Field(message, name) is not { IsMap: false } field)
            {
                continue; // unknown keys are ignored by transcoding
            }

            if (field.IsRepeated)
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.False)
                {
                    json.Remove(name); // Odoo's empty one2many
                }
                else if (value is JsonArray items)
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        var item = items[i];
                        var rewritten = Convert(item, field, out _);
                        if (!ReferenceEquals(rewritten, item))
                        {
                            items[i] = rewritten;
                        }
                    }
                }

                continue;
            }

            var converted = Convert(value, field, out var drop);
            if (drop)
            {
                json.Remove(name);
            }
            else if (!ReferenceEquals(converted, value))
            {
                json[name] = converted;
            }
        }
    }

    private static JsonNode? Convert(JsonNode? node, FieldDescriptor field, out bool drop)
    {
        drop = false;
        var type = field.FieldType;
        if (type == FieldType.Message)
        {
            var name = field.MessageType.FullName;
            if (FreeForm.Contains(name))
            {
                return node;
            }

            if (!Wrappers.Contains(name))
            {
                if (node is JsonObject inner)
                {
                    Normalize(inner, field.MessageType);
                }
                else if (node is JsonValue v && v.GetValueKind() == JsonValueKind.False)
                {
                    drop = true;
                }

                return node;
            }

            type = field.MessageType.FindFieldByNumber(1).FieldType; // the wrapped value
        }

        if (node is not JsonValue value)
        {
            return node;
        }

        var kind = value.GetValueKind();
        if (kind == JsonValueKind.False && type != FieldType.Bool)
        {
            drop = true;
            return node;
        }

        return type switch
        {
            FieldType.String when kind == JsonValueKind.Number => JsonValue.Create(value.ToJsonString()),
            FieldType.Double or FieldType.Float when kind == JsonValueKind.String => Number(value.GetValue<string>(), integral: false, node, out drop),
            FieldType.Int32 or FieldType.Int64 or FieldType.UInt32 or FieldType.UInt64 or FieldType.SInt32 or FieldType.SInt64
                or FieldType.Fixed32 or FieldType.Fixed64 or FieldType.SFixed32 or FieldType.SFixed64 => kind switch
                {
                    JsonValueKind.String => Number(value.GetValue<string>(), integral: true, node, out drop),
                    JsonValueKind.Number when value.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 && !value.TryGetValue<long>(out _) => JsonValue.Create((long)d),
                    _ => node,
                },
            _ => node,
        };
    }

    /// <summary>Numeric text as a JSON number; blank text is absent; other text is left for transcoding to refuse.</summary>
    private static JsonNode? Number(string text, bool integral, JsonNode? original, out bool drop)
    {
        drop = string.IsNullOrWhiteSpace(text);
        if (drop || !decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            return original;
        }

        return integral
            ? number == decimal.Floor(number) && Math.Abs(number) < 9e15m ? JsonValue.Create((long)number) : original
            : JsonValue.Create(number);
    }

    /// <summary>Writes every unset wrapper field of <paramref name="message"/> as <c>null</c>, as the old service did.</summary>
    internal static void AddNulls(JsonObject json, MessageDescriptor message)
    {
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (field.FieldType != FieldType.Message || field.IsRepeated)
            {
                continue;
            }

            if (Wrappers.Contains(field.MessageType.FullName))
            {
                if (!json.ContainsKey(field.JsonName) && !json.ContainsKey(field.Name))
                {
                    json[field.JsonName] = null;
                }
            }
            else if (json[field.JsonName] is JsonObject inner && !FreeForm.Contains(field.MessageType.FullName))
            {
                AddNulls(inner, field.MessageType);
            }
        }
    }

    private static FieldDescriptor? Field(MessageDescriptor message, string name) =>
        message.FindFieldByName(name) ?? message.Fields.InDeclarationOrder().FirstOrDefault(f => string.Equals(f.JsonName, name, StringComparison.Ordinal));
}

/// <summary>Registration of <see cref="OdooJsonDialect"/> and of the routes each capability serves to the module.</summary>
public static class OdooJsonDialectExtensions
{
    /// <summary>Declares <paramref name="path"/> a legacy route in Odoo's dialect, transcoded to these messages.</summary>
    public static IServiceCollection AddOdooJsonRoute(this IServiceCollection services, string path, MessageDescriptor request, MessageDescriptor response) =>
        services.Configure<OdooJsonOptions>(o => o.Routes[path] = (request, response));

    /// <summary>Rewrites the registered legacy routes' bodies (after authentication and rate limits, so that
    /// refused calls are not read).</summary>
    public static IApplicationBuilder UseOdooJsonDialect(this IApplicationBuilder app) => app.UseMiddleware<OdooJsonDialect>();
}
