using MetaRewarding.Alignment.Metrics;

namespace MetaRewarding.Activities.Contracts;

/// <summary>The iteration's preference pairs (actor and judge, one JSONL) and what the data looked like.</summary>
public sealed record PairsOutput(ArtifactRef Pairs, IterationMetrics Metrics);
