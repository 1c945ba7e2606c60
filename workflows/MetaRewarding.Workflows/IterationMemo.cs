using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Workflows;

/// <summary>
/// The memo an iteration workflow carries (the UI shows it on its page): its number, whether it trains the judge, ρ,
/// and its sizes. One home for it: the run workflow sets it on each child, `start --iteration` on a lone iteration.
/// </summary>
public static class IterationMemo
{
    public static Dictionary<string, object> For(IterationSettings settings, int iteration, bool trainsJudge)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Dictionary<string, object>
        {
            ["iteration"] = iteration,
            ["trainsJudge"] = trainsJudge,
            ["rho"] = settings.ActorPairs.Rho,
            ["prompts"] = settings.Prompts,
            ["responsesPerPrompt"] = settings.ResponsesPerPrompt,
            ["judgmentsPerResponse"] = settings.JudgmentsPerResponse,
        };
    }
}
