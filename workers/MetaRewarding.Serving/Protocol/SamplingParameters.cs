using System.Text.Json.Nodes;

namespace MetaRewarding.Serving.Protocol;

/// <summary>
/// The sampling fields both endpoints share, read and checked: <c>model</c>, <c>n</c>, <c>seed</c>, <c>stop</c>,
/// <c>max_tokens</c>, <c>temperature</c> (0 = greedy), <c>top_p</c>, vLLM's <c>top_k</c> and <c>return_token_ids</c>.
/// Fields the protocol has but the engine does not implement are accepted only at their neutral value, and refused
/// otherwise with a 400 that says so (never silently ignored).
/// </summary>
internal sealed record SamplingParameters
{
    /// <summary>OpenAI's limit on stop sequences.</summary>
    public const int MaxStops = 4;

    /// <summary>Most choices per request: a guard against a typo, not an engine limit.</summary>
    public const int MaxChoices = 128;

    /// <summary>The fields every endpoint accepts.</summary>
    public static readonly string[] Fields =
    [
        "model", "n", "seed", "stop", "max_tokens", "temperature", "top_p", "top_k", "stream", "stream_options", "user",
        "logprobs", "presence_penalty", "frequency_penalty", "return_token_ids",
    ];

    public string? Model { get; init; }

    public int N { get; init; } = 1;

    /// <summary>Choice c of the request samples with seed + c; null: a fresh random seed per choice.</summary>
    public long? Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Null: the endpoint's default (16 for completions, the rest of the context for chat, as vLLM does).</summary>
    public int? MaxTokens { get; init; }

    public double Temperature { get; init; } = 1;

    public double TopP { get; init; } = 1;

    public int TopK { get; init; }

    public bool Stream { get; init; }

    /// <summary>With <see cref="Stream"/>: end the stream with a chunk carrying <c>usage</c> (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>Add each choice's completion token ids (vLLM's extension; always on for a model without a tokenizer).</summary>
    public bool ReturnTokenIds { get; init; }

    public static SamplingParameters Read(RequestFields fields, string maxTokensField = "max_tokens")
    {
        ArgumentNullException.ThrowIfNull(fields);
        RefuseUnlessNeutral(fields, "logprobs", v => v is null || (v is JsonValue b && b.TryGetValue<bool>(out var on) && !on), "log-probabilities are not returned by this server");
        RefuseUnlessNeutral(fields, "presence_penalty", IsZero, "the engine has no presence penalty");
        RefuseUnlessNeutral(fields, "frequency_penalty", IsZero, "the engine has no frequency penalty");
        fields.String("user");
        var temperature = fields.Number("temperature") ?? 1;
        if (!(temperature >= 0 && temperature <= 2))
        {
            throw OpenAiError.BadParameter("temperature", $"temperature must be in [0, 2] (0 = greedy), got {temperature}.");
        }

        var topP = fields.Number("top_p") ?? 1;
        if (!(topP > 0 && topP <= 1))
        {
            throw OpenAiError.BadParameter("top_p", $"top_p must be in (0, 1], got {topP}.");
        }

        var topK = fields.Integer("top_k") ?? 0;
        if (topK < -1 || topK > int.MaxValue)
        {
            throw OpenAiError.BadParameter("top_k", $"top_k must be -1 or 0 (off) or a positive integer, got {topK}.");
        }

        long? maxTokens = fields.Integer(maxTokensField);
        if (maxTokens is < 1 or > int.MaxValue)
        {
            throw OpenAiError.BadParameter(maxTokensField, $"{maxTokensField} must be a positive integer, got {maxTokens}.");
        }

        return new SamplingParameters
        {
            Model = fields.String("model"),
            N = fields.IntegerIn("n", 1, MaxChoices, 1),
            Seed = fields.Integer("seed"),
            Stop = ReadStop(fields),
            MaxTokens = (int?)maxTokens,
            Temperature = temperature,
            TopP = topP,
            TopK = (int)Math.Max(topK, 0),
            Stream = fields.Boolean("stream") ?? false,
            IncludeUsage = ReadIncludeUsage(fields),
            ReturnTokenIds = fields.Boolean("return_token_ids") ?? false,
        };
    }

    /// <summary>Refuses <paramref name="name"/> unless absent or <paramref name="neutral"/>.</summary>
    public static void RefuseUnlessNeutral(RequestFields fields, string name, Func<JsonNode?, bool> neutral, string why)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Has(name) && !neutral(fields[name]))
        {
            throw OpenAiError.BadParameter(name, $"{name} {RequestFields.Describe(fields[name])} is not supported ({why}); leave it out.");
        }
    }

    private static bool ReadIncludeUsage(RequestFields fields) => fields["stream_options"] switch
    {
        null => false,
        JsonObject { Count: 1 } options when options["include_usage"] is JsonValue v && v.TryGetValue<bool>(out var include) => include,
        JsonObject { Count: 0 } => false,
        var other => throw RequestFields.Wrong("stream_options", "an object {\"include_usage\": true|false}", other),
    };

    private static bool IsZero(JsonNode? value) => value is JsonValue v && v.TryGetValue<double>(out var d) && d == 0;

    private static string[] ReadStop(RequestFields fields)
    {
        string[] stops = fields["stop"] switch
        {
            null => [],
            JsonValue v when v.TryGetValue<string>(out var one) => [one],
            JsonArray list when list.All(e => e is JsonValue s && s.TryGetValue<string>(out _)) => [.. list.Select(e => e!.GetValue<string>())],
            var other => throw RequestFields.Wrong("stop", "a string or an array of strings", other),
        };
        if (stops.Length > MaxStops || stops.Any(string.IsNullOrEmpty))
        {
            throw OpenAiError.BadParameter("stop", $"stop must hold at most {MaxStops} non-empty strings, got {stops.Length}{(stops.Any(string.IsNullOrEmpty) ? " with an empty one" : "")}.");
        }

        return stops;
    }
}
