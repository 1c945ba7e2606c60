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

    /// <summary>Decay after warm-up, one of <see cref="TrainedSchedules"/>. Paper: cosine [paper?].</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>
    /// The schedules the DPO trainer implements. Validation refuses the others before any GPU time is spent, and the
    /// README's configuration table lists exactly these (a test checks it).
    /// </summary>
    public static IReadOnlyList<LearningRateSchedule> TrainedSchedules { get; } = [LearningRateSchedule.Cosine, LearningRateSchedule.Linear, LearningRateSchedule.Constant];

    /// <summary>Preference pairs per optimizer step, over all devices and accumulation steps. Paper: 32 [paper?].</summary>
    public int GlobalBatchSize { get; init; } = 32;

    /// <summary>Passes over the iteration's pairs. One pass: each pair is seen once, as in the paper's recipe. [choice]</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Fraction of the optimizer steps spent warming the learning rate up linearly from 0, in [0, 1). [choice]</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>
    /// AdamW β1 (TRL's <c>adam_beta1</c>). 0.9 is transformers' default and the sandbox recipe's (docs/SANDBOX.md);
    /// the paper does not say. [choice]
    /// </summary>
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>
    /// AdamW β2 (TRL's <c>adam_beta2</c>). 0.95, the sandbox recipe's (docs/SANDBOX.md), steadier than transformers'
    /// 0.999 on short fine-tuning runs; the paper does not say. [choice]
    /// </summary>
    public double AdamBeta2 { get; init; } = 0.95;

    /// <summary>Decoupled AdamW weight decay (TRL's <c>weight_decay</c>); 0 is transformers' default. [choice]</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// Recompute each decoder layer in backward instead of keeping its activations (transformers'
    /// <c>gradient_checkpointing</c>): the same gradients, a fraction of the activation memory, ~25% more time per step.
    /// What lets full fine-tuning of an 8B model fit one 141 GB GPU. [choice]
    /// </summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>
    /// Fraction of the iteration's pairs held out of training to select the checkpoint with the lowest held-out DPO
    /// loss (M_{t+1} is that checkpoint); 0 trains on every pair and keeps the last step, as the paper does. [choice]
    /// </summary>
    public double HeldOutFraction { get; init; }

    /// <summary>LoRA adapters instead of full fine-tuning; null (the default) trains every weight, as the paper does.</summary>
    public LoraSettings? Lora { get; init; }

    /// <summary>Global gradient-norm clip; null disables clipping. 1.0 is TRL's default. [choice]</summary>
    public double? MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// Weight of an added NLL loss on the chosen completion (TRL's <c>rpo_alpha</c>); null means plain DPO,
    /// which is what the paper trains.
    /// </summary>
    public double? RpoAlpha { get; init; }
}
