namespace MetaRewarding.Activities.Contracts;

/// <summary>The result of a run: the seed and every iteration's checkpoint and metrics, and the report.</summary>
public sealed record RunSummary(
    string RunId,
    ArtifactRef SeedModel,
    EvaluationOutput SeedEvaluation,
    IReadOnlyList<IterationSummary> Iterations,
    ArtifactRef Report);
