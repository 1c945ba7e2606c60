namespace MetaRewarding.Modeling.Training;

/// <summary>
/// A training step's loss was not finite, so the step was refused and the weights were not updated. Resuming would
/// replay the same batch on the same weights and fail again; callers that retry (the DPO activity) treat it as
/// final (docs/DESIGN.md, "bad input"). Derives from <see cref="InvalidOperationException"/>, which it used to be.
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    public TrainingDivergedException(double loss, int step)
        : base(
            $"Training loss is {loss} at step {step}; the weights were not updated. Lower the learning rate or check " +
            "the data; the run can resume from its last checkpoint.")
    {
        Loss = loss;
        Step = step;
    }

    public TrainingDivergedException()
        : this(double.NaN, 0)
    {
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The loss that was not finite.</summary>
    public double Loss { get; } = double.NaN;

    /// <summary>The 1-based optimizer step it happened at.</summary>
    public int Step { get; }
}
