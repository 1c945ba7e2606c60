using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>A fixed response with its true marks, for measuring a judge.</summary>
public sealed record LabelledResponse(ISandboxTask Task, string Response, bool[] TrueMarks)
{
    /// <summary>The true score.</summary>
    public int TrueScore => TrueMarks.Count(m => m);
}
