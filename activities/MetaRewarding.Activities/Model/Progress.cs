namespace MetaRewarding.Activities.Model;

/// <summary>Heartbeat details of a sampling step: items done out of the shard's total.</summary>
public sealed record StepProgress(string Step, long Done, long Total);

/// <summary>
/// Heartbeat details of training: the optimizer step and the newest checkpoint. A hint only: a new attempt
/// resumes from the newest verified checkpoint in the store (a reset clears heartbeat details). Loss is null before
/// the first step (never NaN: details must serialise with any payload converter).
/// </summary>
public sealed record TrainingHeartbeat(string Phase, long Step, long Steps, double? Loss, string? Checkpoint);
