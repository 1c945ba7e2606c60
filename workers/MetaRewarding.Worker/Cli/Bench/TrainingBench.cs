using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// <c>bench --mode train</c>: optimizer steps of the real <see cref="OptimizerStepper"/> (SFT loss over B × T tokens,
/// backward, clipping to 1.0, AdamW); tokens/s counts B × T per step.
/// </summary>
internal static class TrainingBench
{
    public static BenchRun Run(LlamaForCausalLM model, BenchSettings settings)
    {
        var random = new Random(0);
        var vocab = model.Config.VocabSize;
        int[] RandomIds(int length) => [.. Enumerable.Range(0, length).Select(_ => random.Next(3, vocab))];

        // One prompt token, then T - 1 completion tokens: the SFT loss covers the same positions as a plain LM loss.
        var data = Enumerable.Range(0, settings.Batch).Select(_ => new SftExample(RandomIds(1), RandomIds(settings.Seq - 1))).ToArray();
        var options = new TrainingOptions { LearningRate = 1e-4, BatchSize = settings.Batch, MaxGradNorm = 1.0 };
        using var stepper = new OptimizerStepper(model, new SftObjective(data), options);
        model.GradientCheckpointing = settings.Checkpointing;
        model.train();
        int[] batch = [.. Enumerable.Range(0, settings.Batch)];
        var peak = BenchMemory.ResetPeak();
        var times = BenchCommand.Time(settings, () =>
        {
            stepper.Step(batch, options.LearningRate, 1);
            BenchMemory.Synchronize(model);
        });
        var grown = BenchMemory.PeakGrowthBytes(peak);
        var tokens = (long)settings.Batch * settings.Seq;
        var peakFlops = BenchMemory.MatmulPeakFlops(model.Device, model.Dtype);
        var parameters = Modeling.Planning.MemoryPlan.ParameterCount(model.Config);
        var extra = new System.Text.Json.Nodes.JsonObject
        {
            ["dtype"] = model.Dtype.ToString(),
            ["checkpointing"] = settings.Checkpointing,
            ["matmul_peak_gflops"] = Math.Round(peakFlops / 1e9, 1),
            ["mfu"] = Math.Round(6.0 * parameters * tokens / BenchCommand.Median(times.Wall) / peakFlops, 4),
            ["mfu_cpu_time"] = Math.Round(6.0 * parameters * tokens / (BenchCommand.Median(times.Cpu) / settings.Threads) / peakFlops, 4),
            ["measured_growth_mb"] = grown is null ? null : Math.Round(grown.Value / 1048576.0, 1),
        };
        return new BenchRun(times, tokens, settings.Seq, extra);
    }
}
