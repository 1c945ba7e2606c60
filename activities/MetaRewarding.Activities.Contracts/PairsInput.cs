namespace MetaRewarding.Activities.Contracts;

/// <summary>Every shard's outputs of one iteration, for building its preference pairs.</summary>
public sealed record PairsInput(
    IterationContext Context,
    IReadOnlyList<ArtifactRef> Responses,
    IReadOnlyList<ArtifactRef> Judgments,
    IReadOnlyList<ArtifactRef> MetaJudgments);
