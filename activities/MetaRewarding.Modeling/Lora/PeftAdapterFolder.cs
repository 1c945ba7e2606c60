using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Files;
using MetaRewarding.Modeling.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Lora;

/// <summary>
/// A LoRA adapter folder in PEFT's format, so that PEFT (<c>PeftModel.from_pretrained</c>) and vLLM load it:
/// <c>adapter_config.json</c> with LoraConfig's fields, and <c>adapter_model.safetensors</c> whose keys are the
/// model's parameter names behind PEFT's wrapper prefix with the adapter name stripped
/// (<c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c>), as PEFT's save_pretrained writes them
/// (get_peft_model_state_dict; PEFT's docs/source/developer_guides/checkpoint.md describes both files).
/// </summary>
public static class PeftAdapterFolder
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>What PEFT puts before a parameter name: PeftModel.base_model (LoraModel) and its .model.</summary>
    public const string KeyPrefix = "base_model.model.";

    private static readonly string[] UnsupportedFlags = ["use_dora", "use_rslora"];
    private static readonly string[] UnsupportedPatterns = ["rank_pattern", "alpha_pattern"];

    /// <summary>True when <paramref name="folder"/> holds an adapter config (a PEFT adapter, not a full model).</summary>
    public static bool IsAdapterFolder(string folder) => File.Exists(Path.Combine(folder, ConfigFileName));

    /// <summary>Writes the config and the weights (in their own dtype, fp32) to <paramref name="folder"/>.</summary>
    public static void Write(string folder, LoraOptions options, string? baseModelPath, IReadOnlyList<(string Name, Tensor Tensor)> parameters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parameters);
        Directory.CreateDirectory(folder);
        SafetensorsWriter.Write(
            Path.Combine(folder, WeightsFileName),
            [.. parameters.Select(p => (KeyPrefix + p.Name, p.Tensor))],
            new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(folder, ConfigFileName), Config(options, baseModelPath).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// LoraConfig as PEFT serialises it (every field of its to_dict, sorted as PEFT writes them) for a plain LoRA on a
    /// causal LM: no bias, no rsLoRA/DoRA, no per-layer patterns, inference mode.
    /// </summary>
    public static JsonObject Config(LoraOptions options, string? baseModelPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject
        {
            ["alpha_pattern"] = new JsonObject(),
            ["auto_mapping"] = null,
            ["base_model_name_or_path"] = baseModelPath,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["layer_replication"] = null,
            ["layers_pattern"] = null,
            ["layers_to_transform"] = null,
            ["loftq_config"] = new JsonObject(),
            ["lora_alpha"] = options.Alpha,
            ["lora_dropout"] = options.Dropout,
            ["megatron_config"] = null,
            ["megatron_core"] = "megatron.core",
            ["modules_to_save"] = null,
            ["peft_type"] = "LORA",
            ["r"] = options.Rank,
            ["rank_pattern"] = new JsonObject(),
            ["revision"] = null,
            ["target_modules"] = new JsonArray([.. options.TargetModules.Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
            ["task_type"] = "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = false,
        };
    }

    /// <summary>Reads rank, alpha, dropout and target modules; refuses what this engine does not implement (DoRA, rsLoRA, patterns, bias).</summary>
    public static LoraOptions ReadOptions(string folder)
    {
        var path = Path.Combine(folder, ConfigFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{folder} has no {ConfigFileName}; a PEFT LoRA adapter folder holds {ConfigFileName} and {WeightsFileName}.", path);
        }

        var config = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"{path} is not a JSON object.");
        string Text(string key) => config[key]?.GetValue<string>() ?? "";
        if (!string.Equals(Text("peft_type"), "LORA", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: peft_type is '{Text("peft_type")}'; only LORA adapters are supported.");
        }

        var unsupported = UnsupportedFlags.Where(k => config[k]?.GetValue<bool>() == true)
            .Concat(UnsupportedPatterns.Where(k => config[k] is JsonObject { Count: > 0 }))
            .Concat(config["bias"] is { } bias && bias.GetValue<string>() != "none" ? ["bias"] : [])
            .ToList();
        if (unsupported.Count > 0)
        {
            throw new InvalidDataException($"{path}: {string.Join(", ", unsupported)} are set; this engine loads plain LoRA adapters only.");
        }

        var targets = config["target_modules"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => throw new InvalidDataException($"{path} has no target_modules."),
        };
        return new LoraOptions(
            config["r"]?.GetValue<int>() ?? throw new InvalidDataException($"{path} has no r."),
            config["lora_alpha"]?.GetValue<double>() ?? throw new InvalidDataException($"{path} has no lora_alpha."),
            config["lora_dropout"]?.GetValue<double>() ?? 0,
            targets);
    }

    /// <summary>Copies the stored tensors into <paramref name="parameters"/>; every one must be present with its shape.</summary>
    public static void ReadWeights(string folder, IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var path = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{folder} has {ConfigFileName} but no {WeightsFileName}.", path);
        }

        using var reader = SafetensorsReader.Open(path);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            var key = KeyPrefix + name;
            if (!reader.Entries.ContainsKey(key))
            {
                throw new InvalidDataException($"{path} has no '{key}'; the adapter was made for another model or other target modules.");
            }

            using var stored = reader.Read(key);
            if (!stored.shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException(
                    $"{path}: '{key}' is [{string.Join(", ", stored.shape)}] but the model needs [{string.Join(", ", parameter.shape)}]; the adapter belongs to another base model.");
            }

            parameter.copy_(stored);
        }
    }
}
