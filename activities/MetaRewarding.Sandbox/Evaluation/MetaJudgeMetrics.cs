namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// Meta-judge diagnostics (docs/SANDBOX.md "Measuring"): is it right, and does it take the shortcuts the paper
/// reports (prefer the higher score, prefer position A)?
/// </summary>
/// <param name="Pairs">Pairs evaluated.</param>
/// <param name="ParseRate">Verdicts that parse (<c>Winner: Judgment A|B</c>).</param>
/// <param name="Accuracy">Picked the oracle's better judgment, over pairs the oracle can decide (different <see cref="JudgmentError"/>); an unparsable verdict counts as wrong.</param>
/// <param name="HigherScorePreference">Picked the higher-scored judgment, over parsed verdicts on pairs whose two scores parse and differ (0.5 = no bias; the paper saw 0.977).</param>
/// <param name="HigherScoreIsBetter">How often the higher-scored judgment is the oracle's better one, over decided pairs with different scores: the shortcut's payoff on this data.</param>
/// <param name="AccuracyWhenLowerIsBetter">Accuracy on decided pairs where the lower-scored judgment is better: low means the meta-judge rewards leniency.</param>
/// <param name="PositionARate">Picked position A, over parsed verdicts (0.5 = no position bias).</param>
/// <param name="OwnMarkAccuracy">Share of the reasoning form's own marks that match the truth, over meta-judgments whose reasoning parses.</param>
public sealed record MetaJudgeMetrics(
    int Pairs,
    Ratio ParseRate,
    Ratio Accuracy,
    Ratio HigherScorePreference,
    Ratio HigherScoreIsBetter,
    Ratio AccuracyWhenLowerIsBetter,
    Ratio PositionARate,
    Ratio OwnMarkAccuracy);
