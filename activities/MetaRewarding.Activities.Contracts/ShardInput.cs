namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// One shard of a fanned-out model step. <paramref name="Inputs"/> are the artifacts the step reads (for
/// generation: the prompt slice; for judging: this shard's responses; for meta-judging: this shard's responses
/// and judgments). The output path and the sampling seed derive from (run, iteration, step, shard), so a retried
/// or reset shard writes the same artifact.
/// </summary>
public sealed record ShardInput(IterationContext Context, IReadOnlyList<ArtifactRef> Inputs, int Shard, int ShardCount);
