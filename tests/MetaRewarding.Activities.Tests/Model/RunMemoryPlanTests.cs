using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Llama;

namespace MetaRewarding.Activities.Tests.Model;

/// <summary>The run-start memory check: what cannot fit is refused with its figures and a fix that does fit.</summary>
public sealed class RunMemoryPlanTests
{
    private static readonly ModelActivitiesOptions Gpu = new() { StoreRoot = ".", Device = "cuda", ComputeDtype = "bfloat16", TrainingMicroBatchSize = 16 };
    private const long H200 = 141L << 30;

    [Fact]
    public void EnsureFits_PapersRunFullFineTuningOn8B_RefusedNamingCheckpointingAndMicroBatch()
    {
        var error = Assert.Throws<ConfigurationException>(() => RunMemoryPlan.EnsureFits(RunConfiguration.Paper, LlamaPresets.Llama3With8B, Gpu, H200));

        Assert.Equal(4, error.Errors.Count);
        Assert.StartsWith("iteration 1 DPO training needs ", error.Errors[0], StringComparison.Ordinal);
        Assert.Contains("set iterations[0].dpo.gradientCheckpointing: true and lower Worker:TrainingMicroBatchSize to 1", error.Errors[0], StringComparison.Ordinal);
        Assert.Contains("iterations[0].dpo.lora", error.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureFits_TheFixItNames_Fits()
    {
        var fixedRun = RunConfiguration.Paper with
        {
            Iterations = [.. RunConfiguration.Paper.Iterations.Select(i => i with { Dpo = i.Dpo with { GradientCheckpointing = true } })],
        };

        RunMemoryPlan.EnsureFits(fixedRun, LlamaPresets.Llama3With8B, Gpu with { TrainingMicroBatchSize = 1 }, H200);
        var lora = fixedRun with
        {
            Iterations = [.. fixedRun.Iterations.Select(i => i with { Dpo = i.Dpo with { Lora = new LoraSettings() } })],
        };
        RunMemoryPlan.EnsureFits(lora, LlamaPresets.Llama3With8B, Gpu with { TrainingMicroBatchSize = 2 }, H200);
    }

    [Fact]
    public void EnsureFits_GenerationBatchTooLarge_NamesALowerBatch()
    {
        var error = Assert.Throws<ConfigurationException>(() => RunMemoryPlan.EnsureFits(
            RunConfiguration.Paper, LlamaPresets.Llama3With8B, Gpu with { GenerationBatchSize = 1024, TrainingMicroBatchSize = 1 }, H200));

        Assert.Contains(error.Errors, e => e.Contains("generation needs", StringComparison.Ordinal) && e.Contains("lower Worker:GenerationBatchSize to ", StringComparison.Ordinal));
    }
}
