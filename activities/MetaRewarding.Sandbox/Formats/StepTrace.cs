using System.Text;
using System.Text.RegularExpressions;

namespace MetaRewarding.Sandbox.Formats;

/// <summary>
/// The route judge's step trace, written before its marks: each step of the route with its verdict, up to and
/// including the first step it rejects, e.g. <c>ab+ bd- </c> (a–b is an edge, b–d is not). One verdict right after
/// each step is what first made this model's judge look steps up in the graph instead of guessing from the route's
/// length (docs/SANDBOX.md, "Can this model learn the look-up at all?"). The same form is the edge drill's
/// completion, so what the drill teaches is what the judgment writes.
/// </summary>
public static partial class StepTrace
{
    /// <summary>Most steps a trace covers: a route over a–h that repeats no node has at most 7.</summary>
    public const int MaxSteps = 7;

    /// <summary>Characters per traced step: two letters, the verdict and a space.</summary>
    public const int StepLength = 4;

    /// <summary>Longest trace: <see cref="MaxSteps"/> × <see cref="StepLength"/>.</summary>
    public const int MaxLength = MaxSteps * StepLength;

    /// <summary>The trace of <paramref name="verdicts"/>, in order (each step two letters).</summary>
    public static string Format(IEnumerable<StepVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var text = new StringBuilder();
        foreach (var (step, accepted) in verdicts)
        {
            if (step is null || step.Length != 2)
            {
                throw new ArgumentException($"A traced step is two letters, got '{step}'.", nameof(verdicts));
            }

            text.Append(step).Append(accepted ? '+' : '-').Append(' ');
        }

        return text.ToString();
    }

    /// <summary>The verdicts at the start of <paramref name="text"/> (none when it does not start with a trace).</summary>
    public static IReadOnlyList<StepVerdict> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = LengthAtStart(text);
        return [.. Enumerable.Range(0, length / StepLength).Select(i => new StepVerdict(text.Substring(i * StepLength, 2), text[(i * StepLength) + 2] == '+'))];
    }

    /// <summary><paramref name="text"/> without the trace it starts with: what the marks' parsers read.</summary>
    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text[LengthAtStart(text)..];
    }

    private static int LengthAtStart(string text) => LeadingTrace().Match(text).Length;

    [GeneratedRegex("^(?:[a-h]{2}[+-] )*", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingTrace();
}

/// <summary>One traced step: the two nodes in route order and whether the judge accepts it as an edge.</summary>
public sealed record StepVerdict(string Step, bool Accepted);
