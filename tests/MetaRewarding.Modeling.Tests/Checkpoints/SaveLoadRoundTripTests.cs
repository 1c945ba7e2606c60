using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Checkpoints;

public sealed class SaveLoadRoundTripTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("hf-save-").FullName;

    public SaveLoadRoundTripTests() => TorchRuntime.Initialize();

    public void Dispose() => Directory.Delete(workDir, recursive: true);

    [Theory]
    [InlineData("model-a")]
    [InlineData("model-c-tied")]
    public void SavePretrained_Fp32_LoadsBackBitExact(string modelName)
    {
        using var original = LlamaForCausalLM.FromPretrained(HfFixture.Model(modelName), ScalarType.Float32, CPU);
        var folder = Path.Combine(workDir, modelName);

        original.SavePretrained(folder);
        using var reloaded = LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU);

        AssertSameParameters(original, reloaded);
        Assert.True(File.Exists(Path.Combine(folder, HfFolder.SingleWeightsFileName)));
        Assert.True(File.Exists(Path.Combine(folder, HfFolder.GenerationConfigFileName)));
        Assert.Equal(original.Config with { EosTokenIds = [] }, reloaded.Config with { EosTokenIds = [] });
        Assert.Equal(original.Config.EosTokenIds, reloaded.Config.EosTokenIds);
    }

    [Fact]
    public void Save_WithSmallShardLimit_WritesShardsAndIndexThatLoadBack()
    {
        using var original = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-b"), ScalarType.Float32, CPU);
        var folder = Path.Combine(workDir, "sharded");

        HfFolder.Save(folder, original.Config, original.named_parameters().ToList(), ScalarType.Float32, maxShardBytes: 150_000);
        using var reloaded = LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU);

        var index = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, HfFolder.IndexFileName)))!;
        var shardFiles = index["weight_map"]!.AsObject().Select(kv => kv.Value!.GetValue<string>()).Distinct().ToList();
        Assert.True(shardFiles.Count > 1);
        Assert.All(shardFiles, f => Assert.Matches(@"^model-\d{5}-of-\d{5}\.safetensors$", f));
        Assert.Equal(original.named_parameters().Sum(p => p.parameter.numel() * 4), index["metadata"]!["total_size"]!.GetValue<long>());
        Assert.False(File.Exists(Path.Combine(folder, HfFolder.SingleWeightsFileName)));
        AssertSameParameters(original, reloaded);
    }

    [Fact]
    public void SavePretrained_Bf16Storage_RoundsLikeTransformers()
    {
        // transformers' A.to(bfloat16) wrote model-a-bf16-sharded from model-a; our conversion must give the same bits.
        using var fp32 = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-a"), ScalarType.Float32, CPU);
        var folder = Path.Combine(workDir, "bf16");
        fp32.SavePretrained(folder, ScalarType.BFloat16);

        using var ours = LlamaForCausalLM.FromPretrained(folder, ScalarType.BFloat16, CPU);
        using var theirs = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-a-bf16-sharded"), ScalarType.BFloat16, CPU);
        AssertSameParameters(theirs, ours);
        using var reader = SafetensorsReader.Open(Path.Combine(folder, HfFolder.SingleWeightsFileName));
        Assert.All(reader.Entries.Values, e => Assert.Equal("BF16", e.Dtype));
        Assert.Equal("pt", reader.Metadata["format"]);
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, HfFolder.ConfigFileName)))!;
        Assert.Equal("bfloat16", config["dtype"]!.GetValue<string>());
    }

    [Fact]
    public void SavePretrained_Fp16Storage_LoadsIntoFp32WithinHalfPrecision()
    {
        using var fp32 = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-b"), ScalarType.Float32, CPU);
        var folder = Path.Combine(workDir, "fp16");
        fp32.SavePretrained(folder, ScalarType.Float16);

        using var reloaded = LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU);

        using (var reader = SafetensorsReader.Open(Path.Combine(folder, HfFolder.SingleWeightsFileName)))
        {
            Assert.All(reader.Entries.Values, e => Assert.Equal("F16", e.Dtype));
        }
        var original = fp32.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in reloaded.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            // Round-to-nearest fp16: error <= 2^-11 |x| for normal numbers (11 significant bits) and <= 2^-25
            // (half the subnormal step 2^-24) for the tiny weights below fp16's normal range.
            using var excess = (parameter - original[name]).abs() - (original[name].abs() * Math.Pow(2, -11) + Math.Pow(2, -25));
            Assert.True(excess.max().item<float>() <= 0, $"{name} rounds outside fp16 precision");
        }
    }

    [Fact]
    public void SavePretrained_OverFolderWithOldShards_RemovesThem()
    {
        using var model = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-b"), ScalarType.Float32, CPU);
        var folder = Path.Combine(workDir, "resave");
        HfFolder.Save(folder, model.Config, model.named_parameters().ToList(), ScalarType.Float32, maxShardBytes: 150_000);

        model.SavePretrained(folder);

        Assert.False(File.Exists(Path.Combine(folder, HfFolder.IndexFileName)));
        Assert.Single(Directory.GetFiles(folder, "*.safetensors"));
        using var reloaded = LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU);
        AssertSameParameters(model, reloaded);
    }

    private static void AssertSameParameters(LlamaForCausalLM expected, LlamaForCausalLM actual)
    {
        var expectedParameters = expected.named_parameters().ToList();
        var actualParameters = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(expectedParameters.Select(p => p.name).Order(), actualParameters.Keys.Order());
        foreach (var (name, parameter) in expectedParameters)
        {
            Assert.True(parameter.equal(actualParameters[name]).all().item<bool>(), $"{name} differs");
        }
    }
}
