namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Learning rate with linear warm-up from 0 to the peak over <see cref="WarmupSteps"/> optimizer steps, then a
/// half-cosine decay to <c>peak × MinRatio</c> at <see cref="TotalSteps"/> (as transformers'
/// get_cosine_schedule_with_warmup, with an optional floor). Warm-up counts from 1, so the first step already
/// moves the weights (transformers' first step has learning rate 0).
/// </summary>
public sealed record CosineSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps, double MinRatio = 0)
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
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return PeakLearningRate * (MinRatio + ((1 - MinRatio) * cosine));
    }
}
