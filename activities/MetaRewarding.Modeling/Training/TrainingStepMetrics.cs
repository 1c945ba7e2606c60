namespace MetaRewarding.Modeling.Training;

/// <summary>What one optimizer step did; reported through <see cref="IProgress{T}"/> after each step.</summary>
/// <param name="Step">1-based count of optimizer steps done so far.</param>
/// <param name="TotalSteps">Optimizer steps of the whole schedule.</param>
/// <param name="Epoch">0-based epoch the step's batch came from.</param>
/// <param name="Loss">Batch loss (the objective's mean, including any NLL term).</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="LearningRate">Learning rate used by this step.</param>
/// <param name="TokensPerSecond">Real (non-padding) tokens through the trained model per second of step time.</param>
/// <param name="Dpo">DPO-specific figures; null for SFT.</param>
public sealed record TrainingStepMetrics(
    int Step,
    int TotalSteps,
    int Epoch,
    double Loss,
    double GradNorm,
    double LearningRate,
    double TokensPerSecond,
    DpoStepMetrics? Dpo);

/// <summary>Batch means of the DPO figures TRL logs.</summary>
/// <param name="ChosenReward">β·(log π − log ref) of the chosen completions.</param>
/// <param name="RejectedReward">β·(log π − log ref) of the rejected completions.</param>
/// <param name="Accuracy">Fraction of pairs whose chosen reward exceeds the rejected one.</param>
/// <param name="Margin">Chosen minus rejected reward.</param>
/// <param name="Nll">Length-normalised NLL of the chosen completions (before the NLL weight).</param>
public sealed record DpoStepMetrics(double ChosenReward, double RejectedReward, double Accuracy, double Margin, double Nll);
