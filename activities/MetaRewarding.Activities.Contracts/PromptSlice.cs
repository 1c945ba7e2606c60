namespace MetaRewarding.Activities.Contracts;

/// <summary>This iteration's prompts (a disjoint slice of the pool) and how they are sharded.</summary>
/// <param name="Prompts">The slice, JSONL.</param>
/// <param name="Count">Prompts in the slice.</param>
/// <param name="Shards">Generation/judging shards: ceil(Count / shard size).</param>
public sealed record PromptSlice(ArtifactRef Prompts, int Count, int Shards);
