namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// What <see cref="IRunActivities.PrepareRunAsync"/> returns: the validated run written to the store (every
/// later activity reads its settings from there, so a payload never carries them twice) and the prompt pool.
/// </summary>
/// <param name="Run">The run input as validated, JSON (<c>runs/{id}/run.json</c>).</param>
/// <param name="PromptPool">The prompt pool, JSONL (<c>runs/{id}/prompts.jsonl</c>).</param>
/// <param name="PromptPoolSize">Prompts in the pool.</param>
public sealed record RunSnapshot(ArtifactRef Run, ArtifactRef PromptPool, long PromptPoolSize);
