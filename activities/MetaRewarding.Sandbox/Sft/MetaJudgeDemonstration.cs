using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// A meta-judge demonstration: two judgments of one response and the winner, the judgment with fewer wrong
/// marks against the truth (ties are never generated).
/// </summary>
public sealed record MetaJudgeDemonstration(
    ISandboxTask Task,
    string Response,
    bool[] TrueMarks,
    bool[] MarksA,
    bool[] MarksB,
    JudgmentBias BiasA,
    JudgmentBias BiasB,
    VerdictPosition Winner)
{
    /// <summary>Number of A's marks that differ from the truth.</summary>
    public int ErrorsA => MarkErrors.Count(MarksA, TrueMarks);

    /// <summary>Number of B's marks that differ from the truth.</summary>
    public int ErrorsB => MarkErrors.Count(MarksB, TrueMarks);
}
