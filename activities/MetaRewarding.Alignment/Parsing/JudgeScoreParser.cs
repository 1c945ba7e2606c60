using System.Globalization;
using System.Text.RegularExpressions;
using MetaRewarding.Alignment.Datasets;

namespace MetaRewarding.Alignment.Parsing;

/// <summary>
/// Reads the score from a judge's completion: the LAST <c>Score: &lt;number&gt;</c> (case-insensitive), which
/// must lie in [0, 5]. Never throws.
/// </summary>
/// <remarks>
/// The pattern usually given for this format is <c>score:\s*([0-5](\.\d+)?)</c>. Taken literally it reads "Score: 10" as 1 and
/// "Score: 45" as 4. This parser captures the whole number (<c>score:\s*(\d+(\.\d+)?)</c>, ASCII digits) and
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
        if (CompletionFinish.IsTruncated(completion.FinishReason))
        {
            return ScoreParseResult.Invalid(ScoreParseFailure.Truncated, CompletionFinish.Unfinished(completion.FinishReason, "judgment"));
        }

        if (CompletionFinish.IsSkipped(completion.FinishReason))
        {
            return ScoreParseResult.Invalid(ScoreParseFailure.OverContext, CompletionFinish.Unfinished(completion.FinishReason, "judgment"));
        }

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

        var digits = match.Groups[1].ValueSpan;
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var score)
            || score is < MinScore or > MaxScore)
        {
            var shown = digits.Length > 40 ? string.Concat(digits[..40], "...") : digits.ToString();
            return ScoreParseResult.Invalid(ScoreParseFailure.OutOfRange, $"score {shown} is outside [0, 5]");
        }

        return ScoreParseResult.Valid(score);
    }

    [GeneratedRegex(@"score:\s*([0-9]+(?:\.[0-9]+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex ScorePattern();
}
