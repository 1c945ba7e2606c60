using MetaRewarding.Activities.Contracts;

namespace MetaRewarding.Workflows;

/// <summary>
/// What the <c>progress</c> query answers, for the CLI's <c>status</c> and for people in the UI: the phase,
/// shards done of the current fan-out, training steps, and the latest finished iteration's metrics.
/// </summary>
public sealed record Progress
{
    public string Phase { get; init; } = Phases.Prepare;

    /// <summary>Iteration in progress (0 before iteration 1).</summary>
    public int Iteration { get; init; }

    /// <summary>Iterations scheduled.</summary>
    public int Iterations { get; init; }

    public int ShardsDone { get; init; }

    public int ShardsTotal { get; init; }

    public long TrainingStep { get; init; }

    public long TrainingSteps { get; init; }

    public double? TrainingLoss { get; init; }

    /// <summary>M_0 once it is made (run workflow only): where other runs can start from, e.g. an experiment's arms.</summary>
    public ArtifactRef? SeedModel { get; init; }

    /// <summary>The latest finished iteration, with its metrics; null before the first finishes.</summary>
    public IterationSummary? Latest { get; init; }
}
