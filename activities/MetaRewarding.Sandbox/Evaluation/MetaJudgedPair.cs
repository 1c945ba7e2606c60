using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>A meta-judge's verdict on two judgments (in the order shown: A first) of one response.</summary>
public sealed record MetaJudgedPair(ISandboxTask Task, string Response, ModelCompletion JudgmentA, ModelCompletion JudgmentB, ModelCompletion MetaJudgment);
