using System.Globalization;
using System.Text.RegularExpressions;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Sandbox.Formats;

/// <summary>
/// The route family's meta-judgment: the first point where the two judgments disagree (criterion number 1–5),
/// the step it turns on when that is the edge criterion (the witness one judgment cites), one check (<c>y</c>/<c>n</c>)
/// and the verdict: <c>4 bd y Winner: Judgment B</c> reads "they first disagree on the edges; the cited step bd is
/// really not an edge, so the judgment citing it (B) wins"; <c>2 n Winner: Judgment A</c> reads "they first
/// disagree on the end; the route does not end at the target, so the judgment that failed it (A) wins".
/// The check is one look-up the meta-judge can do; it is not the judge's whole answer (docs/SANDBOX.md,
/// "Honest supervision"). Alignment's <see cref="MetaJudgeVerdictParser"/> reads the verdict.
/// </summary>
public static partial class WitnessMetaJudgmentFormat
{
    /// <summary>Longest meta-judgment this format produces: <c>4 bd y Winner: Judgment A</c>.</summary>
    public const int Length = 25;

    /// <summary>The text for a check of <paramref name="point"/> with outcome <paramref name="holds"/>, then <paramref name="winner"/>.</summary>
    public static string Format(DisagreementPoint point, bool holds, VerdictPosition winner)
    {
        ArgumentNullException.ThrowIfNull(point);
        var letter = winner switch
        {
            VerdictPosition.A => "A",
            VerdictPosition.B => "B",
            _ => throw new ArgumentOutOfRangeException(nameof(winner), winner, "The winner must be A or B."),
        };
        var step = point.Witness is { } witness ? witness + " " : "";
        return string.Create(CultureInfo.InvariantCulture, $"{point.Criterion + 1} {step}{(holds ? 'y' : 'n')} Winner: Judgment {letter}");
    }

    /// <summary>The criterion (0-based), cited step and check at the start of <paramref name="completion"/>, or null.</summary>
    public static (int Criterion, string? Witness, bool Holds)? TryParseCheck(ModelCompletion completion)
    {
        if (completion.Text is not { } text || CheckPattern().Match(text) is not { Success: true } match)
        {
            return null;
        }

        var witness = match.Groups[2].Success ? match.Groups[2].Value : null;
        return (match.Groups[1].Value[0] - '1', witness, match.Groups[3].Value == "y");
    }

    [GeneratedRegex(@"^([1-5]) (?:([a-h]{2}) )?([yn]) ", RegexOptions.CultureInvariant)]
    private static partial Regex CheckPattern();
}

/// <summary>
/// Where two judgments first disagree: a criterion (0-based), and for the witnessed criterion the step whose
/// check decides (the witness of the judgment that failed it, or judgment A's when both did).
/// </summary>
/// <param name="Criterion">The criterion index.</param>
/// <param name="Witness">The cited step, for the witnessed criterion; null otherwise (or when the failing judgment cites none).</param>
/// <param name="ClaimBy">For the witnessed criterion: the judgment whose claim "this step is not an edge" is checked; None otherwise.</param>
public sealed record DisagreementPoint(int Criterion, string? Witness, VerdictPosition ClaimBy);
