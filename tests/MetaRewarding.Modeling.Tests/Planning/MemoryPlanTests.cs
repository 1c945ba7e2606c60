using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Lora;
using MetaRewarding.Modeling.Planning;

namespace MetaRewarding.Modeling.Tests.Planning;

/// <summary>The plan's arithmetic against hand-computed figures (its calibration against measured memory is in README).</summary>
public sealed class MemoryPlanTests
{
    [Fact]
    public void ParameterCount_Llama3With8B_IsThePublishedCount()
    {
        Assert.Equal(8_030_261_248L, MemoryPlan.ParameterCount(LlamaPresets.Llama3With8B));
    }

    [Fact]
    public void AdapterParameterCount_AllProjectionsRank16_IsWhatPeftReports()
    {
        // PEFT's print_trainable_parameters for Llama-3-8B, r = 16 on the seven projections: 41,943,040.
        var lora = new LoraOptions(16, 32, 0.05, ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]);
        Assert.Equal(41_943_040L, MemoryPlan.AdapterParameterCount(LlamaPresets.Llama3With8B, lora));
    }

    [Fact]
    public void Training_FullBf16_SixteenBytesPerParameterBeforeActivations()
    {
        var shape = new TrainingShape(LlamaPresets.Llama3With8B, ComputeBytes: 2, Cuda: true) { MicroBatchPairs = 1, SequenceTokens = 1024, GradientCheckpointing = true };
        var training = MemoryPlan.Compute(shape).Single(p => p.Phase == "DPO training");
        var p = MemoryPlan.ParameterCount(LlamaPresets.Llama3With8B);

        Assert.Equal(2 * p, training.Weights);
        Assert.Equal(2 * p, training.Gradients);
        Assert.Equal((12 * p) + (2L * 4 * 128256 * 4096), training.Optimizer);
        Assert.Equal(MemoryPlan.CudaReserveBytes, training.Reserve);

        // Checkpointed activations: 2 × 1024 tokens × (32 layers × 2 hidden states + one layer + head + final norm).
        var perToken = (32L * 2 * 4096 * 2) + MemoryPlan.SavedPerTokenPerLayer(LlamaPresets.Llama3With8B, 2) + MemoryPlan.HeadPerToken(LlamaPresets.Llama3With8B, 2) + (3L * 4096 * 2);
        Assert.Equal(2 * 1024 * perToken, training.Activations);
    }

    [Fact]
    public void Generation_KvCacheIsTwoTensorsPerLayerPerToken()
    {
        var shape = new TrainingShape(LlamaPresets.Llama3With8B, ComputeBytes: 2, Cuda: false) { GenerationBatch = 64, GenerationTokens = 2048 };
        var generation = MemoryPlan.Compute(shape).Single(p => p.Phase == "generation");

        // 2 (K, V) × 32 layers × 8 kv heads × 128 × 2 bytes = 128 KiB per token.
        Assert.Equal(64L * 2048 * 128 * 1024, generation.KvCache);
        Assert.Equal(0, generation.Reserve);
    }

    [Theory]
    [InlineData("141GiB", 141L << 30)]
    [InlineData("80GB", 80_000_000_000L)]
    [InlineData("512 MiB", 512L << 20)]
    [InlineData("1024", 1024L)]
    public void ByteSize_Parse_ReadsBinaryAndDecimalUnits(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Fact]
    public void ByteSize_Parse_UnknownUnit_SaysWhatToWrite()
    {
        var error = Assert.Throws<FormatException>(() => ByteSize.Parse("141 gigs"));
        Assert.Contains("GiB", error.Message, StringComparison.Ordinal);
    }
}
