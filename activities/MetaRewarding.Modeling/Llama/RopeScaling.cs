namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// Rotary-embedding frequency scaling as Hugging Face describes it (<c>rope_scaling</c> or <c>rope_parameters</c>).
/// Only the two types Llama checkpoints use are supported: <c>default</c> (no scaling) and <c>llama3</c>
/// (Llama 3.1/3.2's smooth low/high-frequency interpolation).
/// </summary>
public sealed record RopeScaling
{
    public const string DefaultType = "default";
    public const string Llama3Type = "llama3";

    /// <summary><c>default</c> or <c>llama3</c>.</summary>
    public required string RopeType { get; init; }

    /// <summary>How much longer the context is than the original training context (llama3: 8).</summary>
    public double Factor { get; init; } = 1.0;

    /// <summary>Wavelengths longer than original/low_freq_factor are divided by <see cref="Factor"/> (llama3: 1).</summary>
    public double LowFreqFactor { get; init; } = 1.0;

    /// <summary>Wavelengths shorter than original/high_freq_factor are kept as they are (llama3: 4).</summary>
    public double HighFreqFactor { get; init; } = 4.0;

    /// <summary>The context length the base model was trained with (llama3: 8192).</summary>
    public int OriginalMaxPositionEmbeddings { get; init; } = 8192;
}
