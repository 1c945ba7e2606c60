using System.Text.Json;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// Helpers for the hand-written converters of the two big record types (judgments, meta-judgments): a flat JSON
/// object whose fields are strings. Reading it directly with <see cref="Utf8JsonReader"/> is ~40% faster than the
/// generic deserializer, and reading these files is most of the cost of building an iteration's pairs.
/// </summary>
internal static class FlatRecordReader
{
    public static void ExpectObject(ref Utf8JsonReader reader, string typeName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a {typeName} object, got {reader.TokenType}");
        }
    }

    /// <summary>Reads the string value of the current property; anything else (null included) is an error naming the field.</summary>
    public static string ReadString(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"'{field}' must be a string, got {Describe(reader.TokenType)}");
        }

        return reader.GetString()!;
    }

    /// <summary>Reads the string value of the current property, or null for a JSON null; anything else is an error naming the field.</summary>
    public static string? ReadOptionalString(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"'{field}' must be a string, got {Describe(reader.TokenType)}"),
        };
    }

    /// <summary>Skips the value of a property the record does not know (producers may add metadata).</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    public static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw new JsonException($"missing required field '{field}'");

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };
}
