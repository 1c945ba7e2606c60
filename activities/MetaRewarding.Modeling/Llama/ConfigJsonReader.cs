using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaRewarding.Modeling.Llama;

/// <summary>Typed reads from a Hugging Face JSON config with errors that name the file and the key.</summary>
internal sealed class ConfigJsonReader(JsonObject json, string source)
{
    public int RequiredInt(string key) =>
        OptionalInt(key) ?? throw new InvalidDataException($"{source}: required key '{key}' is missing.");

    public int? OptionalInt(string key) => Read(key, node => AsInt(node) ?? throw Wrong(key, "an integer", node));

    public double? OptionalDouble(string key) => Read(key, node => node.GetValueKind() == JsonValueKind.Number
        ? Number(node) : throw Wrong(key, "a number", node));

    public bool? OptionalBool(string key) => Read(key, node => node.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Wrong(key, "true or false", node),
    });

    public string? OptionalString(string key) => json[key] is { } node
        ? (node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw Wrong(key, "a string", node))
        : null;

    /// <summary><c>eos_token_id</c> is an int in most checkpoints and a list in Llama 3.1+.</summary>
    public IReadOnlyList<int> IntOrIntList(string key)
    {
        var node = json[key];
        return node switch
        {
            null => [],
            JsonArray array => array.Select(item => (item is null ? null : AsInt(item)) ?? throw Wrong(key, "a list of integers", node)).ToList(),
            _ when AsInt(node) is { } single => [single],
            _ => throw Wrong(key, "an integer or a list of integers", node),
        };
    }

    /// <summary>
    /// Rope settings in either spelling: transformers 5 writes <c>rope_parameters</c> (with rope_theta inside);
    /// older checkpoints have <c>rope_theta</c> plus an optional <c>rope_scaling</c> (type key <c>rope_type</c> or <c>type</c>).
    /// </summary>
    public (double Theta, RopeScaling? Scaling) ReadRope()
    {
        var parameters = json["rope_parameters"] as JsonObject;
        var scalingJson = parameters ?? json["rope_scaling"] as JsonObject;
        var theta = (parameters is not null ? new ConfigJsonReader(parameters, source).OptionalDouble("rope_theta") : null)
            ?? OptionalDouble("rope_theta") ?? 10000.0;
        if (scalingJson is null)
        {
            return (theta, null);
        }
        var scaling = new ConfigJsonReader(scalingJson, source + " (rope settings)");
        var type = scaling.OptionalString("rope_type") ?? scaling.OptionalString("type") ?? RopeScaling.DefaultType;
        if (type is not (RopeScaling.DefaultType or RopeScaling.Llama3Type))
        {
            throw new InvalidDataException(
                $"{source}: rope type '{type}' is not supported; supported: '{RopeScaling.DefaultType}', '{RopeScaling.Llama3Type}'.");
        }
        return (theta, new RopeScaling
        {
            RopeType = type,
            Factor = scaling.OptionalDouble("factor") ?? 1.0,
            LowFreqFactor = scaling.OptionalDouble("low_freq_factor") ?? 1.0,
            HighFreqFactor = scaling.OptionalDouble("high_freq_factor") ?? 4.0,
            OriginalMaxPositionEmbeddings = scaling.OptionalInt("original_max_position_embeddings") ?? 8192,
        });
    }

    /// <summary>The number a node holds, whether it was parsed from text or built in code (int, long, double).</summary>
    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static int? AsInt(JsonNode node)
    {
        if (node.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }
        var value = Number(node);
        return value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;
    }

    private T? Read<T>(string key, Func<JsonNode, T> convert) where T : struct =>
        json[key] is { } node ? convert(node) : null;

    private InvalidDataException Wrong(string key, string expected, JsonNode node) =>
        new($"{source}: '{key}' must be {expected}, got {node.ToJsonString()}.");
}
