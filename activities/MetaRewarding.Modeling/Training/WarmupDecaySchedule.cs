namespace MetaRewarding.Modeling.Training;

/// <summary>How the learning rate falls from its peak to its floor after warm-up.</summary>
public enum DecayShape
{
    /// <summary>Half a cosine (transformers' get_cosine_schedule_with_warmup).</summary>
    Cosine,

    /// <summary>A straight line (transformers' get_linear_schedule_with_warmup).</summary>
    Linear,
}

/// <summary>
/// Learning rate with linear warm-up from 0 to the peak over <see cref="WarmupSteps"/> optimizer steps, then a
/// cosine or linear decay to <c>peak × MinRatio</c> at <see cref="TotalSteps"/> (as transformers'
/// get_cosine_schedule_with_warmup / get_linear_schedule_with_warmup, with an optional floor; MinRatio 1 is the
/// constant schedule). Warm-up counts from 1, so the first step already moves the weights (transformers' first
/// step has learning rate 0).
/// </summary>
public sealed record WarmupDecaySchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps, double MinRatio = 0, DecayShape Shape = DecayShape.Cosine)
{
    /// <summary>The learning rate used by optimizer step <paramref name="step"/> (0-based).</summary>
    public double LearningRateAt(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return PeakLearningRate * (step + 1) / WarmupSteps;
        }

        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        var remaining = Shape == DecayShape.Linear ? 1 - progress : 0.5 * (1 + Math.Cos(Math.PI * progress));
        return PeakLearningRate * (MinRatio + ((1 - MinRatio) * remaining));
    }
}
