using System.Text.RegularExpressions;

namespace MetaRewarding.Alignment.Parsing;

/// <summary>
/// Reads the meta-judge's verdict: the LAST <c>Winner: Judgment A</c> or <c>Winner: Judgment B</c>, either
/// spelling (Judgment/Judgement), case-insensitive, wrapped or not the way chat models write it
/// (<see cref="MarkdownWrapping"/>: <c>Winner: [Judgement A]</c>, <c>Winner: **Judgment A**</c>,
/// <c>**Winner:** Judgment "A"</c>). Never throws.
/// </summary>
public static partial class MetaJudgeVerdictParser
{
    /// <summary>Parses <paramref name="completion"/>; a missing or malformed verdict is an invalid result with the reason.</summary>
    public static VerdictParseResult Parse(ModelCompletion completion) => ParseText(completion.Text);

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

        // RightToLeft: the first match is the last one in the text. The match ends with the letter (the look-ahead after it is empty).
        foreach (var match in VerdictPattern().EnumerateMatches(text))
        {
            var letter = text[match.Index + match.Length - 1];
            return VerdictParseResult.Won(letter is 'a' or 'A' ? VerdictPosition.A : VerdictPosition.B);
        }

        return VerdictParseResult.Invalid("no 'Winner: Judgment A' or 'Winner: Judgment B' line in the meta-judgment");
    }

    // No letter or digit after the position: "Winner: Judgment Alpha" names none. Not \b, which would refuse "__Judgment A__".
    [GeneratedRegex(
        "winner" + MarkdownWrapping.BeforeColon + ":" + MarkdownWrapping.Opening + "judge?ment" + MarkdownWrapping.Opening + @"([ab])(?![a-z0-9])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex VerdictPattern();
}
