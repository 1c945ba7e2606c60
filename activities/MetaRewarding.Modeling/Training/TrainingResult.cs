namespace MetaRewarding.Modeling.Training;

/// <summary>How a training call ended.</summary>
/// <param name="ResumedFromStep">Step of the checkpoint this call started from (0 for a fresh start).</param>
/// <param name="TotalSteps">Optimizer steps of the whole schedule.</param>
/// <param name="Steps">Metrics of the steps this call ran (not those before the resume).</param>
/// <param name="FinalCheckpoint">Folder of the checkpoint written after the last step.</param>
public sealed record TrainingResult(int ResumedFromStep, int TotalSteps, IReadOnlyList<TrainingStepMetrics> Steps, string FinalCheckpoint)
{
    /// <summary>With checkpoint selection: the checkpoint whose held-out loss was lowest (earliest on ties), else null.</summary>
    public string? BestCheckpoint { get; init; }

    /// <summary>The held-out loss of every checkpoint still on disk, by step (empty without selection).</summary>
    public IReadOnlyDictionary<int, double> HeldOutLosses { get; init; } = new Dictionary<int, double>();
}
