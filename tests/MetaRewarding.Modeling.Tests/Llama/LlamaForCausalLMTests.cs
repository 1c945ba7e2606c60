using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Llama;

public class LlamaForCausalLMTests
{
    // fp32 comparisons of the same math done in a different shape (incremental vs full, padded vs not): only
    // summation order differs, which moves logits by ~1e-6 relative; 1e-5 leaves room and still catches any
    // wrong position, mask or cache slot (those change logits by O(1)).
    private const double SameMathTolerance = 1e-5;

    public LlamaForCausalLMTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData("model-a")]
    [InlineData("model-c-tied")]
    public void NamedParameters_AreTheHuggingFaceTensorNames(string modelName)
    {
        using var model = LlamaForCausalLM.FromPretrained(HfFixture.Model(modelName), ScalarType.Float32, CPU);
        var names = HfFolder.WeightMap(HfFixture.Model(modelName)).Keys.Order().ToList();

        Assert.Equal(names, model.named_parameters().Select(p => p.name).Order().ToList());
        Assert.Equal(modelName != "model-c-tied", names.Contains("lm_head.weight"));
    }

    [Theory]
    [InlineData(4, 4)] // multi-head
    [InlineData(4, 2)] // grouped-query
    [InlineData(4, 1)] // multi-query
    public void ComputeLogits_PrefillThenOneTokenAtATime_EqualsFullForward(int heads, int kvHeads)
    {
        using var model = LlamaForCausalLM.Create(SmallConfig(heads, kvHeads), ScalarType.Float32, CPU, seed: 5);
        using var ids = randint(0, 100, [2, 9], dtype: ScalarType.Int64, generator: new Generator(11, CPU));
        using var _ = no_grad();
        using var full = model.forward(ids, null);

        using var cache = new KvCache(model.Config, 2, 9, ScalarType.Float32, CPU);
        using var prefill = model.ComputeLogits(ids.narrow(1, 0, 4), null, cache, lastPositionOnly: false);
        Assert.True(FixtureLogitsTests.RelativeMaxError(prefill, full.narrow(1, 0, 4)) <= SameMathTolerance);
        for (var t = 4; t < 9; t++)
        {
            using var step = model.ComputeLogits(ids.narrow(1, t, 1), null, cache, lastPositionOnly: true);
            Assert.True(FixtureLogitsTests.RelativeMaxError(step, full.narrow(1, t, 1)) <= SameMathTolerance, $"position {t}");
        }
        Assert.Equal(9, cache.Length);
    }

    [Fact]
    public void Forward_LeftPaddedRow_EqualsTheRowAloneAtRealPositions()
    {
        using var model = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-b"), ScalarType.Float32, CPU);
        long[] tokens = [12, 400, 7, 255, 31];
        using var alone = tensor(tokens, [1, 5]);
        using var padded = tensor(new long[] { 0, 0, 0, 12, 400, 7, 255, 31, 5, 6, 7, 8, 9, 10, 11, 12 }, [2, 8]);
        using var mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 8]);
        using var _ = no_grad();

        using var expected = model.forward(alone, null);
        using var batched = model.forward(padded, mask);

        using var realPart = batched.narrow(0, 0, 1).narrow(1, 3, 5);
        Assert.True(FixtureLogitsTests.RelativeMaxError(realPart, expected) <= SameMathTolerance);
        Assert.False(batched.isnan().any().item<bool>()); // padding rows attend to themselves, never to nothing
    }

    [Fact]
    public void Create_SameSeed_SameWeightsAndOtherSeedDiffers()
    {
        var config = SmallConfig(4, 2);
        using var a = LlamaForCausalLM.Create(config, ScalarType.Float32, CPU, seed: 1);
        using var b = LlamaForCausalLM.Create(config, ScalarType.Float32, CPU, seed: 1);
        using var c = LlamaForCausalLM.Create(config, ScalarType.Float32, CPU, seed: 2);

        var pa = a.named_parameters().ToList();
        var pb = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var pc = c.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(pa, p => Assert.True(p.parameter.equal(pb[p.name]).all().item<bool>(), p.name));
        Assert.False(pa.First(p => p.name.EndsWith("q_proj.weight", StringComparison.Ordinal)).parameter
            .equal(pc["model.layers.0.self_attn.q_proj.weight"]).all().item<bool>());
        using var norm = pb["model.norm.weight"].eq(1.0f).all();
        Assert.True(norm.item<bool>());
    }

    [Fact]
    public void Forward_Bf16Compute_StaysCloseToFp32()
    {
        using var fp32 = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-a-bf16-sharded"), ScalarType.Float32, CPU);
        using var bf16 = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-a-bf16-sharded"), ScalarType.BFloat16, CPU);
        using var ids = tensor(HfFixture.Rows(HfFixture.Reference["input_ids"]!).SelectMany(r => r).ToArray(), [4, 24]);
        using var _ = no_grad();

        using var exact = fp32.forward(ids, null);
        using var approx = bf16.forward(ids, null);

        Assert.Equal(ScalarType.Float32, approx.dtype);
        // Same weights (the checkpoint is bf16), bf16 activations: bf16 keeps 8 significant bits (~0.4% per
        // rounding), accumulated over 3 layers; 5% of the largest logit bounds that and still fails on real bugs.
        Assert.True(FixtureLogitsTests.RelativeMaxError(approx, exact) <= 5e-2);
    }

    [Fact]
    public void To_OtherDtype_MovesWeightsAndForwardUsesThem()
    {
        using var model = LlamaForCausalLM.Create(SmallConfig(4, 2), ScalarType.Float32, CPU, seed: 3);
        using var ids = tensor(new long[] { 1, 2, 3, 4 }, [1, 4]);
        using var _ = no_grad();
        using var before = model.forward(ids, null);

        model.to(ScalarType.BFloat16);
        using var after = model.forward(ids, null);

        Assert.Equal(ScalarType.BFloat16, model.Dtype);
        Assert.All(model.named_parameters(), p => Assert.Equal(ScalarType.BFloat16, p.parameter.dtype));
        // bf16 weights and activations: a few percent of the largest logit (see Forward_Bf16Compute_StaysCloseToFp32).
        Assert.True(FixtureLogitsTests.RelativeMaxError(after, before) <= 5e-2);
        Assert.False(after.equal(before).all().item<bool>()); // the bf16 weights really were used
    }

    [Fact]
    public void Forward_WrongInputDtype_SaysWhatIsExpected()
    {
        using var model = LlamaForCausalLM.Create(SmallConfig(4, 2), ScalarType.Float32, CPU, seed: 1);
        using var ids = zeros([1, 3], ScalarType.Int32);

        var error = Assert.Throws<ArgumentException>(() => model.forward(ids, null));

        Assert.Contains("int64", error.Message, StringComparison.Ordinal);
    }

    private static LlamaConfig SmallConfig(int heads, int kvHeads) => new()
    {
        VocabSize = 100,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        HeadDim = 8,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        MaxPositionEmbeddings = 64,
    };
}
