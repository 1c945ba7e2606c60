using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>A response and the model's judgment of it (the completion only, never the judge prompt).</summary>
public sealed record JudgedResponse(ISandboxTask Task, string Response, ModelCompletion Judgment);
