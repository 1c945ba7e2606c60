using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Llama;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MetaRewarding.Files;
using MetaRewarding.Modeling.Engine;

namespace MetaRewarding.Modeling.Checkpoints;

/// <summary>
/// A Hugging Face model folder: config.json, generation_config.json and weights in model.safetensors or in
/// shards listed by model.safetensors.index.json.
/// </summary>
public static class HfFolder
{
    public const string ConfigFileName = "config.json";
    public const string GenerationConfigFileName = "generation_config.json";
    public const string SingleWeightsFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>transformers' default shard size (5 GB, decimal as in "5GB").</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    private const string TransformersVersionWritten = "5.17.0";

    /// <summary>Which file holds each tensor: from the index when sharded, else every tensor of model.safetensors.</summary>
    public static IReadOnlyDictionary<string, string> WeightMap(string folder)
    {
        var indexPath = Path.Combine(folder, IndexFileName);
        if (File.Exists(indexPath))
        {
            JsonObject? index;
            try
            {
                index = JsonNode.Parse(File.ReadAllText(indexPath)) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{indexPath}: not valid JSON ({e.Message}).", e);
            }
            if (index?["weight_map"] is not JsonObject map)
            {
                throw new InvalidDataException($"{indexPath}: missing the 'weight_map' object.");
            }
            return map.ToDictionary(kv => kv.Key, kv => Path.Combine(folder, kv.Value?.GetValue<string>()
                ?? throw new InvalidDataException($"{indexPath}: weight_map['{kv.Key}'] is not a file name.")), StringComparer.Ordinal);
        }
        var singlePath = Path.Combine(folder, SingleWeightsFileName);
        if (File.Exists(singlePath))
        {
            using var reader = SafetensorsReader.Open(singlePath);
            return reader.Entries.Keys.ToDictionary(k => k, _ => singlePath, StringComparer.Ordinal);
        }
        throw new FileNotFoundException(
            $"No weights in '{folder}': expected {SingleWeightsFileName} or {IndexFileName} (pytorch_model.bin is not supported; re-save with safe_serialization=True).");
    }

    /// <summary>
    /// The eos ids of generation_config.json (Llama 3 instruct lists end-of-turn there), or none when the file is absent.
    /// </summary>
    public static IReadOnlyList<int> ReadGenerationEosTokenIds(string folder)
    {
        var path = Path.Combine(folder, GenerationConfigFileName);
        if (!File.Exists(path))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject json
                ? new ConfigJsonReader(json, path).IntOrIntList("eos_token_id")
                : throw new InvalidDataException($"{path}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Copies every parameter from the folder's safetensors, converting dtype (fp32/bf16/fp16 on disk → the parameter's dtype)
    /// and device. Missing tensors, shape mismatches and unexpected tensors are errors naming the tensor and file.
    /// </summary>
    public static void LoadWeights(string folder, IReadOnlyList<(string Name, Parameter Parameter)> parameters, LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(config);
        var map = WeightMap(folder);
        var wanted = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = map.Keys.Where(k => !wanted.Contains(k) && !IsIgnorable(k, config)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"{folder}: checkpoint has tensors this Llama model does not: {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? $" (+{unexpected.Count - 5} more)" : "")}. Is it a different architecture?");
        }
        var readers = new Dictionary<string, SafetensorsReader>(StringComparer.Ordinal);
        try
        {
            using var _ = no_grad();
            foreach (var (name, parameter) in parameters)
            {
                if (!map.TryGetValue(name, out var file))
                {
                    throw new InvalidDataException($"{folder}: tensor '{name}' is missing from the checkpoint ({DescribeWeights(folder)}).");
                }
                if (!readers.TryGetValue(file, out var reader))
                {
                    reader = SafetensorsReader.Open(file);
                    readers[file] = reader;
                }
                if (!reader.Entries.TryGetValue(name, out var entry))
                {
                    throw new InvalidDataException($"{file}: tensor '{name}' is listed in the index but not in this shard.");
                }
                if (!entry.Shape.SequenceEqual(parameter.shape))
                {
                    throw new InvalidDataException(
                        $"{file}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but config.json implies [{string.Join(", ", parameter.shape)}].");
                }
                using var stored = reader.Read(name);
                parameter.copy_(stored);
            }
        }
        finally
        {
            foreach (var reader in readers.Values)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>
    /// Saves the model as transformers does: config.json, generation_config.json and safetensors in
    /// <paramref name="storageDtype"/>; above <paramref name="maxShardBytes"/> the weights are split into
    /// model-0000i-of-0000n.safetensors shards plus model.safetensors.index.json.
    /// </summary>
    public static void Save(string folder, LlamaConfig config, IReadOnlyList<(string Name, Parameter Parameter)> parameters,
        ScalarType storageDtype, long maxShardBytes = DefaultMaxShardBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1);
        var dtypeName = ComputeDtypes.Name(storageDtype);
        Directory.CreateDirectory(folder);
        RemoveOldWeights(folder);

        var elementSize = SafetensorsDtype.ElementSize(storageDtype);
        var shards = new List<List<(string Name, Parameter Parameter)>> { new() };
        long shardBytes = 0, totalBytes = 0;
        foreach (var item in parameters)
        {
            var bytes = item.Parameter.numel() * elementSize;
            if (shards[^1].Count > 0 && shardBytes + bytes > maxShardBytes)
            {
                shards.Add([]);
                shardBytes = 0;
            }
            shards[^1].Add(item);
            shardBytes += bytes;
            totalBytes += bytes;
        }

        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var fileName = shards.Count == 1 ? SingleWeightsFileName : $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            var converted = shards[i].Select(p => (p.Name, Tensor: p.Parameter.detach().to_type(storageDtype))).ToList();
            try
            {
                SafetensorsWriter.Write(Path.Combine(folder, fileName), converted, metadata);
            }
            finally
            {
                foreach (var (_, tensor) in converted)
                {
                    tensor.Dispose();
                }
            }
            foreach (var (name, _) in shards[i])
            {
                weightMap[name] = fileName;
            }
        }
        if (shards.Count > 1)
        {
            var index = new JsonObject
            {
                ["metadata"] = new JsonObject { ["total_size"] = totalBytes },
                ["weight_map"] = weightMap,
            };
            WriteJsonAtomically(Path.Combine(folder, IndexFileName), index);
        }

        var configJson = config.ToJson(dtypeName);
        configJson["transformers_version"] = TransformersVersionWritten;
        WriteJsonAtomically(Path.Combine(folder, ConfigFileName), configJson);
        var generationConfig = new JsonObject
        {
            ["_from_model_config"] = true,
            ["bos_token_id"] = config.BosTokenId,
            ["eos_token_id"] = LlamaConfig.EosJson(config.EosTokenIds),
            ["transformers_version"] = TransformersVersionWritten,
        };
        WriteJsonAtomically(Path.Combine(folder, GenerationConfigFileName), generationConfig);
    }

    /// <summary>Tensors transformers itself ignores: rotary caches from old checkpoints, and lm_head when tied to the embedding.</summary>
    private static bool IsIgnorable(string name, LlamaConfig config) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (config.TieWordEmbeddings && name == "lm_head.weight");

    private static string DescribeWeights(string folder) =>
        File.Exists(Path.Combine(folder, IndexFileName)) ? $"not in {IndexFileName}" : $"not in {SingleWeightsFileName}";

    /// <summary>A previous save with a different shard count must not leave stale shards for a loader to pick up.</summary>
    private static void RemoveOldWeights(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "model*.safetensors").Append(Path.Combine(folder, IndexFileName)))
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }

    private static void WriteJsonAtomically(string path, JsonNode json) =>
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
