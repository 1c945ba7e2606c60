namespace MetaRewarding.Activities.Contracts;

/// <summary>Where an iteration's activity stands: which run, which iteration, which model M_t.</summary>
/// <param name="RunId">The run (names its folder in the store).</param>
/// <param name="Run">The validated run snapshot (settings are read from it).</param>
/// <param name="Iteration">Iteration t, 1-based as in the paper.</param>
/// <param name="Model">The checkpoint M_t this iteration samples from and starts training at.</param>
public sealed record IterationContext(string RunId, ArtifactRef Run, int Iteration, ArtifactRef Model);
