namespace MetaRewarding.Activities.Model;

/// <summary>
/// Heartbeat details of a sampling step: items done out of the shard's total; once done, the prompt tokens the engine
/// computed and those it copied from a shared prefix instead (docs/GENERATION.md, "Shared prefixes").
/// </summary>
public sealed record StepProgress(string Step, long Done, long Total)
{
    /// <summary>Prompt tokens run through the model (0 until the step is done).</summary>
    public long PrefillTokens { get; init; }

    /// <summary>Prompt tokens copied from a prefix another request of the shard already computed (0 until done).</summary>
    public long ReusedPrefixTokens { get; init; }
}

/// <summary>
/// Heartbeat details of training: the optimizer step and the newest checkpoint. A hint only: a new attempt
/// resumes from the newest verified checkpoint in the store (a reset clears heartbeat details). Loss is null before
/// the first step (never NaN: details must serialise with any payload converter).
/// </summary>
public sealed record TrainingHeartbeat(string Phase, long Step, long Steps, double? Loss, string? Checkpoint);
