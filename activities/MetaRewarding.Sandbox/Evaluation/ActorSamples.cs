using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>The actor's outputs for one evaluation prompt: its greedy response and its sampled responses (all prompts need the same number of samples).</summary>
public sealed record ActorSamples(ISandboxTask Task, string Greedy, IReadOnlyList<string> Samples);
