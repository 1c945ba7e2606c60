using System.Globalization;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Sandbox.Formats;

/// <summary>
/// The compact judgment: one mark per criterion (<c>+</c> met, <c>-</c> not), then <c>Score: k</c>, e.g.
/// <c>++-+- Score: 3</c>. The marks are a short reasoning trace; Alignment's <see cref="JudgeScoreParser"/>
/// reads the score, <see cref="TryParseMarks"/> the marks (for per-criterion diagnostics).
/// </summary>
public static class JudgmentFormat
{
    /// <summary>Longest judgment this format produces: 5 marks, a space and <c>Score: 5</c>.</summary>
    public const int Length = 14;

    /// <summary>The judgment for <paramref name="marks"/>; the score is their sum, so the two always agree.</summary>
    public static string Format(IReadOnlyList<bool> marks)
    {
        ArgumentNullException.ThrowIfNull(marks);
        if (marks.Count != Rubric.CriterionCount)
        {
            throw new ArgumentException($"A judgment has {Rubric.CriterionCount} marks, got {marks.Count}.", nameof(marks));
        }

        return MarkString(marks) + " Score: " + marks.Count(m => m).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>+</c>/<c>-</c> per mark.</summary>
    public static string MarkString(IReadOnlyList<bool> marks)
    {
        ArgumentNullException.ThrowIfNull(marks);
        return new string([.. marks.Select(m => m ? '+' : '-')]);
    }

    /// <summary>
    /// The marks at the start of <paramref name="completion"/> (5 characters of <c>+</c>/<c>-</c>), or null when
    /// it does not start with them. The score is read separately with <see cref="JudgeScoreParser"/>; the two
    /// may disagree in a model's output, and that is the model's error to measure, not to repair.
    /// </summary>
    public static bool[]? TryParseMarks(ModelCompletion completion)
    {
        var text = completion.Text;
        if (text is null || text.Length < Rubric.CriterionCount)
        {
            return null;
        }

        var marks = new bool[Rubric.CriterionCount];
        for (var i = 0; i < marks.Length; i++)
        {
            switch (text[i])
            {
                case '+':
                    marks[i] = true;
                    break;
                case '-':
                    marks[i] = false;
                    break;
                default:
                    return null;
            }
        }

        return marks;
    }
}
