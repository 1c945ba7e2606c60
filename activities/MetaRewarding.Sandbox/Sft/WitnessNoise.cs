using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// The witness a noisy route judgment cites. The label noise is the marks' own rate: with the flip rate the cited
/// step is a wrong one (another step of the route), so a witness is no cleaner than a mark (docs/SANDBOX.md,
/// "Honest supervision").
/// </summary>
public static class WitnessNoise
{
    /// <summary>
    /// The witness for a judgment whose edge mark is <paramref name="edgesMark"/>: none when it passes the route;
    /// otherwise the first non-edge step, replaced by another step of the route with probability
    /// <paramref name="flipRate"/> (or always, when every step is an edge and the mark itself is the error).
    /// </summary>
    public static string? Cite(RouteTask task, string response, bool edgesMark, double flipRate, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(random);
        if (edgesMark)
        {
            return null;
        }

        var answer = AnswerExtraction.Extract(response, task.AnswerSymbols).Answer;
        var steps = Enumerable.Range(0, Math.Max(0, answer.Length - 1)).Select(i => answer.Substring(i, 2)).ToList();
        if (steps.Count == 0)
        {
            return null;
        }

        var first = task.FirstInvalidStep(response);
        if (first is not null && !random.Chance(flipRate))
        {
            return first;
        }

        var others = steps.Where(s => !string.Equals(s, first, StringComparison.Ordinal)).ToList();
        return random.Choose(others.Count > 0 ? others : steps);
    }
}
