using MetaRewarding.Activities.Contracts;

namespace MetaRewarding.Activities.Reports;

/// <summary>
/// <c>runs/{id}/report.json</c>: the seed row and one row per finished iteration. Field names are fixed (the
/// issue, dashboards and the CLI read them); a figure that was not measured, or is undefined (a rate over nothing),
/// is null.
/// </summary>
public sealed record RunReport
{
    public const int FormatVersion = 1;

    public int Version { get; init; } = FormatVersion;

    public required string RunId { get; init; }

    /// <summary>The run's length unit (<c>characters</c> or <c>tokens</c>): the unit of <see cref="ReportRow.MeanResponseLength"/>.</summary>
    public required string LengthUnit { get; init; }

    /// <summary>M_0, evaluated before any iteration (index 0).</summary>
    public required ReportRow Seed { get; init; }

    /// <summary>Iterations 1..t so far, in order.</summary>
    public required IReadOnlyList<ReportRow> Iterations { get; init; }

    /// <summary>Seed first, then the iterations: the rows of the table and the points of the plots.</summary>
    public IEnumerable<ReportRow> Rows() => [Seed, .. Iterations];
}

/// <summary>One checkpoint's row: the data and training that produced it (iterations only) and its evaluation.</summary>
public sealed record ReportRow
{
    /// <summary>0 for the seed, t for iteration t.</summary>
    public required int Index { get; init; }

    /// <summary><c>seed</c> or <c>iteration-t</c>.</summary>
    public required string Label { get; init; }

    /// <summary>Whether the iteration built judge pairs (null for the seed).</summary>
    public bool? TrainedJudge { get; init; }

    // Data of the iteration (IterationMetrics).
    public long? Prompts { get; init; }

    public long? Responses { get; init; }

    public long? ActorPairs { get; init; }

    public long? JudgePairs { get; init; }

    /// <summary>Judgments without a valid score / judgments, on the iteration's own data.</summary>
    public double? InvalidJudgmentRate { get; init; }

    /// <summary>Mean response length in characters (iteration data when the run measures characters; else the evaluation's figure, if any).</summary>
    public double? MeanResponseChars { get; init; }

    /// <summary>Mean response length in the run's length unit.</summary>
    public double? MeanResponseLength { get; init; }

    public double? MeanResponseScore { get; init; }

    /// <summary>ω1/ω2, the positional-bias weights of the iteration's battles.</summary>
    public double? Omega1 { get; init; }

    public double? Omega2 { get; init; }

    /// <summary>On the iteration's own battles: share won by the judgment in position A (paper, it. 2: 68.1%).</summary>
    public double? OnPolicyMetaJudgePositionARate { get; init; }

    /// <summary>On the iteration's own battles: share won by the higher-scored judgment (paper, it. 2: 97.7%).</summary>
    public double? OnPolicyMetaJudgeHigherScoreRate { get; init; }

    /// <summary>Elo fits of the iteration whose top rating was shared by two or more judgments (the lowest index was chosen).</summary>
    public long? EloTopTies { get; init; }

    // Training (TrainingOutput).
    public double? DpoLoss { get; init; }

    public double? RewardAccuracy { get; init; }

    public double? RewardMargin { get; init; }

    public long? TrainingSteps { get; init; }

    // Evaluation of the checkpoint (EvaluationOutput.Metrics, by its keys).
    public double? ActorAccuracy { get; init; }

    public double? ActorSampledAccuracy { get; init; }

    public double? PassAtK { get; init; }

    public double? JudgeAgreement { get; init; }

    public double? JudgeWithinOne { get; init; }

    public double? JudgeSpearman { get; init; }

    public double? JudgeParseRate { get; init; }

    /// <summary>The meta-judge's accuracy against the truth on held-out battles of its own judgments.</summary>
    public double? MetaJudgeAccuracy { get; init; }

    public double? MetaJudgeHigherScoreRate { get; init; }

    public double? MetaJudgePositionARate { get; init; }

    /// <summary>Every evaluation figure as the evaluation reported it (finite values only).</summary>
    public IReadOnlyDictionary<string, double> Evaluation { get; init; } = new Dictionary<string, double>();

    /// <summary>The checkpoint the row describes (null when not known).</summary>
    public ArtifactRef? Model { get; init; }
}
