using System.Globalization;
using System.Text.RegularExpressions;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Sandbox.Formats;

/// <summary>
/// The reasoning-form meta-judgment: the meta-judge's own 5 marks, the number of marks judgment A and judgment B
/// get wrong against them, then the verdict, e.g. <c>++-+- 0 2 Winner: Judgment A</c>. docs/SANDBOX.md: the
/// verdict-only form never learned at 339k parameters; this short trace did. Alignment's
/// <see cref="MetaJudgeVerdictParser"/> reads the verdict; <see cref="TryParseReasoning"/> reads the rest.
/// </summary>
public static partial class MetaJudgmentFormat
{
    /// <summary>Longest meta-judgment this format produces: <c>+++++ 5 5 Winner: Judgment A</c>.</summary>
    public const int Length = 28;

    /// <summary>The meta-judgment text. <paramref name="winner"/> must be A or B.</summary>
    public static string Format(IReadOnlyList<bool> ownMarks, int errorsA, int errorsB, VerdictPosition winner)
    {
        ArgumentNullException.ThrowIfNull(ownMarks);
        if (ownMarks.Count != Rubric.CriterionCount)
        {
            throw new ArgumentException($"A meta-judgment has {Rubric.CriterionCount} own marks, got {ownMarks.Count}.", nameof(ownMarks));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(errorsA);
        ArgumentOutOfRangeException.ThrowIfNegative(errorsB);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorsA, Rubric.CriterionCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorsB, Rubric.CriterionCount);
        var letter = winner switch
        {
            VerdictPosition.A => "A",
            VerdictPosition.B => "B",
            _ => throw new ArgumentOutOfRangeException(nameof(winner), winner, "The winner must be A or B."),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{JudgmentFormat.MarkString(ownMarks)} {errorsA} {errorsB} Winner: Judgment {letter}");
    }

    /// <summary>The own marks and error counts at the start of <paramref name="completion"/>, or null when they are not there.</summary>
    public static MetaJudgmentReasoning? TryParseReasoning(ModelCompletion completion)
    {
        var text = completion.Text;
        if (text is null)
        {
            return null;
        }

        var match = ReasoningPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var marks = JudgmentFormat.TryParseMarks(new ModelCompletion(match.Groups[1].Value))!;
        return new MetaJudgmentReasoning(marks, match.Groups[2].Value[0] - '0', match.Groups[3].Value[0] - '0');
    }

    [GeneratedRegex(@"^([+-]{5}) ([0-5]) ([0-5]) ", RegexOptions.CultureInvariant)]
    private static partial Regex ReasoningPattern();
}

/// <summary>The reasoning part of a meta-judgment: its own marks and each judgment's number of wrong marks.</summary>
public sealed record MetaJudgmentReasoning(bool[] OwnMarks, int ErrorsA, int ErrorsB);
