using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Reports;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Experiments;

namespace MetaRewarding.Worker.Tests.Experiments;

public class ExperimentReportTests
{
    private static readonly ExperimentPlan Plan = ExperimentPlan.Create("exp", DemoCommand.DemoRunFile(Path.GetTempPath()), Arms.Demo, [1, 2, 3], new TaskQueues());

    private static RunReport Report(string runId, params (double Greedy, double? Catch)[] rows) => new()
    {
        RunId = runId,
        LengthUnit = "characters",
        Seed = Row(0, rows[0]),
        Iterations = [.. rows.Skip(1).Select((r, i) => Row(i + 1, r))],
    };

    private static ReportRow Row(int index, (double Greedy, double? Catch) row) => new()
    {
        Index = index,
        Label = index == 0 ? "seed" : $"iteration-{index}",
        ActorAccuracy = row.Greedy,
        ActorAccuracyLow = row.Greedy - 0.03,
        ActorAccuracyHigh = row.Greedy + 0.03,
        JudgeCatchRate = row.Catch,
        TrainingSteps = index == 0 ? null : 20,
    };

    private static ExperimentReport Build(Func<ArmRun, RunReport> report) =>
        ExperimentReportBuilder.Build(Plan, [.. Plan.Runs.Select(r => new ArmResult(r, null, null))], result => report(result.Run), DemoCommand.DemoRunFile(Path.GetTempPath()));

    [Fact]
    public void Build_HandComputedRuns_GainFractionIsTheMeanOfPerSeedFractions()
    {
        // Seed 0.40 everywhere. Oracle gains 0.20 / 0.10 / 0.20 after iteration 1; the own judge 0.10 / 0.10 / 0.20:
        // fractions 0.5, 1.0, 1.0 -> mean 0.8333.
        var own = new Dictionary<long, double> { [1] = 0.50, [2] = 0.50, [3] = 0.60 };
        var oracle = new Dictionary<long, double> { [1] = 0.60, [2] = 0.50, [3] = 0.60 };
        var report = Build(run => run.Arm == Arms.Oracle
            ? Report(run.RunId, (0.40, 0.3), (oracle[run.LoopSeed], 0.3))
            : Report(run.RunId, (0.40, 0.3), (own[run.LoopSeed], 0.4)));

        var gain = Assert.Single(report.GainFraction);
        Assert.Equal(1, gain.Iteration);
        Assert.Equal(0.8333, gain.Mean!.Value, 4);
        Assert.Equal((0.5, 1.0, 3), (gain.Min!.Value, gain.Max!.Value, gain.Seeds));
        var point = report.Summary.Single(p => p.Arm == Arms.MetaRewarding && p.Index == 1);
        Assert.Equal((0.5333, 3), (Math.Round(point.Greedy!.Value, 4), point.Seeds));

        // Only 2 iterations here, so the catch rate cannot be seen rising over iterations 1-2: not met.
        Assert.Contains("GOAL NOT MET", report.Verdict, StringComparison.Ordinal);
        Assert.Contains("83%", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_GainAndRisingCatchRateOverThreeSeeds_GoalMet()
    {
        var report = Build(run => run.Arm == Arms.Oracle
            ? Report(run.RunId, (0.40, 0.2), (0.50, 0.2), (0.60, 0.2))
            : Report(run.RunId, (0.40, 0.2), (0.48, 0.3), (0.55, 0.4)));

        Assert.Equal(0.75, report.GainFraction[^1].Mean!.Value, 6);
        Assert.EndsWith("GOAL MET.", report.Verdict, StringComparison.Ordinal);
        var table = ExperimentTable.Render(report);
        Assert.Contains("0.550 [0.520, 0.580]", table, StringComparison.Ordinal);
        Assert.Contains("75%", table, StringComparison.Ordinal);
        Assert.Contains("GOAL MET.", table, StringComparison.Ordinal);
        Assert.Equal(3, ExperimentPlots.Render(report).Count);
    }

    [Fact]
    public void Build_OracleDidNotGain_NoFractionAndNotMet()
    {
        var report = Build(run => Report(run.RunId, (0.40, 0.2), (0.40, 0.3), (0.39, 0.4)));
        Assert.All(report.GainFraction, g => Assert.Null(g.Mean));
        Assert.Contains("GOAL NOT MET", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoMetaRewardingArm_VerdictSaysSoInsteadOfAnEmptyCatchRate()
    {
        var plan = ExperimentPlan.Create("exp", DemoCommand.DemoRunFile(Path.GetTempPath()), [Arms.Get(Arms.Oracle)], [1], new TaskQueues());
        var report = ExperimentReportBuilder.Build(plan, [.. plan.Runs.Select(r => new ArmResult(r, null, null))],
            result => Report(result.Run.RunId, (0.40, 0.2), (0.45, 0.2)), DemoCommand.DemoRunFile(Path.GetTempPath()));
        Assert.Contains($"judge catch rate: no {Arms.MetaRewarding} arm in this experiment.", report.Verdict, StringComparison.Ordinal);
        Assert.DoesNotContain("it. 2: .", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelledExamples_DemoRunFile_StepsTimesBatchTimesShare()
    {
        var file = DemoCommand.DemoRunFile(Path.GetTempPath());
        var examples = ExperimentReportBuilder.LabelledExamples(file);
        var total = (long)file.Sandbox!.SftSteps * file.Sandbox.SftBatchSize;
        Assert.Equal(total, examples.Values.Sum());
        Assert.Equal(Math.Round(total * Activities.Model.RunDefinition.SandboxSettingsOf(file.Sandbox).JudgeShare), examples["judge"]);
    }
}
