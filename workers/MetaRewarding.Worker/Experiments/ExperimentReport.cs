using MetaRewarding.Activities.Reports;

namespace MetaRewarding.Worker.Experiments;

/// <summary>
/// <c>experiment.json</c>: every run's rows (one report.json each) and the cross-arm summary: per arm and
/// iteration, the mean over loop seeds of greedy and sampled accuracy with the mean of their 95% bootstrap bounds,
/// the judge's catch rate, DPO steps and pair precision; the own judge's gain as a fraction of the oracle's; and
/// the project's goal, met or not (docs/SANDBOX.md, "The goal").
/// </summary>
public sealed record ExperimentReport
{
    public required string Id { get; init; }

    public required IReadOnlyList<string> Arms { get; init; }

    public required IReadOnlyList<long> LoopSeeds { get; init; }

    /// <summary>Labelled SFT examples per role the shared seed was trained on (actor, judge, meta-judge).</summary>
    public required IReadOnlyDictionary<string, long> LabelledExamples { get; init; }

    /// <summary>Each run's report rows, by run id.</summary>
    public required IReadOnlyList<ArmRunReport> Runs { get; init; }

    /// <summary>Per arm and checkpoint (seed = 0), the means over loop seeds.</summary>
    public required IReadOnlyList<ArmPoint> Summary { get; init; }

    /// <summary>Per iteration: the own-judge arm's greedy-accuracy gain over the seed as a fraction of the oracle arm's (mean of per-seed fractions).</summary>
    public required IReadOnlyList<GainPoint> GainFraction { get; init; }

    /// <summary>The goal the project sets, and whether these runs met it, in words.</summary>
    public required string Verdict { get; init; }

    /// <summary>Runs that did not complete, with the reason.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];
}

/// <summary>One run's rows.</summary>
public sealed record ArmRunReport(string Arm, long LoopSeed, string RunId, IReadOnlyList<ReportRow> Rows);

/// <summary>An arm at one checkpoint, averaged over the loop seeds that reached it.</summary>
public sealed record ArmPoint(
    string Arm,
    int Index,
    int Seeds,
    double? Greedy,
    double? GreedyLow,
    double? GreedyHigh,
    double? Sampled,
    double? SampledLow,
    double? SampledHigh,
    double? JudgeCatchRate,
    double? MetaJudgeAccuracy,
    double? ActorPairPrecision,
    double? JudgePairPrecision,
    double? TruncationRate,
    double? DpoSteps,
    double? ActorPairs,
    double? JudgePairs);

/// <summary>The own-judge gain fraction at one iteration: mean over loop seeds, with the smallest and largest.</summary>
public sealed record GainPoint(int Iteration, double? Mean, double? Min, double? Max, int Seeds);
