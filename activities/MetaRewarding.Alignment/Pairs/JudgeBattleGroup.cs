using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Elo;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// One prompt's selected response, its battled judgments and the battle outcomes, kept until the iteration's
/// positional-bias weights are known (they need every battle of the iteration).
/// </summary>
internal sealed record JudgeBattleGroup(
    PromptRecord Prompt,
    ResponseRecord Response,
    JudgmentRecord[] Judgments,
    double[] JudgmentScores,
    int[] JudgmentLengths,
    BattleOutcome[] Outcomes);
