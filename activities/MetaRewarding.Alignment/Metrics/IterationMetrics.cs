namespace MetaRewarding.Alignment.Metrics;

/// <summary>
/// What one iteration's data looked like (docs/ALGORITHM.md, step 7), as written to the metrics
/// report. Rates are NaN when their denominator is zero (serialised as the string "NaN").
/// </summary>
public sealed record IterationMetrics
{
    /// <summary>Iteration number, 1-based.</summary>
    public int Iteration { get; init; }

    /// <summary>Prompts in the iteration's slice.</summary>
    public long Prompts { get; init; }

    /// <summary>Prompts that had no response at all.</summary>
    public long PromptsWithoutResponses { get; init; }

    /// <summary>Responses kept (after dropping exact duplicates).</summary>
    public long Responses { get; init; }

    /// <summary>Responses dropped because a previous response to the same prompt had the identical text.</summary>
    public long DuplicateResponsesDropped { get; init; }

    /// <summary>Judgments of the kept responses.</summary>
    public long Judgments { get; init; }

    /// <summary>Judgments without a valid score.</summary>
    public long InvalidJudgments { get; init; }

    /// <summary>InvalidJudgments / Judgments: the judge's health.</summary>
    public double InvalidJudgmentRate { get; init; }

    /// <summary>Invalid judgments by reason (empty, noScore, outOfRange).</summary>
    public IReadOnlyDictionary<string, long> InvalidJudgmentsByReason { get; init; } = new Dictionary<string, long>();

    /// <summary>Judgments of dropped duplicate responses, ignored (0 when the judging step skipped the duplicates, as JudgeResponses does).</summary>
    public long JudgmentsOfDuplicateResponses { get; init; }

    /// <summary>Mean over scored responses of their mean judgment score.</summary>
    public double MeanResponseScore { get; init; }

    /// <summary>Mean response length in the run's length unit.</summary>
    public double MeanResponseLength { get; init; }

    /// <summary>Actor preference pairs made.</summary>
    public long ActorPairs { get; init; }

    /// <summary>Prompts without an actor pair, by reason.</summary>
    public IReadOnlyDictionary<string, long> ActorSkips { get; init; } = new Dictionary<string, long>();

    /// <summary>Judge preference pairs made (0 when the iteration does not train the judge).</summary>
    public long JudgePairs { get; init; }

    /// <summary>Prompts without a judge pair, by reason (including the iteration-wide caps, judgeShareCap and scoreClassCap).</summary>
    public IReadOnlyDictionary<string, long> JudgeSkips { get; init; } = new Dictionary<string, long>();

    /// <summary>Judge pairs made, by the score their chosen judgment gives ("5", "4", "3.5", ...): a judge drifting to 5 shows here first.</summary>
    public IReadOnlyDictionary<string, long> JudgePairChosenScores { get; init; } = new Dictionary<string, long>();

    /// <summary>Meta-judgments read (battles).</summary>
    public long MetaJudgments { get; init; }

    /// <summary>Meta-judgments without a parseable verdict.</summary>
    public long InvalidMetaJudgments { get; init; }

    /// <summary>ω1, the weight of a win in the first position.</summary>
    public double Omega1 { get; init; } = 0.5;

    /// <summary>ω2, the weight of a win in the second position.</summary>
    public double Omega2 { get; init; } = 0.5;

    /// <summary>Fraction of valid battles won by the judgment in the first position (paper, it.2: 68.1%).</summary>
    public double MetaJudgeFirstPositionRate { get; init; }

    /// <summary>Among valid battles between judgments with different scores, the fraction won by the higher score (paper, it.2: 97.7%).</summary>
    public double MetaJudgeHigherScoreRate { get; init; }

    /// <summary>Elo fits run.</summary>
    public long EloFits { get; init; }

    /// <summary>Elo fits whose top rating two or more judgments shared (the lowest index was chosen): ties the fit could not settle.</summary>
    public long EloTopTies { get; init; }

    /// <summary>Elo fits whose bottom rating two or more judgments shared (the lowest index was rejected).</summary>
    public long EloBottomTies { get; init; }

    /// <summary>Most Newton iterations any Elo fit needed.</summary>
    public int EloMaxIterations { get; init; }

    /// <summary>Mean Newton iterations per Elo fit.</summary>
    public double EloMeanIterations { get; init; }

    /// <summary>Dataset lines skipped as malformed (under the skip-and-count policy).</summary>
    public long MalformedLines { get; init; }

    /// <summary>The first malformed-line messages, <c>file:line: reason</c>.</summary>
    public IReadOnlyList<string> MalformedLineMessages { get; init; } = [];
}
