using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>A judge demonstration: the response, its true marks, and the noisy marks the label shows.</summary>
public sealed record JudgeDemonstration(ISandboxTask Task, string Response, bool[] TrueMarks, bool[] LabelMarks);
