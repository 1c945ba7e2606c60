namespace MetaRewarding.Modeling.Lora;

/// <summary>
/// A LoRA adapter's shape, with PEFT's meaning (LoraConfig): each target projection W x becomes
/// W x + (α / r) · B A dropout(x), A [r, in] initialised as PEFT does (Kaiming-uniform), B [out, r] at zero, so a fresh
/// adapter leaves the model's outputs unchanged.
/// </summary>
/// <param name="Rank">r, the adapter's inner dimension.</param>
/// <param name="Alpha">lora_alpha; the update is scaled by α / r.</param>
/// <param name="Dropout">lora_dropout on the adapter's input while training.</param>
/// <param name="TargetModules">Projection names (last part of the module path), e.g. q_proj, v_proj.</param>
public sealed record LoraOptions(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules)
{
    /// <summary>α / r, what the adapter's product is multiplied by (PEFT without rsLoRA).</summary>
    public double Scaling => Alpha / Rank;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting and what to write instead.</summary>
    public void Validate()
    {
        if (Rank < 1)
        {
            throw new ArgumentException($"LoRA rank must be >= 1, got {Rank}; 8 to 64 are usual for an 8B model.", nameof(Rank));
        }

        if (!(Alpha > 0) || !double.IsFinite(Alpha))
        {
            throw new ArgumentException($"LoRA alpha must be a positive number, got {Alpha}; 2 × rank is usual.", nameof(Alpha));
        }

        if (Dropout is not (>= 0 and < 1))
        {
            throw new ArgumentException($"LoRA dropout must be in [0, 1), got {Dropout}.", nameof(Dropout));
        }

        if (TargetModules is null || TargetModules.Count == 0 || TargetModules.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("LoRA target modules must name at least one projection, e.g. [\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\"].", nameof(TargetModules));
        }

        if (TargetModules.Distinct(StringComparer.Ordinal).Count() != TargetModules.Count)
        {
            throw new ArgumentException($"LoRA target modules list a module twice: {string.Join(", ", TargetModules)}.", nameof(TargetModules));
        }
    }
}
