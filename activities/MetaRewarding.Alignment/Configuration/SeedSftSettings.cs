namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// The optional supervised fine-tuning that makes the seed model ("SFT on EFT" in the paper: judge
/// demonstrations) before iteration 1. Absent (null) when the run starts from an already fine-tuned model.
/// </summary>
public sealed record SeedSftSettings
{
    /// <summary>Path of a JSONL file of <c>{"prompt", "completion"}</c> demonstrations, relative to the configuration file.</summary>
    public string Dataset { get; init; } = "";

    /// <summary>Passes over the demonstrations. [choice]</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Peak learning rate. [choice]</summary>
    public double LearningRate { get; init; } = 5e-6;

    /// <summary>Examples per optimizer step. [choice]</summary>
    public int GlobalBatchSize { get; init; } = 32;

    /// <summary>Fraction of steps warming the learning rate up, in [0, 1). [choice]</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>Global gradient-norm clip; null disables clipping. [choice]</summary>
    public double? MaxGradNorm { get; init; } = 1.0;
}
