using System.Globalization;
using System.Text.RegularExpressions;

namespace MetaRewarding.Alignment.Parsing;

/// <summary>
/// Reads the score from a judge's completion: the LAST <c>Score: &lt;number&gt;</c> (case-insensitive), which
/// must lie in [0, 5]. Never throws. The label and the number may be wrapped the way chat models write them
/// (<see cref="MarkdownWrapping"/>: <c>**Score:** 4</c>, <c>Score: **4**</c>, <c>Score: [4]</c>, <c>Score: `4`</c>),
/// and the number may be followed by its scale, <c>4/5</c> or <c>4 out of 5</c>; a scale other than 5
/// (<c>Score: 8/10</c>) is out of range rather than read as 8.
/// </summary>
/// <remarks>
/// The pattern usually given for this format is <c>score:\s*([0-5](\.\d+)?)</c>. Taken literally it reads "Score: 10" as 1 and
/// "Score: 45" as 4. This parser captures the whole number (ASCII digits, an optional decimal part) and
/// then range-checks it, so those are reported as out of range instead of silently truncated; on every
/// number in [0, 5] both patterns agree. [choice]
/// </remarks>
public static partial class JudgeScoreParser
{
    /// <summary>Lowest score the rubric gives.</summary>
    public const double MinScore = 0;

    /// <summary>Highest score the rubric gives.</summary>
    public const double MaxScore = 5;

    /// <summary>Parses <paramref name="completion"/>; the reason is in the result when there is no valid score.</summary>
    public static ScoreParseResult Parse(ModelCompletion completion)
    {
        var text = completion.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return ScoreParseResult.Invalid(ScoreParseFailure.Empty, "the judgment is empty");
        }

        // RightToLeft: the first match found is the last in the text, so a long judgment is scanned from its end.
        var match = ScorePattern().Match(text);
        if (!match.Success)
        {
            return ScoreParseResult.Invalid(ScoreParseFailure.NoScore, "no 'Score: <number>' line in the judgment");
        }

        var scale = match.Groups[2];
        if (scale.Success && !(double.TryParse(scale.ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var outOf) && outOf == MaxScore))
        {
            return ScoreParseResult.Invalid(ScoreParseFailure.OutOfRange, $"score {Shown(match.Groups[1].ValueSpan)}/{Shown(scale.ValueSpan)} is not on the 0-5 scale");
        }

        var digits = match.Groups[1].ValueSpan;
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var score)
            || score is < MinScore or > MaxScore)
        {
            return ScoreParseResult.Invalid(ScoreParseFailure.OutOfRange, $"score {Shown(digits)} is outside [0, 5]");
        }

        return ScoreParseResult.Valid(score);
    }

    /// <summary>
    /// <paramref name="completion"/> with every <c>Score: n</c> this parser would read removed (wrapping and scale
    /// included), for showing judgments to the meta-judge without their scores (<c>judgePairs.hideScoresFromMetaJudge</c>).
    /// </summary>
    public static string WithoutScores(ModelCompletion completion) => WrappedScorePattern().Replace(completion.Text ?? "", "").TrimEnd();

    private static string Shown(ReadOnlySpan<char> digits) => digits.Length > 40 ? string.Concat(digits[..40], "...") : digits.ToString();

    // Group 1: the score; group 2: the scale after '/' or 'out of', when there is one.
    private const string Score =
        "score" + MarkdownWrapping.BeforeColon + ":" + MarkdownWrapping.Opening + @"([0-9]+(?:\.[0-9]+)?)"
        + "(?:" + MarkdownWrapping.Closing + @"(?:/|out\s+of)\s*([0-9]+(?:\.[0-9]+)?))?";

    [GeneratedRegex(Score, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex ScorePattern();

    // The same with the marks around it (the "**" of "**Score:** 4**"), so that removing it leaves no stray marks.
    [GeneratedRegex(MarkdownWrapping.OpeningMarks + Score + MarkdownWrapping.ClosingMarks, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WrappedScorePattern();
}
