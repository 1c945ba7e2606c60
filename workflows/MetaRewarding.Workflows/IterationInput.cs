using MetaRewarding.Activities.Contracts;

namespace MetaRewarding.Workflows;

/// <summary>The input of one iteration's child workflow.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Snapshot">The validated run snapshot and prompt pool.</param>
/// <param name="Iteration">t, 1-based.</param>
/// <param name="TrainsJudge">Whether this iteration meta-judges and builds judge pairs (the schedule says).</param>
/// <param name="Model">M_t.</param>
/// <param name="TaskQueues">Where to send activities.</param>
public sealed record IterationInput(
    string RunId,
    RunSnapshot Snapshot,
    int Iteration,
    bool TrainsJudge,
    ArtifactRef Model,
    TaskQueues TaskQueues)
{
    /// <summary>The run's heartbeat timeouts (absent in histories recorded before they existed: the defaults).</summary>
    public ActivityTimeouts Timeouts { get; init; } = new();
}
