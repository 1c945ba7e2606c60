using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Lora;
using MetaRewarding.Modeling.Planning;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// The memory plan of a run's iterations on a GPU worker (<see cref="MemoryPlan"/>), with the batch shapes the
/// worker uses and the sequence lengths the configuration allows; and the check that refuses a run that cannot fit,
/// naming the fix, before any GPU time is spent (the model activities run it first: README.md, "Train Llama-3-8B on
/// one GPU"; <c>metarewarding plan</c> prints the same figures).
/// </summary>
public static class RunMemoryPlan
{
    /// <summary>Tokens assumed for the longest pool prompt (the pool is not read to plan). [choice]</summary>
    public const int DefaultPromptTokens = 512;

    /// <summary>Tokens of a judge or meta-judge template around what it quotes (the built-in ones are ~300). [choice]</summary>
    public const int TemplateTokens = 400;

    /// <summary>One iteration's shape: generation of the longest step (the meta-judge's prompt quotes two judgments), DPO on the longest pair.</summary>
    public static TrainingShape Shape(RunConfiguration configuration, int index, LlamaConfig model, ModelActivitiesOptions options, int promptTokens = DefaultPromptTokens)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var iteration = configuration.Iterations[index];
        int actor = iteration.ActorSampling.MaxNewTokens, judge = iteration.JudgeSampling.MaxNewTokens, meta = iteration.MetaJudgeSampling.MaxNewTokens;
        var judgePrompt = TemplateTokens + promptTokens + actor;
        var generation = Math.Max(promptTokens + actor, Math.Max(judgePrompt + judge, judgePrompt + (2 * judge) + meta));
        var training = iteration.TrainsJudge ? judgePrompt + judge : promptTokens + actor;
        var cap = model.MaxPositionEmbeddings;
        var dtype = ComputeDtypes.Parse(options.ComputeDtype);
        return new TrainingShape(model, dtype is TorchSharp.torch.ScalarType.Float32 ? 4 : 2, options.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            GenerationBatch = options.GenerationBatchSize,
            GenerationTokens = Math.Min(cap, generation),
            ScoringBatch = options.ScoringBatchSize,
            MicroBatchPairs = Math.Min(iteration.Dpo.GlobalBatchSize, options.TrainingMicroBatchSize),
            SequenceTokens = Math.Min(cap, training),
            Lora = iteration.Dpo.Lora is { } lora ? new LoraOptions(lora.Rank, lora.Alpha, lora.Dropout, lora.TargetModules) : null,
            GradientCheckpointing = iteration.Dpo.GradientCheckpointing,
        };
    }

    /// <summary>
    /// Every phase of every iteration that does not fit <paramref name="deviceBytes"/>, each with its figures and the
    /// fix (checkpointing, a smaller micro batch, LoRA, a smaller generation or scoring batch); empty when all fit.
    /// </summary>
    public static IReadOnlyList<string> Problems(
        RunConfiguration configuration, LlamaConfig model, ModelActivitiesOptions options, long deviceBytes, int promptTokens = DefaultPromptTokens)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        for (var i = 0; i < configuration.Iterations.Count; i++)
        {
            var shape = Shape(configuration, i, model, options, promptTokens);
            foreach (var phase in MemoryPlan.Compute(shape).Where(p => p.Total > deviceBytes))
            {
                problems.Add($"iteration {i + 1} {phase.Phase} needs {ByteSize.Format(phase.Total)} ({Breakdown(phase)}) but the device has " +
                    $"{ByteSize.Format(deviceBytes)}; {Fix(phase.Phase, shape, i, deviceBytes)}");
            }
        }

        return problems;
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> listing every phase that cannot fit (and its fix).</summary>
    public static void EnsureFits(RunConfiguration configuration, LlamaConfig model, ModelActivitiesOptions options, long deviceBytes)
    {
        var problems = Problems(configuration, model, options, deviceBytes);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
    }

    /// <summary>weights …, gradients …, optimizer …, activations …, KV cache … (the non-zero parts).</summary>
    public static string Breakdown(PhaseMemory phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        var parts = new (string Name, long Bytes)[]
        {
            ("weights", phase.Weights), ("gradients", phase.Gradients), ("optimizer", phase.Optimizer),
            ("activations", phase.Activations), ("KV cache", phase.KvCache), ("CUDA reserve", phase.Reserve),
        };
        return string.Join(", ", parts.Where(p => p.Bytes > 0).Select(p => $"{p.Name} {ByteSize.Format(p.Bytes)}"));
    }

    private static string Fix(string phase, TrainingShape shape, int index, long deviceBytes)
    {
        bool Fits(TrainingShape s) => MemoryPlan.Compute(s).Single(p => p.Phase == phase).Total <= deviceBytes;
        var path = $"iterations[{index}].dpo";
        switch (phase)
        {
            case "generation":
                return LargestFitting(shape.GenerationBatch, b => Fits(shape with { GenerationBatch = b })) is { } batch
                    ? $"lower Worker:GenerationBatchSize to {batch}"
                    : "the weights alone do not fit: use a device with more memory";
            case "reference log-probs":
                return LargestFitting(shape.ScoringBatch, b => Fits(shape with { ScoringBatch = b })) is { } scoring
                    ? $"lower Worker:ScoringBatchSize to {scoring}"
                    : "the weights alone do not fit: use a device with more memory";
        }

        var fixes = new List<string>();
        var checkpointed = shape with { GradientCheckpointing = true };
        if (!shape.GradientCheckpointing && Fits(checkpointed))
        {
            fixes.Add($"set {path}.gradientCheckpointing: true");
        }

        if (LargestFitting(shape.MicroBatchPairs, b => Fits(shape with { MicroBatchPairs = b })) is { } micro)
        {
            fixes.Add($"lower Worker:TrainingMicroBatchSize to {micro}");
        }
        else if (!shape.GradientCheckpointing && LargestFitting(shape.MicroBatchPairs, b => Fits(checkpointed with { MicroBatchPairs = b })) is { } both)
        {
            fixes.Add($"set {path}.gradientCheckpointing: true and lower Worker:TrainingMicroBatchSize to {both}");
        }

        if (shape.Lora is null)
        {
            var defaults = new LoraSettings();
            var lora = checkpointed with { Lora = new LoraOptions(defaults.Rank, defaults.Alpha, defaults.Dropout, defaults.TargetModules), MicroBatchPairs = 1 };
            if (Fits(lora))
            {
                fixes.Add($"train LoRA adapters ({path}.lora: {{}}, with gradientCheckpointing and a micro batch small enough)");
            }
        }

        return fixes.Count > 0 ? "fix: " + string.Join(", or ", fixes) : "nothing this engine offers fits: use a device with more memory or a smaller model";
    }

    /// <summary>The largest value in [1, <paramref name="current"/>) for which <paramref name="fits"/> holds, or null.</summary>
    private static int? LargestFitting(int current, Func<int, bool> fits)
    {
        for (var value = current - 1; value >= 1; value = value > 8 ? value / 2 : value - 1)
        {
            if (fits(value))
            {
                return value;
            }
        }

        return null;
    }
}
