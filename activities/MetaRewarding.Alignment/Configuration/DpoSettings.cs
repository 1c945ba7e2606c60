namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// DPO training of M_t into M_{t+1} (docs/ALGORITHM.md step 6). Names follow TRL's <c>DPOConfig</c> where one exists.
/// </summary>
public sealed record DpoSettings
{
    /// <summary>β, the strength of the implicit KL penalty towards the reference model. Paper: 0.1.</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>Peak learning rate. Paper: 5e-6 [paper?].</summary>
    public double LearningRate { get; init; } = 5e-6;

    /// <summary>Decay after warm-up. Paper: cosine [paper?].</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Preference pairs per optimizer step, over all devices and accumulation steps. Paper: 32 [paper?].</summary>
    public int GlobalBatchSize { get; init; } = 32;

    /// <summary>Passes over the iteration's pairs. One pass: each pair is seen once, as in the paper's recipe. [choice]</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Fraction of the optimizer steps spent warming the learning rate up linearly from 0, in [0, 1). [choice]</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>Global gradient-norm clip; null disables clipping. 1.0 is TRL's default. [choice]</summary>
    public double? MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// Weight of an added NLL loss on the chosen completion (TRL's <c>rpo_alpha</c>); null means plain DPO,
    /// which is what the paper trains.
    /// </summary>
    public double? RpoAlpha { get; init; }
}
