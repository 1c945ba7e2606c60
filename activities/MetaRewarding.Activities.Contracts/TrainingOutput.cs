namespace MetaRewarding.Activities.Contracts;

/// <summary>The trained checkpoint and a summary of its training.</summary>
/// <param name="Model">The checkpoint M_{t+1} (Hugging Face layout, hashed).</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Pairs">Preference pairs trained on.</param>
/// <param name="MeanLoss">Mean DPO loss over the last epoch (NaN when there were no pairs).</param>
/// <param name="RewardAccuracy">Fraction of pairs whose implicit reward ranks chosen above rejected, last epoch.</param>
/// <param name="RewardMargin">Mean chosen − rejected implicit reward, last epoch.</param>
public sealed record TrainingOutput(ArtifactRef Model, long Steps, long Pairs, double MeanLoss, double RewardAccuracy, double RewardMargin);
