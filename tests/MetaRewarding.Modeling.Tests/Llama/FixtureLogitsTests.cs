using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Tests.Checkpoints;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Llama;

/// <summary>Golden tests: our forward pass against the logits transformers 5.17 computed for the same checkpoints.</summary>
public class FixtureLogitsTests
{
    // The task's bar: max |ours - transformers| / max |transformers| <= 1e-4 in fp32. Both sides run the same
    // fp32 math; differences come only from kernel summation order (~1e-6 relative), so 1e-4 has ample margin
    // while any real bug (wrong rope, norm, mask, head order) shows up as O(1).
    private const double RelativeTolerance = 1e-4;

    public FixtureLogitsTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData("model-b", "logits_b")]
    [InlineData("model-c-tied", "logits_c_tied")]
    [InlineData("model-a-bf16-sharded", "logits_a_bf16_sharded")]
    public void Forward_FixtureCheckpoint_MatchesTransformersLogits(string modelName, string referenceName)
    {
        using var model = LlamaForCausalLM.FromPretrained(HfFixture.Model(modelName), ScalarType.Float32, CPU);
        using var inputIds = tensor(HfFixture.Rows(HfFixture.Reference["input_ids"]!).SelectMany(r => r).ToArray(), [4, 24]);
        using var reference = ReadReference(referenceName);
        using var _ = no_grad();
        using var logits = model.forward(inputIds, null);

        Assert.Equal(reference.shape, logits.shape);
        Assert.True(RelativeMaxError(logits, reference) <= RelativeTolerance,
            $"{modelName}: relative max error {RelativeMaxError(logits, reference):E3} > {RelativeTolerance:E0}");
    }

    [Fact]
    public void Forward_ModelAWithWeightsAsReferenced_MatchesTransformersLogits()
    {
        // See HfFixture.LoadModelAAsReferenced: the fixture computed logits_a after rounding A's weights to bf16.
        using var model = HfFixture.LoadModelAAsReferenced();
        using var inputIds = tensor(HfFixture.Rows(HfFixture.Reference["input_ids"]!).SelectMany(r => r).ToArray(), [4, 24]);
        using var reference = ReadReference("logits_a");
        using var _ = no_grad();
        using var logits = model.forward(inputIds, null);
        Assert.True(RelativeMaxError(logits, reference) <= RelativeTolerance,
            $"model-a: relative max error {RelativeMaxError(logits, reference):E3} > {RelativeTolerance:E0}");
    }

    [Fact]
    public void Forward_ConfigInOlderRopeThetaAndRopeScalingSpelling_GivesTheSameLogits()
    {
        // Most published Llama 3.1/3.2 checkpoints spell rope settings the transformers-4 way.
        var folder = Directory.CreateTempSubdirectory("old-rope-spelling-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(HfFixture.Model("model-b")))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
            var configPath = Path.Combine(folder, "config.json");
            var config = (JsonObject)JsonNode.Parse(File.ReadAllText(configPath))!;
            var rope = (JsonObject)config["rope_parameters"]!;
            config.Remove("rope_parameters");
            config["rope_theta"] = rope["rope_theta"]!.DeepClone();
            rope.Remove("rope_theta");
            config["rope_scaling"] = rope;
            File.WriteAllText(configPath, config.ToJsonString());

            using var model = LlamaForCausalLM.FromPretrained(folder, ScalarType.Float32, CPU);
            using var inputIds = tensor(HfFixture.Rows(HfFixture.Reference["input_ids"]!).SelectMany(r => r).ToArray(), [4, 24]);
            using var reference = ReadReference("logits_b");
            using var _ = no_grad();
            using var logits = model.forward(inputIds, null);

            Assert.True(RelativeMaxError(logits, reference) <= RelativeTolerance);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Forward_WithAllOnesMask_EqualsForwardWithoutMask()
    {
        using var model = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-a"), ScalarType.Float32, CPU);
        using var inputIds = tensor(HfFixture.Rows(HfFixture.Reference["input_ids"]!).SelectMany(r => r).ToArray(), [4, 24]);
        using var mask = ones([4, 24], ScalarType.Int64);
        using var _ = no_grad();
        using var plain = model.forward(inputIds, null);
        using var masked = model.forward(inputIds, mask);
        // Same kernels, same inputs: only the causal path vs an explicit mask differ; allow fp32 rounding.
        Assert.True(RelativeMaxError(masked, plain) <= 1e-5);
    }

    internal static double RelativeMaxError(Tensor actual, Tensor expected)
    {
        using var diff = (actual - expected).abs().max();
        using var scale = expected.abs().max();
        return diff.item<float>() / scale.item<float>();
    }

    private static Tensor ReadReference(string name)
    {
        using var reader = SafetensorsReader.Open(HfFixture.ReferenceLogitsPath);
        return reader.Read(name);
    }
}
