using System.Text.RegularExpressions;
using MetaRewarding.Alignment.Datasets;

namespace MetaRewarding.Alignment.Parsing;

/// <summary>
/// Reads the meta-judge's verdict: the LAST <c>Winner: Judgment A</c> or <c>Winner: Judgment B</c>, either
/// spelling (Judgment/Judgement), case-insensitive. Never throws.
/// </summary>
public static partial class MetaJudgeVerdictParser
{
    /// <summary>Parses <paramref name="completion"/>; a missing or malformed verdict is an invalid result with the reason.</summary>
    public static VerdictParseResult Parse(ModelCompletion completion) => Unfinished(completion.FinishReason) ?? ParseText(completion.Text);

    /// <summary>The invalid verdict of a truncated or skipped meta-judgment (null when it ended by itself): its text gives no verdict.</summary>
    internal static VerdictParseResult? Unfinished(string? finishReason) =>
        CompletionFinish.IsComplete(finishReason) ? null : VerdictParseResult.Invalid(CompletionFinish.Unfinished(finishReason, "meta-judgment"));

    /// <summary>
    /// The same, over the characters of a completion (the dataset reader decodes a meta-judgment's text into a
    /// pooled buffer and keeps only the verdict). Internal so that callers outside go through <see cref="ModelCompletion"/>.
    /// </summary>
    internal static VerdictParseResult ParseText(ReadOnlySpan<char> text)
    {
        if (text.IsWhiteSpace())
        {
            return VerdictParseResult.Invalid("the meta-judgment is empty");
        }

        // RightToLeft: the first match is the last one in the text. The match ends with the letter (\b is empty).
        foreach (var match in VerdictPattern().EnumerateMatches(text))
        {
            var letter = text[match.Index + match.Length - 1];
            return VerdictParseResult.Won(letter is 'a' or 'A' ? VerdictPosition.A : VerdictPosition.B);
        }

        return VerdictParseResult.Invalid("no 'Winner: Judgment A' or 'Winner: Judgment B' line in the meta-judgment");
    }

    // \b after the letter: "Winner: Judgment Alpha" names no position.
    [GeneratedRegex(@"winner:\s*judge?ment\s*([ab])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex VerdictPattern();
}
