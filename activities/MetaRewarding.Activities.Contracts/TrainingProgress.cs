namespace MetaRewarding.Activities.Contracts;

/// <summary>Sent by a training activity to its workflow (as a signal) so the progress query can show it.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Steps">Optimizer steps in all.</param>
/// <param name="Loss">Latest step loss.</param>
public sealed record TrainingProgress(long Step, long Steps, double Loss);
