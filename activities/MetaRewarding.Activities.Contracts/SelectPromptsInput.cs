namespace MetaRewarding.Activities.Contracts;

/// <summary>Iteration t's slice of the prompt pool: prompts [(t−1)·P, t·P) of the pool, P = the iteration's prompt count.</summary>
public sealed record SelectPromptsInput(IterationContext Context, ArtifactRef PromptPool);
