using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGrpc.Common;
using AiGrpc.Server.Errors;
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
/// Anything else (a word in a number field, an object where text goes) is left as it is, and answered here with a 400
/// INVALID_ARGUMENT naming each such field (<c>lines[2].amount</c>: transcoding's own 400 does not say which field);
/// JSON that does not parse is left for transcoding to refuse. The gRPC messages themselves stay idiomatic.
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
            var violations = await RewriteRequestAsync(context.Request, route.Request, context.RequestAborted);
            if (violations.Count > 0)
            {
                await ErrorResponses.WriteInvalidInputAsync(context.Response, new InvalidInputException(violations), context.RequestAborted);
                return;
            }
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

    private static async Task<IReadOnlyList<FieldViolation>> RewriteRequestAsync(HttpRequest request, MessageDescriptor message, CancellationToken cancellationToken)
    {
        IReadOnlyList<FieldViolation> violations = [];
        // Kestrel's MaxRequestBodySize still applies while reading: an oversized body throws its 413 here.
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        var bytes = copy.ToArray();
        try
        {
            if (Parse(bytes) is JsonObject body)
            {
                violations = Normalize(body, message);
                bytes = JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Strings are decoded lazily: invalid UTF-8 or a lone surrogate surfaces here, not in Parse. The body is
            // passed on as received, and transcoding refuses it with its 400.
            bytes = copy.ToArray();
            violations = [];
        }

        request.Body = new MemoryStream(bytes, writable: false);
        request.ContentLength = bytes.Length;
        return violations;
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

    /// <summary>
    /// Rewrites <paramref name="json"/> in place as the proto JSON of <paramref name="message"/>; returns the fields whose
    /// value cannot mean what the field declares (left unchanged), by their path in the body (<c>lines[2].amount</c>).
    /// </summary>
    internal static IReadOnlyList<FieldViolation> Normalize(JsonObject json, MessageDescriptor message)
    {
        var violations = new List<FieldViolation>();
        Normalize(json, message, string.Empty, violations);
        return violations;
    }

    private static void Normalize(JsonObject json, MessageDescriptor message, string path, List<FieldViolation> violations)
    {
        foreach (var (name, value) in json.ToList())
        {
            if (Field(message, name) is not { IsMap: false } field)
            {
                continue; // unknown keys are ignored by transcoding
            }

            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
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
                        var rewritten = Convert(item, field, string.Create(CultureInfo.InvariantCulture, $"{fieldPath}[{i}]"), violations, out _);
                        if (!ReferenceEquals(rewritten, item))
                        {
                            items[i] = rewritten;
                        }
                    }
                }
                else if (value is not null)
                {
                    violations.Add(new(fieldPath, "must be a list"));
                }

                continue;
            }

            var converted = Convert(value, field, fieldPath, violations, out var drop);
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

    private static JsonNode? Convert(JsonNode? node, FieldDescriptor field, string path, List<FieldViolation> violations, out bool drop)
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
                    Normalize(inner, field.MessageType, path, violations);
                }
                else if (node is JsonValue v && v.GetValueKind() == JsonValueKind.False)
                {
                    drop = true;
                }
                else if (node is not null)
                {
                    violations.Add(new(path, "must be an object"));
                }

                return node;
            }

            type = field.MessageType.FindFieldByNumber(1).FieldType; // the wrapped value
        }

        var scalar = type switch
        {
            FieldType.String => "must be text",
            FieldType.Double or FieldType.Float => "must be a number",
            FieldType.Int32 or FieldType.Int64 or FieldType.UInt32 or FieldType.UInt64 or FieldType.SInt32 or FieldType.SInt64
                or FieldType.Fixed32 or FieldType.Fixed64 or FieldType.SFixed32 or FieldType.SFixed64 => "must be a whole number",
            _ => null, // bool, enum, bytes: left to transcoding
        };
        if (node is not JsonValue value)
        {
            if (node is not null && scalar is not null)
            {
                violations.Add(new(path, scalar)); // an object or a list where a value goes
            }

            return node;
        }

        var kind = value.GetValueKind();
        if (kind == JsonValueKind.False && type != FieldType.Bool)
        {
            drop = true;
            return node;
        }

        if (kind == JsonValueKind.True && scalar is not null)
        {
            violations.Add(new(path, scalar));
            return node;
        }

        return type switch
        {
            FieldType.String when kind == JsonValueKind.Number => JsonValue.Create(value.ToJsonString()),
            FieldType.Double or FieldType.Float when kind == JsonValueKind.String => Number(value.GetValue<string>(), integral: false, node, path, violations, out drop),
            FieldType.Int32 or FieldType.Int64 or FieldType.UInt32 or FieldType.UInt64 or FieldType.SInt32 or FieldType.SInt64
                or FieldType.Fixed32 or FieldType.Fixed64 or FieldType.SFixed32 or FieldType.SFixed64 => kind switch
                {
                    JsonValueKind.String => Number(value.GetValue<string>(), integral: true, node, path, violations, out drop),
                    JsonValueKind.Number when value.TryGetValue<long>(out _) => node,
                    JsonValueKind.Number when value.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 => JsonValue.Create((long)d),
                    JsonValueKind.Number => Refuse(node, path, scalar!, violations),
                    _ => node,
                },
            _ => node,
        };
    }

    private static JsonNode? Refuse(JsonNode? node, string path, string description, List<FieldViolation> violations)
    {
        violations.Add(new(path, description));
        return node;
    }

    /// <summary>
    /// Numeric text as a JSON number; blank text is absent; other text is reported (proto JSON's own "NaN",
    /// "Infinity" and "-Infinity" of a floating-point field are left for transcoding).
    /// </summary>
    private static JsonNode? Number(string text, bool integral, JsonNode? original, string path, List<FieldViolation> violations, out bool drop)
    {
        drop = string.IsNullOrWhiteSpace(text);
        if (drop)
        {
            return original;
        }

        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            return integral || text is not ("NaN" or "Infinity" or "-Infinity") ? Refuse(original, path, integral ? "must be a whole number" : "must be a number", violations) : original;
        }

        return integral
            ? number == decimal.Floor(number) && Math.Abs(number) < 9e15m ? JsonValue.Create((long)number) : Refuse(original, path, "must be a whole number", violations)
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
