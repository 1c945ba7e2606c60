namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Optimisation settings shared by DPO and SFT. Defaults follow the recipe that worked in the sandbox
/// (docs/SANDBOX.md): AdamW (0.9, 0.95), lr 1e-4, batch 32, clip 1.0.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Peak learning rate reached after warm-up.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Optimizer steps of linear warm-up.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Cosine floor as a fraction of the peak learning rate (0 decays to zero).</summary>
    public double MinLearningRateRatio { get; init; }

    /// <summary>Shape of the decay after warm-up (a floor ratio of 1 makes either constant).</summary>
    public DecayShape Decay { get; init; } = DecayShape.Cosine;

    /// <summary>
    /// Keep fp32 master weights for bf16/fp16 parameters (the default). False steps half-precision weights directly
    /// with half-precision moments, which drops most updates at DPO learning rates; tests keep it to pin that.
    /// </summary>
    public bool KeepMasterWeights { get; init; } = true;

    /// <summary>AdamW β1 (first-moment decay).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (second-moment decay); 0.95 is steadier than 0.999 for short fine-tuning runs.</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>AdamW ε added to the denominator.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Examples per optimizer step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Examples per forward/backward pass (null: the whole batch at once); the gradients of ⌈BatchSize / MicroBatchSize⌉
    /// passes are accumulated into one optimizer step, so memory scales with this, not with BatchSize.
    /// </summary>
    public int? MicroBatchSize { get; init; }

    /// <summary>The micro-batch size in effect.</summary>
    public int EffectiveMicroBatchSize => MicroBatchSize ?? BatchSize;

    /// <summary>Passes over the dataset.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Clip gradients to this global L2 norm; null disables clipping (the norm is still reported).</summary>
    public double? MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seed of the per-epoch shuffle; the order of epoch e depends only on (seed, e).</summary>
    public int ShuffleSeed { get; init; }

    /// <summary>Write a checkpoint every this many optimizer steps (and always after the last one); 0: only at the end.</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>How many of the newest checkpoints to keep.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Token id written into padding (masked out of losses and attention).</summary>
    public int PadTokenId { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting and its valid range.</summary>
    public void Validate()
    {
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), "must be a positive number");
        Require(WarmupSteps >= 0, nameof(WarmupSteps), "must be >= 0");
        Require(MinLearningRateRatio is >= 0 and <= 1, nameof(MinLearningRateRatio), "must be in [0, 1]");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), "must be in [0, 1)");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), "must be in [0, 1)");
        Require(Epsilon > 0, nameof(Epsilon), "must be > 0");
        Require(WeightDecay >= 0, nameof(WeightDecay), "must be >= 0");
        Require(BatchSize >= 1, nameof(BatchSize), "must be >= 1");
        Require(MicroBatchSize is null || (MicroBatchSize >= 1 && MicroBatchSize <= BatchSize), nameof(MicroBatchSize), $"must be in [1, BatchSize = {BatchSize}]");
        Require(Epochs >= 1, nameof(Epochs), "must be >= 1");
        Require(MaxGradNorm is null || MaxGradNorm > 0, nameof(MaxGradNorm), "must be > 0, or null to disable clipping");
        Require(CheckpointEverySteps >= 0, nameof(CheckpointEverySteps), "must be >= 0");
        Require(KeepCheckpoints >= 1, nameof(KeepCheckpoints), "must be >= 1");
        Require(PadTokenId >= 0, nameof(PadTokenId), "must be a valid token id (>= 0)");
    }

    /// <summary>Optimizer steps for <paramref name="exampleCount"/> examples (the last batch of an epoch may be short).</summary>
    public int TotalSteps(int exampleCount) => Epochs * StepsPerEpoch(exampleCount);

    public int StepsPerEpoch(int exampleCount) => (exampleCount + BatchSize - 1) / BatchSize;

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"Training option {name} {rule}.", name);
        }
    }
}
