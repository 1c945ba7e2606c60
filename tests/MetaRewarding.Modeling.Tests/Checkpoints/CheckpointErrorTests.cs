using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Checkpoints;

/// <summary>Broken checkpoints fail with a message that names the tensor or setting and the file.</summary>
public sealed class CheckpointErrorTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("hf-errors-").FullName;

    public CheckpointErrorTests() => TorchRuntime.Initialize();

    public void Dispose() => Directory.Delete(workDir, recursive: true);

    [Fact]
    public void FromPretrained_TensorMissing_NamesTensorAndFolder()
    {
        var folder = CopyFixture("model-b");
        RewriteWeights(folder, tensors => tensors.Where(t => t.Name != "model.layers.1.mlp.up_proj.weight").ToList());

        var error = Assert.Throws<InvalidDataException>(() => LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU));

        Assert.Contains("model.layers.1.mlp.up_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPretrained_ShapeMismatch_NamesTensorShapesAndFile()
    {
        var folder = CopyFixture("model-b");
        EditConfig(folder, c => c["intermediate_size"] = 64);

        var error = Assert.Throws<InvalidDataException>(() => LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU));

        Assert.Contains("model.layers.0.mlp.gate_proj.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("[128, 48]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[64, 48]", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPretrained_TruncatedSafetensors_NamesTheFile()
    {
        var folder = CopyFixture("model-b");
        var weights = Path.Combine(folder, HfFolder.SingleWeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU));

        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPretrained_NoWeights_SaysWhatIsExpected()
    {
        var folder = CopyFixture("model-b");
        File.Delete(Path.Combine(folder, HfFolder.SingleWeightsFileName));

        var error = Assert.Throws<FileNotFoundException>(() => LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU));

        Assert.Contains(HfFolder.SingleWeightsFileName, error.Message, StringComparison.Ordinal);
        Assert.Contains(HfFolder.IndexFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPretrained_UnexpectedTensor_IsRejectedAsOtherArchitecture()
    {
        var folder = CopyFixture("model-b");
        RewriteWeights(folder, tensors => [.. tensors, ("model.layers.0.self_attn.q_norm.weight", ones(12))]);

        var error = Assert.Throws<InvalidDataException>(() => LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU));

        Assert.Contains("q_norm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPretrained_TiedModelWithRedundantLmHead_IgnoresItLikeTransformers()
    {
        var folder = CopyFixture("model-c-tied");
        using var extra = zeros(600, 48);
        RewriteWeights(folder, tensors => [.. tensors, ("lm_head.weight", extra.clone())]);

        using var model = LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU);

        Assert.DoesNotContain(model.named_parameters(), p => p.name == "lm_head.weight");
    }

    private string CopyFixture(string name)
    {
        var target = Path.Combine(workDir, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(HfFixture.Model(name)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            File.SetAttributes(Path.Combine(target, Path.GetFileName(file)), FileAttributes.Normal);
        }
        return target;
    }

    private static void EditConfig(string folder, Action<JsonObject> edit)
    {
        var path = Path.Combine(folder, HfFolder.ConfigFileName);
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static void RewriteWeights(string folder, Func<List<(string Name, Tensor Tensor)>, List<(string Name, Tensor Tensor)>> edit)
    {
        var path = Path.Combine(folder, HfFolder.SingleWeightsFileName);
        List<(string Name, Tensor Tensor)> tensors;
        using (var reader = SafetensorsReader.Open(path))
        {
            tensors = reader.Entries.Keys.Select(k => (k, reader.Read(k))).ToList();
        }
        var edited = edit(tensors);
        SafetensorsWriter.Write(path, edited);
        foreach (var (_, tensor) in tensors.Concat(edited))
        {
            tensor.Dispose();
        }
    }
}
