using MetaRewarding.InMemoryTemporal;
using MetaRewarding.Worker.Cli;
using Temporalio.Client;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace MetaRewarding.Worker.Tests.Cli;

/// <summary>
/// The <c>replay</c> verb: a history recorded on the in-process server replays against the workflow that wrote
/// it, and fails against a changed one (the check to run before deploying a workflow change).
/// </summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("replay-verb-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string ProbeName = "ReplayProbe";

    /// <summary>Version 1: waits on a timer, then finishes.</summary>
    [Workflow(ProbeName)]
    public sealed class ProbeV1
    {
        private readonly string result = "done";

        [WorkflowRun]
        public async Task<string> RunAsync()
        {
            await Workflow.DelayAsync(TimeSpan.FromMilliseconds(10));
            return result;
        }
    }

    /// <summary>Version 2, an incompatible change: an activity where version 1 had its timer.</summary>
    [Workflow(ProbeName)]
    public sealed class ProbeV2
    {
        private readonly string result = "done";

        [WorkflowRun]
        public async Task<string> RunAsync()
        {
            await Workflow.ExecuteActivityAsync(() => ProbeActivity(), new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(5) });
            return result;
        }

        [Temporalio.Activities.Activity]
        public static void ProbeActivity()
        {
        }
    }

    /// <summary>Runs <see cref="ProbeV1"/> on the in-process server and writes its history as JSON, as `temporal workflow show --output json` would.</summary>
    private async Task<string> RecordProbeHistoryAsync()
    {
        await using var server = await InMemoryTemporalServer.StartAsync();
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target));
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions("replay-probe").AddWorkflow<ProbeV1>());
        var history = await worker.ExecuteAsync(async () =>
        {
            var handle = await client.StartWorkflowAsync((ProbeV1 w) => w.RunAsync(), new WorkflowOptions("probe-1", "replay-probe"));
            await handle.GetResultAsync();
            return await handle.FetchHistoryAsync();
        });
        var path = Path.Combine(_folder, "probe-1.json");
        await File.WriteAllTextAsync(path, history.ToJson());
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ReplayAsync(WorkflowReplayerOptions workflows, params string[] files)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await ReplayCommand.ReplayAsync(files, workflows, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task ReplayAsync_HistoryOfTheSameWorkflow_Exits0()
    {
        var history = await RecordProbeHistoryAsync();

        var (code, stdout, stderr) = await ReplayAsync(new WorkflowReplayerOptions().AddWorkflow<ProbeV1>(), history);

        Assert.True(code == ReplayCommand.ExitDeterministic, stderr);
        Assert.Contains("deterministic", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayAsync_HistoryOfAChangedWorkflow_Exits1WithTheReason()
    {
        var history = await RecordProbeHistoryAsync();

        var (code, _, stderr) = await ReplayAsync(new WorkflowReplayerOptions().AddWorkflow<ProbeV2>(), history);

        Assert.Equal(ReplayCommand.ExitNondeterministic, code);
        Assert.Contains("NONDETERMINISTIC", stderr, StringComparison.Ordinal);
        Assert.Contains("probe-1.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayAsync_NotAHistory_Exits2NamingTheFile()
    {
        var path = Path.Combine(_folder, "junk.json");
        await File.WriteAllTextAsync(path, "{ \"hello\": ");

        var (code, _, stderr) = await ReplayAsync(ReplayCommand.CurrentWorkflows(), path);

        Assert.Equal(ReplayCommand.ExitUnreadable, code);
        Assert.Contains("junk.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CommittedRunWorkflowHistories_ReplayAgainstTheShippedWorkflows()
    {
        // The workflow tests' recorded histories of MetaRewardingRun / MetaRewardingIteration, through the verb.
        var histories = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Histories"), "*.json");
        Assert.NotEmpty(histories);

        var (code, _, stderr) = await ReplayAsync(ReplayCommand.CurrentWorkflows(), histories);

        Assert.True(code == ReplayCommand.ExitDeterministic, stderr);
    }
}
