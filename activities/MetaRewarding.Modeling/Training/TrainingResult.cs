namespace MetaRewarding.Modeling.Training;

/// <summary>How a training call ended.</summary>
/// <param name="ResumedFromStep">Step of the checkpoint this call started from (0 for a fresh start).</param>
/// <param name="TotalSteps">Optimizer steps of the whole schedule.</param>
/// <param name="Steps">Metrics of the steps this call ran (not those before the resume).</param>
/// <param name="FinalCheckpoint">Folder of the checkpoint written after the last step.</param>
public sealed record TrainingResult(int ResumedFromStep, int TotalSteps, IReadOnlyList<TrainingStepMetrics> Steps, string FinalCheckpoint);
