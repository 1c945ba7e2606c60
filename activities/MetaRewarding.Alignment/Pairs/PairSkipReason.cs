namespace MetaRewarding.Alignment.Pairs;

/// <summary>Why a prompt gave no preference pair (counted per reason in the iteration metrics).</summary>
public enum PairSkipReason
{
    /// <summary>Not skipped: a pair was made.</summary>
    None = 0,

    /// <summary>Actor: no response of the prompt has a valid judgment score.</summary>
    NoValidScores = 1,

    /// <summary>Actor: S_max = S_min, every scored response scored the same.</summary>
    AllScoresEqual = 2,

    /// <summary>Actor: the chosen and the rejected response are the same response, or have identical texts.</summary>
    ChosenEqualsRejected = 3,

    /// <summary>Actor: the chosen (shortest top-tier) response is longer than the iteration's cap.</summary>
    ChosenResponseOverCap = 4,

    /// <summary>Actor: score(chosen) − score(rejected) is below the configured minimum gap.</summary>
    ScoreGapBelowMinimum = 5,

    /// <summary>Judge: no response of the prompt has ≥ 2 distinct valid judgments to battle.</summary>
    TooFewDistinctJudgments = 6,

    /// <summary>Judge: no meta-judge battle of the selected response gave a valid, counted verdict.</summary>
    NoValidBattles = 7,

    /// <summary>Judge: the highest and lowest Elo ratings tie.</summary>
    EloTie = 8,

    /// <summary>Judge: the chosen and the rejected judgment have identical texts.</summary>
    IdenticalJudgments = 9,

    /// <summary>Judge: the chosen judgment is longer than the iteration's cap.</summary>
    ChosenJudgmentOverCap = 10,

    /// <summary>Judge: the meta-judgments on file are for another response than the one selected, or missing.</summary>
    MetaJudgmentsMismatch = 11,

    /// <summary>Judge: some response has ≥ 2 distinct valid judgments, but every such response's judgments give the same score (variance 0): nothing for the meta-judge to settle.</summary>
    JudgmentsAgree = 12,

    /// <summary>Judge: the chosen and the rejected judgment give the same score and <c>judgePairs.dropSameScore</c> is on.</summary>
    SameScoreJudgments = 13,

    /// <summary>Judge: the pair was beyond <c>judgePairs.maxShare</c> of the iteration's DPO pairs (a seeded draw picked it).</summary>
    JudgeShareCap = 14,

    /// <summary>Judge: its chosen score class already held <c>judgePairs.maxScoreClassShare</c> of the judge pairs (a seeded draw picked it).</summary>
    ScoreClassCap = 15,
}
