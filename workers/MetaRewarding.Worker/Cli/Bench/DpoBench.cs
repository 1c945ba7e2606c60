using System.Globalization;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Lora;
using MetaRewarding.Modeling.Planning;
using MetaRewarding.Modeling.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// <c>bench --mode dpo</c>: optimizer steps of the real DPO trainer's step (<see cref="OptimizerStepper"/> over a
/// <see cref="DpoObjective"/>): B pairs of random sequences of T tokens (prompt T/4, chosen and rejected 3T/4), the
/// whole batch in one forward/backward, clipping to 1.0, AdamW with fp32 state (masters for bf16). With
/// <c>--lora R</c> adapters of rank R on every projection train and the base is frozen; <c>--checkpointing</c>
/// recomputes layers in backward. tokens/s counts 2·B·T per step. The line adds the model FLOP utilisation
/// (6 · trainable-path FLOPs per token over the peak of a large matmul measured in this process) and the memory plan's
/// figure for this shape beside the measured growth of peak memory (CPU: peak RSS), so the plan can be checked.
/// tests/benchmarks/gpu_dpo_compare.sh runs it against PyTorch + PEFT on a GPU.
/// </summary>
internal static class DpoBench
{
    public static BenchRun Run(LlamaForCausalLM model, BenchSettings settings)
    {
        var random = new Random(0);
        var vocab = model.Config.VocabSize;
        int[] Ids(int length) => [.. Enumerable.Range(0, length).Select(_ => random.Next(3, vocab))];
        var prompt = Math.Max(1, settings.Seq / 4);
        var completion = settings.Seq - prompt;
        var pairs = Enumerable.Range(0, settings.Batch).Select(_ => new PreferenceExample(Ids(prompt), Ids(completion), Ids(completion))).ToArray();
        var reference = new ReferenceLogProbs([.. pairs.Select(_ => -completion * Math.Log(vocab))], [.. pairs.Select(_ => -completion * Math.Log(vocab))]);
        var options = new DpoOptions { Training = new TrainingOptions { LearningRate = 5e-6, BatchSize = settings.Batch, MaxGradNorm = 1.0 } };
        var objective = new DpoObjective(pairs, reference, options);

        LoraOptions? loraOptions = settings.LoraRank > 0
            ? new LoraOptions(settings.LoraRank, 2 * settings.LoraRank, 0.05, new Alignment.Configuration.LoraSettings().TargetModules)
            : null;
        using var lora = loraOptions is null ? null : LoraAdapters.Attach(model, loraOptions, seed: 1);
        model.GradientCheckpointing = settings.Checkpointing;
        model.train();
        var shape = new TrainingShape(model.Config, model.Dtype == ScalarType.Float32 ? 4 : 2, model.Device.type == DeviceType.CUDA)
        {
            MicroBatchPairs = settings.Batch, SequenceTokens = settings.Seq, Lora = loraOptions, GradientCheckpointing = settings.Checkpointing,
        };
        var planned = MemoryPlan.Compute(shape).Single(p => p.Phase == "DPO training");

        var peak = BenchMemory.ResetPeak();
        using var stepper = new OptimizerStepper(model, objective, options.Training);
        int[] batch = [.. Enumerable.Range(0, settings.Batch)];
        var times = BenchCommand.Time(settings, () =>
        {
            stepper.Step(batch, options.Training.LearningRate, 1);
            BenchMemory.Synchronize(model);
        });
        var grown = BenchMemory.PeakGrowthBytes(peak);

        var tokens = 2L * settings.Batch * settings.Seq;
        var parameters = MemoryPlan.ParameterCount(model.Config);

        // Forward 2·P per token, backward 4·P with weight gradients, 2·P without (LoRA's frozen base).
        var flopsPerToken = (loraOptions is null ? 6.0 : 4.0) * parameters;
        var peakFlops = BenchMemory.MatmulPeakFlops(model.Device, model.Dtype);
        var perSecond = tokens / BenchCommand.Median(times.Wall);
        var extra = new JsonObject
        {
            ["dtype"] = model.Dtype.ToString(),
            ["device"] = model.Device.ToString(),
            ["lora_rank"] = settings.LoraRank,
            ["checkpointing"] = settings.Checkpointing,
            ["trainable_parameters"] = stepper.Optimizer.Parameters.Sum(p => p.numel()),
            ["matmul_peak_gflops"] = Math.Round(peakFlops / 1e9, 1),
            ["mfu"] = Math.Round(flopsPerToken * perSecond / peakFlops, 4),
            ["plan_training_mb"] = Math.Round((planned.Total - planned.Weights - planned.Reserve) / 1048576.0, 1),
            ["measured_growth_mb"] = grown is null ? null : Math.Round(grown.Value / 1048576.0, 1),
            ["plan_over_measured"] = grown is null or 0 ? null : Math.Round((planned.Total - planned.Weights - planned.Reserve) / (double)grown.Value, 3),
            ["plan_breakdown"] = string.Create(CultureInfo.InvariantCulture, $"{Activities.Model.RunMemoryPlan.Breakdown(planned)}"),
        };
        return new BenchRun(times, tokens, settings.Seq, extra);
    }
}
