using System.Globalization;
using MetaRewarding.Activities.Reports;
using MetaRewarding.Worker.Runs;

namespace MetaRewarding.Worker.Experiments;

/// <summary>Builds <see cref="ExperimentReport"/> from each run's <c>report.json</c>.</summary>
public static class ExperimentReportBuilder
{
    /// <summary>The goal (docs/SANDBOX.md): the own judge reaches this share of the oracle's greedy-accuracy gain.</summary>
    public const double GoalGainFraction = 0.7;

    public static ExperimentReport Build(ExperimentPlan plan, IReadOnlyList<ArmResult> results, Func<ArmResult, RunReport?> readReport, RunFile runFile)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(readReport);
        ArgumentNullException.ThrowIfNull(runFile);
        var runs = new List<ArmRunReport>();
        var failures = new List<string>();
        foreach (var result in results)
        {
            if (result.Failure is { } failure)
            {
                failures.Add($"{result.Run.RunId}: {failure}");
            }

            if (readReport(result) is { } report)
            {
                runs.Add(new ArmRunReport(result.Run.Arm, result.Run.LoopSeed, result.Run.RunId, [.. report.Rows()]));
            }
        }

        var summary = plan.Arms.SelectMany(arm => Points(arm.Name, runs.Where(r => r.Arm == arm.Name).ToList())).ToList();
        var gains = GainFractions(runs);
        return new ExperimentReport
        {
            Id = plan.Id,
            Arms = [.. plan.Arms.Select(a => a.Name)],
            LoopSeeds = plan.LoopSeeds,
            LabelledExamples = LabelledExamples(runFile),
            Runs = runs,
            Summary = summary,
            GainFraction = gains,
            Verdict = Verdict(plan, summary, gains),
            Failures = failures,
        };
    }

    /// <summary>Seed SFT examples per role: steps × batch × the role's share (one kind per batch, drawn with the mix).</summary>
    public static IReadOnlyDictionary<string, long> LabelledExamples(RunFile runFile)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        if (runFile.Sandbox is not { } sandbox)
        {
            return new Dictionary<string, long>();
        }

        var settings = Activities.Model.RunDefinition.SandboxSettingsOf(sandbox);
        var examples = (double)sandbox.SftSteps * sandbox.SftBatchSize;
        return new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["actor"] = (long)Math.Round(examples * settings.ActorShare),
            ["judge"] = (long)Math.Round(examples * settings.JudgeShare),
            ["metaJudge"] = (long)Math.Round(examples * settings.MetaJudgeShare),
        };
    }

    private static IEnumerable<ArmPoint> Points(string arm, List<ArmRunReport> runs)
    {
        var indices = runs.SelectMany(r => r.Rows.Select(row => row.Index)).Distinct().Order();
        foreach (var index in indices)
        {
            var rows = runs.Select(r => r.Rows.FirstOrDefault(row => row.Index == index)).OfType<ReportRow>().ToList();
            double? Mean(Func<ReportRow, double?> value)
            {
                var values = rows.Select(value).OfType<double>().ToList();
                return values.Count == 0 ? null : values.Average();
            }

            yield return new ArmPoint(
                arm, index, rows.Count,
                Mean(r => r.ActorAccuracy), Mean(r => r.ActorAccuracyLow), Mean(r => r.ActorAccuracyHigh),
                Mean(r => r.ActorSampledAccuracy), Mean(r => r.ActorSampledAccuracyLow), Mean(r => r.ActorSampledAccuracyHigh),
                Mean(r => r.JudgeCatchRate), Mean(r => r.MetaJudgeAccuracy), Mean(r => r.ActorPairPrecision), Mean(r => r.JudgePairPrecision),
                Mean(r => r.TruncationRate), Mean(r => r.TrainingSteps), Mean(r => r.ActorPairs), Mean(r => r.JudgePairs));
        }
    }

    private static List<GainPoint> GainFractions(List<ArmRunReport> runs)
    {
        var own = runs.Where(r => r.Arm == Arms.MetaRewarding).ToList();
        var oracle = runs.Where(r => r.Arm == Arms.Oracle).ToDictionary(r => r.LoopSeed);
        var iterations = own.SelectMany(r => r.Rows.Select(row => row.Index)).Where(i => i > 0).Distinct().Order();
        var points = new List<GainPoint>();
        foreach (var iteration in iterations)
        {
            var fractions = new List<double>();
            foreach (var run in own)
            {
                if (oracle.TryGetValue(run.LoopSeed, out var control) && Fraction(run, control, iteration) is { } fraction)
                {
                    fractions.Add(fraction);
                }
            }

            points.Add(fractions.Count == 0
                ? new GainPoint(iteration, null, null, null, 0)
                : new GainPoint(iteration, fractions.Average(), fractions.Min(), fractions.Max(), fractions.Count));
        }

        return points;
    }

    /// <summary>(own_t − seed) / (oracle_t − seed) in greedy accuracy; null when the oracle did not gain.</summary>
    private static double? Fraction(ArmRunReport own, ArmRunReport oracle, int iteration)
    {
        var seed = own.Rows.FirstOrDefault(r => r.Index == 0)?.ActorAccuracy;
        var ownAt = own.Rows.FirstOrDefault(r => r.Index == iteration)?.ActorAccuracy;
        var oracleAt = oracle.Rows.FirstOrDefault(r => r.Index == iteration)?.ActorAccuracy;
        if (seed is not { } s || ownAt is not { } o || oracleAt is not { } c || c - s <= 0)
        {
            return null;
        }

        return (o - s) / (c - s);
    }

    private static string Verdict(ExperimentPlan plan, List<ArmPoint> summary, List<GainPoint> gains)
    {
        var final = gains.LastOrDefault();
        var catchRates = summary.Where(p => p.Arm == Arms.MetaRewarding && p.Index <= 2).OrderBy(p => p.Index).Select(p => p.JudgeCatchRate).ToList();
        var catchRises = catchRates.Count == 3 && catchRates.All(c => c is not null) && catchRates[1] > catchRates[0] && catchRates[2] > catchRates[1];
        var gainMet = final?.Mean is { } mean && mean >= GoalGainFraction;
        var seeds = plan.LoopSeeds.Count;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Goal: the own-judge arm reaches >= {GoalGainFraction * 100:F0}% of the oracle arm's gain in greedy accuracy, and its judge's catch rate rises over iterations 1-2, over >= 3 loop seeds. ");
        text += final?.Mean is { } m
            ? string.Create(CultureInfo.InvariantCulture, $"Measured over {seeds} loop seed(s): own-judge gain = {m * 100:F0}% of the oracle's after iteration {final.Iteration} (per seed {final.Min * 100:F0}% to {final.Max * 100:F0}%, over the {final.Seeds} of {seeds} seeds whose oracle gained; a fraction of a gain near 0 is noise); ")
            : $"Measured over {seeds} loop seed(s): no own-judge gain fraction (the oracle did not gain, or an arm is missing); ";
        text += catchRates.Count == 0
            ? $"judge catch rate: no {Arms.MetaRewarding} arm in this experiment. "
            : $"judge catch rate seed -> it. 1 -> it. 2: {string.Join(" -> ", catchRates.Select(c => c?.ToString("F2", CultureInfo.InvariantCulture) ?? "-"))}. ";
        text += gainMet && catchRises && seeds >= 3 ? "GOAL MET." : "GOAL NOT MET" + (seeds < 3 ? " (fewer than 3 loop seeds: not a test of the goal)." : ".");
        return text;
    }
}
