using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Workflows.Tests.Support;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;

namespace MetaRewarding.Workflows.Tests;

/// <summary>
/// Determinism: histories written by the workflows must replay against the current workflow code. The committed
/// histories under Histories/ are the contract with runs already in flight: a change to a workflow that makes
/// them fail to replay would break those runs (use Workflow.Patched for such a change).
/// To re-record them after an intended, versioned change: METAREWARDING_RECORD_HISTORIES=$PWD/tests/MetaRewarding.Workflows.Tests/Histories dotnet test --filter Record.
/// The e2e-*.json histories come from a real end-to-end run (real activities, TorchSharp); re-record them with
/// METAREWARDING_RECORD_HISTORIES=$PWD/tests/MetaRewarding.Workflows.Tests/Histories dotnet test tests/MetaRewarding.EndToEnd.Tests -c Release --filter EndToEndRunTests.
/// </summary>
public sealed class ReplayTests
{
    private static readonly string HistoryFolder = Path.Combine(AppContext.BaseDirectory, "Histories");

    private static WorkflowReplayer Replayer() => new(new WorkflowReplayerOptions { DataConverter = RunPayloadConverter.DataConverter }
        .AddWorkflow<RunWorkflow>()
        .AddWorkflow<IterationWorkflow>());

    public static TheoryData<string> CommittedHistories()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(HistoryFolder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommittedHistories))]
    public async Task Replay_CommittedHistory_IsDeterministic(string file)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(HistoryFolder, file));
        var workflowId = Path.GetFileNameWithoutExtension(file);

        var result = await Replayer().ReplayWorkflowAsync(WorkflowHistory.FromJson(workflowId, json), throwOnReplayFailure: false);

        Assert.Null(result.ReplayFailure);
    }

    [Fact]
    public void CommittedHistories_CoverBothWorkflowTypes()
    {
        var texts = Directory.EnumerateFiles(HistoryFolder, "*.json").Select(File.ReadAllText).ToList();

        Assert.Contains(texts, t => t.Contains($"\"{WorkflowNames.Run}\"", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains($"\"{WorkflowNames.Iteration}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void CommittedHistories_CoverBothSidesOfTheChainedShardStepsPatch()
    {
        // An iteration history holds the patch marker when recorded after the chaining; its id is in the marker's
        // base64 JSON payload ({"id":"chained-shard-steps",...}).
        var iterations = Directory.EnumerateFiles(HistoryFolder, "*-iteration-*.json").Select(File.ReadAllText).ToList();
        var start = System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"{IterationWorkflow.ChainedShardStepsPatch}\"");
        var marker = Convert.ToBase64String(start.AsSpan(0, start.Length / 3 * 3)); // whole 3-byte groups: a prefix of the payload's base64

        Assert.Contains(iterations, t => t.Contains(marker, StringComparison.Ordinal));
        Assert.Contains(iterations, t => !t.Contains("core_patch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_FreshlyRecordedRun_IsDeterministic()
    {
        var activities = new RecordingActivities();
        await using var harness = await WorkflowHarness.StartAsync(activities);
        // replay-fresh*.json were recorded before the shard steps were chained (IterationWorkflow's patch) and still
        // replay through the old branch; replay-chained*.json are this code's.
        var histories = await RecordAsync(harness, "replay-chained");

        foreach (var (id, history) in histories)
        {
            var result = await Replayer().ReplayWorkflowAsync(history, throwOnReplayFailure: false);
            Assert.True(result.ReplayFailure is null, $"{id}: {result.ReplayFailure}");
        }

        await WriteIfRecordingAsync(histories);
    }

    /// <summary>Runs a judge-training and an actor-only iteration and fetches the run's and the children's histories.</summary>
    private static async Task<List<(string Id, WorkflowHistory History)>> RecordAsync(WorkflowHarness harness, string runId)
    {
        var paper = RunConfiguration.Paper;
        var input = new RunInput
        {
            RunId = runId,
            Configuration = paper with { Iterations = [paper.Iterations[0], paper.Iterations[2]] },
            Sandbox = new SandboxOptions(),
            TaskQueues = harness.Queues,
        };
        var run = await harness.Client.StartWorkflowAsync((RunWorkflow w) => w.RunAsync(input), new WorkflowOptions(runId, harness.Queues.Cpu));
        await run.GetResultAsync();
        var ids = new[] { runId, WorkflowNames.IterationWorkflowId(runId, 1), WorkflowNames.IterationWorkflowId(runId, 2) };
        var histories = new List<(string, WorkflowHistory)>();
        foreach (var id in ids)
        {
            histories.Add((id, await harness.Client.GetWorkflowHandle(id).FetchHistoryAsync()));
        }

        return histories;
    }

    private static async Task WriteIfRecordingAsync(List<(string Id, WorkflowHistory History)> histories)
    {
        var folder = Environment.GetEnvironmentVariable("METAREWARDING_RECORD_HISTORIES");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        foreach (var (id, history) in histories)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"{id}.json"), history.ToJson());
        }
    }
}
