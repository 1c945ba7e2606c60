using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// The shape of a Llama-architecture model, read from (and written to) a Hugging Face <c>config.json</c>.
/// Names follow transformers' <c>LlamaConfig</c>; defaults are transformers' defaults.
/// </summary>
public sealed record LlamaConfig
{
    public const string ArchitectureName = "LlamaForCausalLM";

    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }

    /// <summary>Key/value heads: equal to <see cref="NumAttentionHeads"/> (MHA), fewer (GQA) or 1 (MQA).</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Per-head width; Hugging Face defaults it to hidden_size / num_attention_heads.</summary>
    public required int HeadDim { get; init; }

    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first inconsistent field.</summary>
    public void Validate(string source = "config")
    {
        static void Require(bool ok, string source, string message)
        {
            if (!ok)
            {
                throw new InvalidDataException($"{source}: {message}");
            }
        }
        Require(VocabSize > 0, source, $"vocab_size must be positive, got {VocabSize}.");
        Require(HiddenSize > 0, source, $"hidden_size must be positive, got {HiddenSize}.");
        Require(IntermediateSize > 0, source, $"intermediate_size must be positive, got {IntermediateSize}.");
        Require(NumHiddenLayers > 0, source, $"num_hidden_layers must be positive, got {NumHiddenLayers}.");
        Require(NumAttentionHeads > 0, source, $"num_attention_heads must be positive, got {NumAttentionHeads}.");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0, source,
            $"num_key_value_heads ({NumKeyValueHeads}) must divide num_attention_heads ({NumAttentionHeads}).");
        Require(HeadDim > 0 && HeadDim % 2 == 0, source, $"head_dim must be a positive even number (rotary pairs), got {HeadDim}.");
        Require(RmsNormEps > 0, source, $"rms_norm_eps must be positive, got {RmsNormEps}.");
        Require(RopeTheta > 0, source, $"rope_theta must be positive, got {RopeTheta}.");
        if (RopeScaling is { } scaling)
        {
            Require(scaling.RopeType is RopeScaling.DefaultType or RopeScaling.Llama3Type, source,
                $"rope type '{scaling.RopeType}' is not supported; supported: '{RopeScaling.DefaultType}', '{RopeScaling.Llama3Type}'.");
            if (scaling.RopeType == RopeScaling.Llama3Type)
            {
                Require(scaling.Factor > 0 && scaling.HighFreqFactor > scaling.LowFreqFactor && scaling.LowFreqFactor > 0
                        && scaling.OriginalMaxPositionEmbeddings > 0, source,
                    "llama3 rope scaling needs factor > 0 and high_freq_factor > low_freq_factor > 0 and original_max_position_embeddings > 0.");
            }
        }
    }

    /// <summary>Reads a Hugging Face <c>config.json</c>; unsupported architectures and rope types are errors naming the file.</summary>
    public static LlamaConfig FromJsonFile(string path)
    {
        if (!File.Exists(path))
        {
            var folder = Path.GetDirectoryName(path) ?? ".";
            if (Lora.PeftAdapterFolder.IsAdapterFolder(folder))
            {
                // A LoRA adapter alone is not a model: say where its base is (or that it does not say).
                var baseModel = AdapterBase(folder);
                throw new FileNotFoundException(
                    $"'{folder}' is a LoRA adapter ({Lora.PeftAdapterFolder.ConfigFileName}) without its base model. Use the merged model folder " +
                    $"beside it, or load the base model{(baseModel is null ? "" : $" ('{baseModel}')")} and attach the adapter to it.", path);
            }

            throw new FileNotFoundException($"Model config not found: '{path}'. A Hugging Face model folder must contain config.json.", path);
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        if (root is not JsonObject json)
        {
            throw new InvalidDataException($"{path}: expected a JSON object.");
        }
        return FromJson(json, path);
    }

    private static string? AdapterBase(string folder)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(Path.Combine(folder, Lora.PeftAdapterFolder.ConfigFileName)))?["base_model_name_or_path"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>Parses the JSON object of a <c>config.json</c>; <paramref name="source"/> names it in errors.</summary>
    public static LlamaConfig FromJson(JsonObject json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new ConfigJsonReader(json, source);
        var modelType = reader.OptionalString("model_type");
        var architectures = json["architectures"] as JsonArray;
        var architectureNames = architectures?.Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];
        if (architectureNames.Count > 0 && !architectureNames.Contains(ArchitectureName))
        {
            throw new InvalidDataException(
                $"{source}: architecture '{string.Join(", ", architectureNames)}' is not supported; this engine loads {ArchitectureName} checkpoints only.");
        }
        if (architectureNames.Count == 0 && modelType is not null && modelType != "llama")
        {
            throw new InvalidDataException($"{source}: model_type '{modelType}' is not supported; this engine loads 'llama' models only.");
        }
        var hiddenAct = reader.OptionalString("hidden_act") ?? "silu";
        if (hiddenAct != "silu")
        {
            throw new InvalidDataException($"{source}: hidden_act '{hiddenAct}' is not supported; Llama uses 'silu'.");
        }
        foreach (var biasFlag in new[] { "attention_bias", "mlp_bias" })
        {
            if (reader.OptionalBool(biasFlag) == true)
            {
                throw new InvalidDataException($"{source}: {biasFlag}=true is not supported; Llama checkpoints have no biases.");
            }
        }
        // pretraining_tp > 1 only changes how transformers splits the same matmuls, never the result: ignored.
        var hidden = reader.RequiredInt("hidden_size");
        var heads = reader.RequiredInt("num_attention_heads");
        var (ropeTheta, scaling) = reader.ReadRope();
        var config = new LlamaConfig
        {
            VocabSize = reader.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = reader.RequiredInt("intermediate_size"),
            NumHiddenLayers = reader.RequiredInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = reader.OptionalInt("num_key_value_heads") ?? heads,
            HeadDim = reader.OptionalInt("head_dim") ?? (heads > 0 ? hidden / heads : 0),
            RmsNormEps = reader.OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = ropeTheta,
            RopeScaling = scaling,
            TieWordEmbeddings = reader.OptionalBool("tie_word_embeddings") ?? false,
            BosTokenId = reader.OptionalInt("bos_token_id"),
            EosTokenIds = reader.IntOrIntList("eos_token_id"),
            PadTokenId = reader.OptionalInt("pad_token_id"),
            MaxPositionEmbeddings = reader.OptionalInt("max_position_embeddings") ?? 2048,
        };
        config.Validate(source);
        return config;
    }

    /// <summary>The <c>config.json</c> transformers writes for this model (rope in both the old and new spelling).</summary>
    public JsonObject ToJson(string storageDtypeName)
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(ArchitectureName),
            ["attention_bias"] = false,
            ["attention_dropout"] = 0.0,
            ["bos_token_id"] = BosTokenId,
            ["dtype"] = storageDtypeName,
            ["eos_token_id"] = EosJson(EosTokenIds),
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["hidden_size"] = HiddenSize,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = IntermediateSize,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["mlp_bias"] = false,
            ["model_type"] = "llama",
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["pad_token_id"] = PadTokenId,
            ["pretraining_tp"] = 1,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = RopeScalingJson(includeTheta: false),
            ["rope_parameters"] = RopeScalingJson(includeTheta: true),
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["use_cache"] = true,
            ["vocab_size"] = VocabSize,
        };
        return json;
    }

    internal static JsonNode? EosJson(IReadOnlyList<int> eos) => eos.Count switch
    {
        0 => null,
        1 => JsonValue.Create(eos[0]),
        _ => new JsonArray(eos.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
    };

    private JsonObject? RopeScalingJson(bool includeTheta)
    {
        var scaling = RopeScaling ?? new RopeScaling { RopeType = RopeScaling.DefaultType };
        if (!includeTheta && scaling.RopeType == RopeScaling.DefaultType)
        {
            return null;
        }
        var json = new JsonObject { ["rope_type"] = scaling.RopeType };
        if (scaling.RopeType == RopeScaling.Llama3Type)
        {
            json["factor"] = scaling.Factor;
            json["low_freq_factor"] = scaling.LowFreqFactor;
            json["high_freq_factor"] = scaling.HighFreqFactor;
            json["original_max_position_embeddings"] = scaling.OriginalMaxPositionEmbeddings;
        }
        if (includeTheta)
        {
            json["rope_theta"] = RopeTheta;
        }
        return json;
    }
}
