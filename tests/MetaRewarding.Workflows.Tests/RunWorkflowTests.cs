using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Workflows.Tests.Support;
using Temporalio.Client;

namespace MetaRewarding.Workflows.Tests;

/// <summary>The run and iteration workflows on the in-process server, with recording activity doubles.</summary>
public sealed class RunWorkflowTests
{
    private static RunInput SandboxRun(TaskQueues queues, JudgeMode mode = JudgeMode.Model) => new()
    {
        RunId = "workflow-test",
        Configuration = RunConfiguration.Paper,
        Sandbox = new SandboxOptions(),
        JudgeMode = mode,
        TaskQueues = queues,
    };

    private static Task<RunSummary> RunAsync(WorkflowHarness harness, RunInput input, string id) =>
        harness.Client.ExecuteWorkflowAsync((RunWorkflow w) => w.RunAsync(input), new WorkflowOptions(id, harness.Queues.Cpu));

    [Fact]
    public async Task RunAsync_PaperSchedule_MetaJudgesOnlyWhereTheScheduleTrainsTheJudge()
    {
        var activities = new RecordingActivities();
        await using var harness = await WorkflowHarness.StartAsync(activities);

        var summary = await RunAsync(harness, SandboxRun(harness.Queues), "run-paper");

        Assert.Equal([1, 2, 3, 4], summary.Iterations.Select(i => i.Iteration));
        Assert.Equal([true, true, false, false], summary.Iterations.Select(i => i.TrainedJudge));
        var calls = activities.Calls;
        Assert.Equal(["PrepareRun", "PrepareSeedModel", "Evaluate(seed)", "WriteReport(0)"], calls.Take(4));
        Assert.Equal(
            ["MetaJudge(1,0)", "MetaJudge(1,1)", "MetaJudge(2,0)", "MetaJudge(2,1)"],
            calls.Where(c => c.StartsWith("MetaJudge", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // Two shards of responses and judgments every iteration; meta-judgments only in 1–2.
        Assert.Equal(
            ["BuildPairs(1,2,2,2)", "BuildPairs(2,2,2,2)", "BuildPairs(3,2,2,0)", "BuildPairs(4,2,2,0)"],
            calls.Where(c => c.StartsWith("BuildPairs", StringComparison.Ordinal)));
        Assert.Equal(5, calls.Count(c => c.StartsWith("WriteReport", StringComparison.Ordinal)));
        Assert.Equal("runs/workflow-test/report.json", summary.Report.Path);
    }

    [Fact]
    public async Task RunAsync_EachIteration_TrainsFromThePreviousIterationsCheckpoint()
    {
        var activities = new RecordingActivities();
        await using var harness = await WorkflowHarness.StartAsync(activities);

        var summary = await RunAsync(harness, SandboxRun(harness.Queues), "run-chain");

        Assert.Equal(["seed/model", "iteration-1/model", "iteration-2/model", "iteration-3/model"], activities.TrainedFrom.Select(m => m.Path));
        Assert.Equal("seed/model", summary.SeedModel.Path);
        Assert.Equal("iteration-4/model", summary.Iterations[^1].Model.Path);
        Assert.Equal(["seed", "iteration-1", "iteration-2", "iteration-3", "iteration-4"],
            activities.Calls.Where(c => c.StartsWith("Evaluate", StringComparison.Ordinal)).Select(c => c[9..^1]));
    }

    [Fact]
    public async Task RunAsync_OracleJudge_NeverMetaJudges()
    {
        var activities = new RecordingActivities();
        await using var harness = await WorkflowHarness.StartAsync(activities);

        var summary = await RunAsync(harness, SandboxRun(harness.Queues, JudgeMode.Oracle), "run-oracle");

        Assert.DoesNotContain(activities.Calls, c => c.StartsWith("MetaJudge", StringComparison.Ordinal));
        Assert.All(summary.Iterations, i => Assert.False(i.TrainedJudge));
    }

    [Fact]
    public async Task IterationAsync_ShardSteps_AreChainedPerShardWithoutPhaseBarriers()
    {
        // Generation of shard 1 is held open: in the chained iteration, shard 0 is judged and meta-judged meanwhile.
        var activities = new RecordingActivities { GateCall = "GenerateResponses(1,1)" };
        await using var harness = await WorkflowHarness.StartAsync(activities);
        var input = SandboxRun(harness.Queues) with { RunId = "run-chained" };
        var run = await harness.Client.StartWorkflowAsync((RunWorkflow w) => w.RunAsync(input), new WorkflowOptions("run-chained", harness.Queues.Cpu));
        await activities.ReachedGate.WaitAsync(TimeSpan.FromSeconds(30));

        await WaitUntilAsync(() => activities.Finished.Contains("MetaJudge(1,0)"));
        var iteration = harness.Client.GetWorkflowHandle<IterationWorkflow>(WorkflowNames.IterationWorkflowId("run-chained", 1));
        var progress = await iteration.QueryAsync(w => w.Progress());

        Assert.Contains("JudgeResponses(1,0)", activities.Calls);
        Assert.DoesNotContain("GenerateResponses(1,1)", activities.Finished);
        Assert.DoesNotContain("JudgeResponses(1,1)", activities.Calls);
        // The phase shown is the furthest-behind shard's step: one of two shards generated.
        Assert.Equal((Phases.Generate, 1, 2), (progress.Phase, progress.ShardsDone, progress.ShardsTotal));

        activities.Release();
        var summary = await run.GetResultAsync();
        Assert.Equal(4, summary.Iterations.Count);
        Assert.Contains("BuildPairs(1,2,2,2)", activities.Calls);
        var history = await iteration.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.MarkerRecordedEventAttributes?.MarkerName == "core_patch");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the workflow did not get there within 30 s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task ProgressQuery_WhileTraining_ShowsPhaseIterationSignalledStepsAndSearchAttributes()
    {
        var activities = new RecordingActivities { Gate = ActivityNames.TrainDpo };
        await using var harness = await WorkflowHarness.StartAsync(activities);
        var input = SandboxRun(harness.Queues);
        var run = await harness.Client.StartWorkflowAsync((RunWorkflow w) => w.RunAsync(input), new WorkflowOptions("run-progress", harness.Queues.Cpu));
        await activities.ReachedGate.WaitAsync(TimeSpan.FromSeconds(30));

        var iteration = harness.Client.GetWorkflowHandle<IterationWorkflow>(WorkflowNames.IterationWorkflowId("run-progress", 1));
        await iteration.SignalAsync(w => w.ReportTrainingProgressAsync(new TrainingProgress(5, 20, 0.42)));
        var runProgress = await run.QueryAsync(w => w.Progress());
        var iterationProgress = await iteration.QueryAsync(w => w.Progress());
        var description = await iteration.DescribeAsync();

        Assert.Equal((Phases.Iterating, 1, 4), (runProgress.Phase, runProgress.Iteration, runProgress.Iterations));
        Assert.Equal((Phases.Train, 5L, 20L, 0.42), (iterationProgress.Phase, iterationProgress.TrainingStep, iterationProgress.TrainingSteps, iterationProgress.TrainingLoss));
        Assert.Equal(Phases.Train, description.TypedSearchAttributes.Get(RunSearchAttributes.Phase));
        Assert.Equal(1, description.TypedSearchAttributes.Get(RunSearchAttributes.Iteration));
        Assert.Equal(1, await description.Memo["iteration"].ToValueAsync<int>());

        activities.Release();
        var summary = await run.GetResultAsync();
        Assert.Equal(4, summary.Iterations.Count);
    }
}
