namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// A run on the offline sandbox (activities/MetaRewarding.Sandbox): synthetic tasks with known answers and a
/// tiny Llama the project makes and seeds by SFT, so quality can be measured against the truth.
/// </summary>
public sealed record SandboxOptions
{
    /// <summary>Task family of the sandbox (e.g. <c>constraint</c>, <c>reverse</c>, <c>sort</c>).</summary>
    public string TaskFamily { get; init; } = "constraint";

    /// <summary>Hidden size of the tiny Llama. docs/SANDBOX.md: 96 (339k parameters) beat bigger at equal wall time.</summary>
    public int HiddenSize { get; init; } = 96;

    /// <summary>Decoder layers.</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Feed-forward width.</summary>
    public int IntermediateSize { get; init; } = 256;

    /// <summary>Seed SFT optimizer steps (docs/SANDBOX.md: ~2.8k for the judge to learn the harder checks).</summary>
    public int SftSteps { get; init; } = 2800;

    /// <summary>Seed SFT examples per step.</summary>
    public int SftBatchSize { get; init; } = 64;

    /// <summary>Seed SFT peak learning rate (cosine after warm-up).</summary>
    public double SftLearningRate { get; init; } = 3e-3;

    /// <summary>Held-out evaluation prompts measured after the seed and after every iteration.</summary>
    public int EvaluationPrompts { get; init; } = 500;

    /// <summary>Samples per evaluation prompt at temperature 1 (sampled accuracy, pass@k).</summary>
    public int EvaluationSamples { get; init; } = 4;
}
