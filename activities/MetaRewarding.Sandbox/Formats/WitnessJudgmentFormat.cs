using System.Globalization;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Sandbox.Formats;

/// <summary>
/// The route family's judgment: the <see cref="StepTrace"/> (each step and its verdict, up to the first rejected
/// one), the 5 marks, then — when the edge mark fails — the witness, the step the trace rejected, then
/// <c>Score: k</c>: <c>ab+ bd- +++-+ bd Score: 4</c>, <c>ab+ bd+ de+ +++++ Score: 5</c>. Alignment's
/// <see cref="JudgeScoreParser"/> reads the score and <see cref="JudgmentFormat.TryParseMarks"/> the marks, as for
/// every family; <see cref="TryParseWitness"/> reads the witness.
/// </summary>
public static class WitnessJudgmentFormat
{
    /// <summary>Longest judgment this format produces: the longest trace, 5 marks, a witness and <c>Score: 4</c>.</summary>
    public const int Length = StepTrace.MaxLength + MarksAndWitnessLength;

    /// <summary>The part after the trace at its longest: 5 marks, a witness and <c>Score: 4</c>.</summary>
    public const int MarksAndWitnessLength = 17;

    /// <summary>
    /// The judgment for <paramref name="marks"/> after <paramref name="trace"/>; <paramref name="witness"/> (two
    /// letters) is written only when the mark at <paramref name="witnessedCriterion"/> fails. The score is the marks' sum.
    /// </summary>
    public static string Format(IReadOnlyList<StepVerdict> trace, IReadOnlyList<bool> marks, string? witness, int witnessedCriterion)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(marks);
        if (marks.Count != Rubric.CriterionCount)
        {
            throw new ArgumentException($"A judgment has {Rubric.CriterionCount} marks, got {marks.Count}.", nameof(marks));
        }

        if (witness is not null && witness.Length != 2)
        {
            throw new ArgumentException($"A witness is one step, two letters; got '{witness}'.", nameof(witness));
        }

        var cited = !marks[witnessedCriterion] && witness is not null ? " " + witness : "";
        return StepTrace.Format(trace) + JudgmentFormat.MarkString(marks) + cited + " Score: " + marks.Count(m => m).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The two letters after the marks (<c>ab+ bd- +++-+ bd …</c>), or null when the judgment cites none.</summary>
    public static string? TryParseWitness(ModelCompletion completion)
    {
        var text = completion.Text is { } raw ? StepTrace.Strip(raw) : null;
        var at = Rubric.CriterionCount;
        if (text is null || text.Length < at + 4 || text[at] != ' ' || text[at + 3] != ' ')
        {
            return null;
        }

        var witness = text.Substring(at + 1, 2);
        return witness.All(c => SandboxAlphabet.Letters.Contains(c, StringComparison.Ordinal)) ? witness : null;
    }
}
