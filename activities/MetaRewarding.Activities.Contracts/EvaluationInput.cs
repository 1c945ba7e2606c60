namespace MetaRewarding.Activities.Contracts;

/// <summary>Evaluates a checkpoint on held-out prompts (label: <c>seed</c> or <c>iteration-t</c>).</summary>
public sealed record EvaluationInput(string RunId, ArtifactRef Run, ArtifactRef Model, string Label);
