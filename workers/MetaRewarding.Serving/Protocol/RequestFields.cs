using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaRewarding.Serving.Protocol;

/// <summary>
/// Typed reads of a request body's fields, each failure an <see cref="OpenAiError"/> naming the field, what it must
/// be and what came. An unknown field is refused (a misspelt <c>max_token</c> would otherwise be ignored silently).
/// </summary>
internal sealed class RequestFields
{
    private readonly JsonObject body;

    private RequestFields(JsonObject body) => this.body = body;

    /// <summary>Parses <paramref name="json"/> as an object whose fields are all in <paramref name="known"/>.</summary>
    public static RequestFields Parse(string json, IReadOnlyCollection<string> known, string endpoint)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OpenAiError(400, $"the body of {endpoint} is not valid JSON ({e.Message}); send a JSON object such as {{\"prompt\": \"...\", \"max_tokens\": 16}}.");
        }

        if (node is not JsonObject body)
        {
            throw new OpenAiError(400, $"the body of {endpoint} must be a JSON object, got {Describe(node)}.");
        }

        foreach (var (name, _) in body)
        {
            if (!known.Contains(name))
            {
                throw OpenAiError.BadParameter(name, $"unrecognized request argument '{name}' for {endpoint}; supported: {string.Join(", ", known)}.");
            }
        }

        return new RequestFields(body);
    }

    public JsonNode? this[string name] => body[name];

    public bool Has(string name) => body[name] is not null;

    public string? String(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => throw Wrong(name, "a string", other),
    };

    public long? Integer(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        var other => throw Wrong(name, "an integer", other),
    };

    public double? Number(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        var other => throw Wrong(name, "a number", other),
    };

    public bool? Boolean(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        var other => throw Wrong(name, "true or false", other),
    };

    /// <summary>An integer field within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int IntegerIn(string name, int min, int max, int fallback)
    {
        var value = Integer(name) ?? fallback;
        return value >= min && value <= max
            ? (int)value
            : throw OpenAiError.BadParameter(name, $"{name} must be an integer in [{min}, {max}], got {value}.");
    }

    public static OpenAiError Wrong(string name, string expected, JsonNode? got) =>
        OpenAiError.BadParameter(name, $"{name} must be {expected}, got {Describe(got)}.");

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the string {v.ToJsonString()}",
        _ => node.ToJsonString(),
    };
}
