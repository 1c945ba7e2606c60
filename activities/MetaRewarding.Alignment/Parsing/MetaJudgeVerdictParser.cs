using System.Text.RegularExpressions;

namespace MetaRewarding.Alignment.Parsing;

/// <summary>
/// Reads the meta-judge's verdict: the LAST <c>Winner: Judgment A</c> or <c>Winner: Judgment B</c>, either
/// spelling (Judgment/Judgement), case-insensitive. Never throws.
/// </summary>
public static partial class MetaJudgeVerdictParser
{
    /// <summary>Parses <paramref name="completion"/>; a missing or malformed verdict is an invalid result with the reason.</summary>
    public static VerdictParseResult Parse(ModelCompletion completion)
    {
        var text = completion.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return VerdictParseResult.Invalid("the meta-judgment is empty");
        }

        var match = VerdictPattern().Match(text);
        if (!match.Success)
        {
            return VerdictParseResult.Invalid("no 'Winner: Judgment A' or 'Winner: Judgment B' line in the meta-judgment");
        }

        var letter = match.Groups[1].ValueSpan[0];
        return VerdictParseResult.Won(letter is 'a' or 'A' ? VerdictPosition.A : VerdictPosition.B);
    }

    // \b after the letter: "Winner: Judgment Alpha" names no position. RightToLeft: the first match is the last.
    [GeneratedRegex(@"winner:\s*judge?ment\s*([ab])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex VerdictPattern();
}
