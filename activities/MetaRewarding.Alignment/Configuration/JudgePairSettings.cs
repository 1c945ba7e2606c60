namespace MetaRewarding.Alignment.Configuration;

/// <summary>How judge preference pairs are built from meta-judge battles (docs/ALGORITHM.md step 5).</summary>
public sealed record JudgePairSettings
{
    /// <summary>Longest chosen judgment allowed (in <see cref="RunConfiguration.LengthUnit"/>); null: no cap. Paper: 1,100 chars in it.1, 1,000 in it.2.</summary>
    public int? ChosenMaxLength { get; init; }

    /// <summary>
    /// Count a pair of judgments' battles only when the meta-judge named the same winner in both orders.
    /// Off by default: the paper counts every valid battle and corrects position bias with ω1/ω2. [choice]
    /// </summary>
    public bool RequireConsistentVerdicts { get; init; }

    /// <summary>
    /// λ of the L2 penalty (λ/2)·Σε² added to the Bradley–Terry fit so it stays finite when one judgment wins
    /// everything, in (0, 1]. [choice]
    /// </summary>
    public double EloL2Penalty { get; init; } = 1e-3;

    /// <summary>
    /// Largest share of the iteration's DPO pairs (actor + judge) that judge pairs may take, in (0, 1]; null: no
    /// cap. One judge pair per prompt beside one actor pair can make judge pairs half the data; a cap keeps the
    /// actor's signal from being diluted. Dropped pairs are chosen by a seeded draw. The paper caps nothing. [choice]
    /// </summary>
    public double? MaxShare { get; init; }

    /// <summary>
    /// Largest share of the judge pairs whose chosen judgment gives one score (a score class), in (0, 1]; null: no
    /// cap. Judges drift towards giving 5 when most chosen judgments give 5 (the paper and NeMo-Aligner report it;
    /// NeMo-Aligner caps each class at 0.4). Each class keeps at most max(1, ⌊share·kept⌋) pairs, the most pairs
    /// that allows, taken round-robin over the classes after a seeded shuffle. [choice]
    /// </summary>
    public double? MaxScoreClassShare { get; init; }

    /// <summary>
    /// Drop a judge pair whose chosen and rejected judgments give the same score: the pair then teaches wording, not
    /// grading. Off by default, as in the paper. [choice]
    /// </summary>
    public bool DropSameScore { get; init; }

    /// <summary>
    /// Remove every <c>Score: n</c> from the judgments shown to the meta-judge, so it compares the reasoning
    /// rather than preferring the higher score (NeMo-Aligner's mitigation of the score bias the paper measures,
    /// 97.7% of battles won by the higher score at iteration 2). Off by default, as in the paper. [choice]
    /// </summary>
    public bool HideScoresFromMetaJudge { get; init; }
}
