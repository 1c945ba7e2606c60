namespace MetaRewarding.Modeling.Training;

/// <summary>DPO settings on top of the shared <see cref="TrainingOptions"/>.</summary>
public sealed record DpoOptions
{
    public TrainingOptions Training { get; init; } = new();

    /// <summary>β of the DPO loss: the strength of the implicit KL penalty towards the reference model.</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>
    /// Weight α of an RPO-style NLL term on the chosen completion (TRL's rpo_alpha), length-normalised per example:
    /// α · mean_b(−log π(chosen_b) / |chosen_b|). 0 disables it. The sandbox found α = 1 prevents DPO's collapse.
    /// </summary>
    public double NllWeight { get; init; }

    /// <summary>
    /// Fraction of the pairs held out of training (chosen by <see cref="TrainingOptions.ShuffleSeed"/>) to select the
    /// checkpoint with the lowest held-out DPO loss; 0 disables selection and trains on every pair.
    /// </summary>
    public double HeldOutFraction { get; init; }

    public void Validate()
    {
        Training.Validate();
        if (!(Beta > 0) || !double.IsFinite(Beta))
        {
            throw new ArgumentException($"DPO option Beta must be a positive number (got {Beta}).", nameof(Beta));
        }

        if (HeldOutFraction is not (>= 0 and < 0.5))
        {
            throw new ArgumentException($"DPO option HeldOutFraction must be in [0, 0.5) (got {HeldOutFraction}); use 0 to train on every pair.", nameof(HeldOutFraction));
        }

        if (!(NllWeight >= 0) || !double.IsFinite(NllWeight))
        {
            throw new ArgumentException($"DPO option NllWeight must be >= 0 (got {NllWeight}); use 0 to disable the NLL term.", nameof(NllWeight));
        }
    }
}
