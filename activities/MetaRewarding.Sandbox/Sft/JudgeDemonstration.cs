using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// A judge demonstration: the response, its true marks, the noisy marks the label shows and, for families whose
/// judgments cite one, the (equally noisy) witness of the failed mark.
/// </summary>
public sealed record JudgeDemonstration(ISandboxTask Task, string Response, bool[] TrueMarks, bool[] LabelMarks)
{
    /// <summary>The witness the label cites (route tasks), or null.</summary>
    public string? Witness { get; init; }

    /// <summary>The label's text in the task's judgment format.</summary>
    public string Label => Task.Judgment(LabelMarks, Witness);
}
