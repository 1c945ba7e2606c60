using MetaRewarding.Activities.Contracts;
using MetaRewarding.InMemoryTemporal;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Workflows;
using Temporalio.Client;
using Temporalio.Converters;

namespace MetaRewarding.Worker.Tests.Cli;

/// <summary>The <c>start</c> verb against the in-process server (no worker: the run is started, not run).</summary>
public sealed class StartCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("start-verb-").FullName;
    private InMemoryTemporalServer _server = null!;
    private TemporalClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await InMemoryTemporalServer.StartAsync();
        _client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(_server.Target));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<(int Code, string Stdout, string Stderr)> StartAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await StartCommand.RunAsync([.. args, "--temporal", _server.Target], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<int> WorkflowCountAsync()
    {
        var count = 0;
        await foreach (var _ in _client.ListWorkflowsAsync(""))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task RunAsync_InvalidRunFile_Exits2PrintsEveryErrorAndStartsNothing()
    {
        var path = Write("bad.run.json", """
            { "sandbox": {}, "iterations": [ { "trainsJudge": true, "judgmentsPerResponse": 1 }, { "actorPairs": { "rho": 3 } } ] }
            """);
        var inputFile = Path.Combine(_folder, "input.json");

        var (code, stdout, stderr) = await StartAsync("--config", path, "--id", "bad-run", "--input-file", inputFile);

        Assert.Equal(StartCommand.ExitInvalidConfiguration, code);
        Assert.Empty(stdout);
        Assert.Contains("iterations[0].judgmentsPerResponse", stderr, StringComparison.Ordinal);
        Assert.Contains("iterations[1].actorPairs.rho", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was started", stderr, StringComparison.Ordinal);
        Assert.Equal(0, await WorkflowCountAsync());
        Assert.False(File.Exists(inputFile));
    }

    [Fact]
    public async Task RunAsync_UnknownField_Exits2AndStartsNothing()
    {
        var path = Write("typo.run.json", """{ "sandbox": {}, "iteratons": [] }""");

        var (code, _, stderr) = await StartAsync("--config", path);

        Assert.Equal(StartCommand.ExitInvalidConfiguration, code);
        Assert.Contains("unknown field 'iteratons'", stderr, StringComparison.Ordinal);
        Assert.Equal(0, await WorkflowCountAsync());
    }

    [Fact]
    public async Task RunAsync_RealRunWithMissingModel_Exits2NamingTheResolvedPath()
    {
        var path = Write("real.run.json", """{ "baseModel": "models/llama", "prompts": "prompts.jsonl" }""");

        var (code, _, stderr) = await StartAsync("--config", path);

        Assert.Equal(StartCommand.ExitInvalidConfiguration, code);
        // Relative paths were resolved against the run file's folder before validation.
        Assert.Contains(Path.Combine(_folder, "models", "llama"), stderr, StringComparison.Ordinal);
        Assert.Equal(0, await WorkflowCountAsync());
    }

    [Fact]
    public async Task RunAsync_ValidSandboxRunFile_StartsTheRunWorkflowAndWritesTheTemporalCliInput()
    {
        var path = Write("sandbox.run.json", """
            { "seed": 7, "sandbox": { "sftSteps": 10 }, "iterations": [ { "trainsJudge": true, "judgmentsPerResponse": 2 }, {} ] }
            """);
        var inputFile = Path.Combine(_folder, "run.input.json");

        var (code, stdout, stderr) = await StartAsync("--config", path, "--id", "sandbox-run", "--oracle", "--input-file", inputFile);

        Assert.True(code == StartCommand.ExitStarted, stderr);
        Assert.Contains("sandbox-run", stdout, StringComparison.Ordinal);
        Assert.Contains($"temporal workflow start --address {_server.Target} --namespace default --type MetaRewardingRun --task-queue metarewarding-cpu --workflow-id sandbox-run --input-file {inputFile}", stdout, StringComparison.Ordinal);

        var description = await _client.GetWorkflowHandle("sandbox-run").DescribeAsync();
        Assert.Equal(WorkflowNames.Run, description.WorkflowType);
        Assert.Equal("metarewarding-cpu", description.TaskQueue);
        Assert.Equal(0L, description.TypedSearchAttributes.Get(RunSearchAttributes.Iteration));
        Assert.Equal(Phases.Prepare, description.TypedSearchAttributes.Get(RunSearchAttributes.Phase));
        Assert.Equal("oracle", await description.Memo["judgeMode"].ToValueAsync<string>());
        // The schedule asks for judge training in iteration 1, but the oracle control never trains the judge
        // (JudgeTraining): the memo says what the run will do.
        Assert.Equal("", await description.Memo["judgeTrainingIterations"].ToValueAsync<string>());
        Assert.Equal(2, await description.Memo["iterations"].ToValueAsync<int>());

        // The input file decodes to the run the workflow was started with: the temporal CLI would start the same run.
        var written = RunPayloadConverter.DataConverter.PayloadConverter.ToValue<RunInput>(new Temporalio.Api.Common.V1.Payload
        {
            Metadata = { ["encoding"] = Google.Protobuf.ByteString.CopyFromUtf8("json/plain") },
            Data = Google.Protobuf.ByteString.CopyFrom(await File.ReadAllBytesAsync(inputFile)),
        });
        Assert.Equal("sandbox-run", written.RunId);
        Assert.Equal(JudgeMode.Oracle, written.JudgeMode);
        Assert.Equal(7, written.Configuration.Seed);
        Assert.Equal(10, written.Sandbox!.SftSteps);
    }

    [Fact]
    public async Task RunAsync_IdAlreadyRunning_Exits1()
    {
        var path = Write("sandbox.run.json", """{ "sandbox": {}, "iterations": [ {} ] }""");
        Assert.Equal(StartCommand.ExitStarted, (await StartAsync("--config", path, "--id", "twice", "--input-file", Path.Combine(_folder, "a.json"))).Code);

        var (code, _, stderr) = await StartAsync("--config", path, "--id", "twice", "--input-file", Path.Combine(_folder, "b.json"));

        Assert.Equal(StartCommand.ExitNotStarted, code);
        Assert.Contains("twice", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Iteration_StartsOneIterationWorkflowUnderItsOwnIdFromTheCheckpoint()
    {
        var path = Write("sandbox.run.json", """
            { "seed": 7, "sandbox": {}, "iterations": [ { "trainsJudge": true }, {}, { "actorPairs": { "rho": 0.3 } } ] }
            """);
        var model = Directory.CreateDirectory(Path.Combine(_folder, "checkpoints", "m2")).FullName;
        Write(Path.Combine("checkpoints", "m2", "config.json"), "{}");
        var artifacts = Path.Combine(_folder, "store");
        var inputFile = Path.Combine(_folder, "iteration.input.json");

        var (code, stdout, stderr) = await StartAsync(
            "--config", path, "--id", "rerun-3", "--iteration", "3", "--model", model, "--artifacts", artifacts, "--input-file", inputFile);

        Assert.True(code == StartCommand.ExitStarted, stderr);
        var workflowId = WorkflowNames.IterationWorkflowId("rerun-3", 3);
        Assert.Contains($"temporal workflow start --address {_server.Target} --namespace default --type MetaRewardingIteration --task-queue metarewarding-cpu --workflow-id {workflowId} --input-file {inputFile}", stdout, StringComparison.Ordinal);
        var description = await _client.GetWorkflowHandle(workflowId).DescribeAsync();
        Assert.Equal(WorkflowNames.Iteration, description.WorkflowType);
        Assert.Equal(3L, description.TypedSearchAttributes.Get(RunSearchAttributes.Iteration));
        Assert.Equal(0.3, await description.Memo["rho"].ToValueAsync<double>());
        // The run's snapshot is in the store under the iteration's own id; the input names it and the checkpoint.
        Assert.True(File.Exists(Path.Combine(artifacts, "runs", "rerun-3", "run.json")));
        var written = RunPayloadConverter.DataConverter.PayloadConverter.ToValue<IterationInput>(new Temporalio.Api.Common.V1.Payload
        {
            Metadata = { ["encoding"] = Google.Protobuf.ByteString.CopyFromUtf8("json/plain") },
            Data = Google.Protobuf.ByteString.CopyFrom(await File.ReadAllBytesAsync(inputFile)),
        });
        Assert.Equal(("rerun-3", 3, model, false), (written.RunId, written.Iteration, written.Model.Path, written.TrainsJudge));
        Assert.Equal("runs/rerun-3/run.json", written.Snapshot.Run.Path);
    }

    [Fact]
    public async Task RunAsync_IterationOutsideTheScheduleOrNoCheckpoint_Exits2AndStartsNothing()
    {
        var path = Write("sandbox.run.json", """{ "sandbox": {}, "iterations": [ {}, {} ] }""");
        var notACheckpoint = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;

        var (code, _, stderr) = await StartAsync("--config", path, "--iteration", "3", "--model", notACheckpoint, "--artifacts", Path.Combine(_folder, "store"));

        Assert.Equal(StartCommand.ExitInvalidConfiguration, code);
        Assert.Contains("--iteration 3 is not in the run file's schedule: it has iterations 1-2", stderr, StringComparison.Ordinal);
        Assert.Contains($"--model folder '{notACheckpoint}' has no config.json", stderr, StringComparison.Ordinal);
        Assert.Equal(0, await WorkflowCountAsync());
        Assert.False(Directory.Exists(Path.Combine(_folder, "store")));
    }
}
