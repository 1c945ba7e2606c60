using System.Globalization;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Sandbox.Formats;

/// <summary>
/// The route family's judgment: the 5 marks, then — when the edge mark fails — the witness, the first step
/// of the route that is not an edge, then <c>Score: k</c>: <c>+++-+ bd Score: 4</c>, <c>+++++ Score: 5</c>.
/// Alignment's <see cref="JudgeScoreParser"/> reads the score and <see cref="JudgmentFormat.TryParseMarks"/> the
/// marks, as for every family; <see cref="TryParseWitness"/> reads the witness.
/// </summary>
public static class WitnessJudgmentFormat
{
    /// <summary>Longest judgment this format produces: 5 marks, a witness and <c>Score: 4</c>.</summary>
    public const int Length = 17;

    /// <summary>
    /// The judgment for <paramref name="marks"/>; <paramref name="witness"/> (two letters) is written only when the
    /// mark at <paramref name="witnessedCriterion"/> fails. The score is the marks' sum.
    /// </summary>
    public static string Format(IReadOnlyList<bool> marks, string? witness, int witnessedCriterion)
    {
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
        return JudgmentFormat.MarkString(marks) + cited + " Score: " + marks.Count(m => m).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The two letters after the marks (<c>+++-+ bd …</c>), or null when the judgment cites none.</summary>
    public static string? TryParseWitness(ModelCompletion completion)
    {
        var text = completion.Text;
        var at = Rubric.CriterionCount;
        if (text is null || text.Length < at + 4 || text[at] != ' ' || text[at + 3] != ' ')
        {
            return null;
        }

        var witness = text.Substring(at + 1, 2);
        return witness.All(c => SandboxAlphabet.Letters.Contains(c, StringComparison.Ordinal)) ? witness : null;
    }
}
