using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// How wrong a judgment is, ordered: first the number of wrong marks, then the score's distance from the true
/// score. The oracle prefers the smaller. A judgment without marks counts all 5 as wrong; one without a valid
/// score is worse than any judgment with one.
/// </summary>
public readonly record struct JudgmentError(int WrongMarks, double ScoreDistance) : IComparable<JudgmentError>
{
    // Worse than every parsable judgment, including one with all marks and its witness wrong.
    private const int Unparsable = Rubric.CriterionCount + 2;

    /// <summary>The error of <paramref name="judgment"/> against <paramref name="truth"/>.</summary>
    public static JudgmentError Of(ModelCompletion judgment, IReadOnlyList<bool> truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        var score = JudgeScoreParser.Parse(judgment);
        if (!score.IsValid)
        {
            return new JudgmentError(Unparsable, Unparsable);
        }

        var marks = JudgmentFormat.TryParseMarks(judgment);
        var wrong = marks is null ? Rubric.CriterionCount : MarkErrors.Count(marks, truth);
        return new JudgmentError(wrong, Math.Abs(score.Score - truth.Count(m => m)));
    }

    public int CompareTo(JudgmentError other)
    {
        var byMarks = WrongMarks.CompareTo(other.WrongMarks);
        return byMarks != 0 ? byMarks : ScoreDistance.CompareTo(other.ScoreDistance);
    }

    public static bool operator <(JudgmentError left, JudgmentError right) => left.CompareTo(right) < 0;

    public static bool operator >(JudgmentError left, JudgmentError right) => left.CompareTo(right) > 0;

    public static bool operator <=(JudgmentError left, JudgmentError right) => left.CompareTo(right) <= 0;

    public static bool operator >=(JudgmentError left, JudgmentError right) => left.CompareTo(right) >= 0;
}
