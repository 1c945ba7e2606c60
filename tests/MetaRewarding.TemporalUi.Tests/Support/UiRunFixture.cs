using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace MetaRewarding.TemporalUi.Tests.Support;

/// <summary>
/// What the browser looks at: `metarewarding local-server` (a child process, with its Web UI), the real worker
/// composition in this process (real workflows, real TorchSharp activities) and two sandbox runs:
/// <list type="bullet">
/// <item><see cref="FailingRunId"/>: a tiny two-iteration run whose iteration 1 fails in BuildPairs with a
/// non-retryable error (<see cref="InjectedFailure"/>), so the run fails and its state stops changing;</item>
/// <item><see cref="TrainingRunId"/>: a run whose seed SFT is long enough to stay a pending activity with
/// heartbeat details while the checks look (terminated at the end).</item>
/// </list>
/// </summary>
public sealed class UiRunFixture : IAsyncLifetime
{
    public const string Namespace = "default";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);
    private readonly string artifacts = Directory.CreateTempSubdirectory("metarewarding-ui-").FullName;
    private LocalServerProcess? server;
    private IHost? worker;

    public string FailingRunId { get; } = "ui-run-" + Guid.NewGuid().ToString("N")[..6];

    public string TrainingRunId { get; } = "ui-training-" + Guid.NewGuid().ToString("N")[..6];

    public string FailingIterationId => FailingRunId + "-iteration-1";

    public LocalServerProcess Server => server!;

    public TemporalClient Client { get; private set; } = null!;

    public InjectedFailure Failure { get; private set; } = null!;

    /// <summary>The failed run of <see cref="FailingRunId"/> and of its iteration 1 (a reset makes newer runs of both ids).</summary>
    public string FailedRunRunId { get; private set; } = "";

    public string FailedIterationRunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        server = await LocalServerProcess.StartAsync();
        Client = await TemporalClientFactory.ConnectAsync(server.Target, new TemporalSettings { Namespace = Namespace });
        await SearchAttributeRegistration.TryRegisterAsync(Client, TextWriter.Null);
        Failure = new InjectedFailure(ActivityNames.BuildPairs, FailingIterationId);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:Artifacts"] = artifacts,
            ["Worker:Queues"] = "cpu,gpu",
            ["Worker:ModelActivitySlots"] = "2",
            ["Worker:GracefulShutdownSeconds"] = "2",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }).Build();
        worker = WorkerHost.Build(configuration, Client, services =>
            services.PostConfigureAll<TemporalWorkerServiceOptions>(o => o.Interceptors = [.. o.Interceptors ?? [], Failure]));
        await worker.StartAsync();

        await RunStarter.StartAsync(Client, Input(FailingRunId, sftSteps: 300));
        await RunStarter.StartAsync(Client, Input(TrainingRunId, sftSteps: 1_000_000));

        // The failing run's state is final once it failed: the list, its filter and the history no longer move.
        await WaitForAsync(async () => (await Client.GetWorkflowHandle(FailingRunId).DescribeAsync()).Status == WorkflowExecutionStatus.Failed,
            $"{FailingRunId} to fail in BuildPairs");
        FailedRunRunId = (await Client.GetWorkflowHandle(FailingRunId).DescribeAsync()).RunId;
        FailedIterationRunId = (await Client.GetWorkflowHandle(FailingIterationId).DescribeAsync()).RunId;
        await WaitForAsync(async () => (await TrainingDescriptionAsync()).PendingActivities.Any(a => a.HeartbeatDetails?.Payloads_.Count > 0),
            $"{TrainingRunId}'s seed SFT to heartbeat");
    }

    public Task<Temporalio.Api.WorkflowService.V1.DescribeWorkflowExecutionResponse> TrainingDescriptionAsync() =>
        Client.WorkflowService.DescribeWorkflowExecutionAsync(new()
        {
            Namespace = Namespace,
            Execution = new() { WorkflowId = TrainingRunId },
        });

    /// <summary>Options every browser check takes: where the UI is.</summary>
    public Dictionary<string, object?> Options(params (string Key, object? Value)[] more)
    {
        var options = new Dictionary<string, object?> { ["ui"] = Server.Ui.ToString(), ["namespace"] = Namespace };
        foreach (var (key, value) in more)
        {
            options[key] = value;
        }
        return options;
    }

    /// <summary>Stops a run that may have finished on its own meanwhile (a reset run goes on to the end in seconds):
    /// the server answers NotFound "already completed" for a closed run, which is the state wanted.</summary>
    public static async Task TerminateIfRunningAsync(Temporalio.Client.WorkflowHandle run, string reason)
    {
        try
        {
            await run.TerminateAsync(reason);
        }
        catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
        {
            // Already closed.
        }
    }

    public async Task DisposeAsync()
    {
        await TerminateIfRunningAsync(Client.GetWorkflowHandle(TrainingRunId), "browser tests finished");
        if (worker is not null)
        {
            await worker.StopAsync();
            worker.Dispose();
        }
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        Directory.Delete(artifacts, recursive: true);
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Patience} for {what}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The tiny sandbox run of the end-to-end tests: a 1-layer Llama of hidden size 32, two iterations of 8 prompts.</summary>
    private static RunInput Input(string runId, int sftSteps) => new()
    {
        RunId = runId,
        JudgeMode = JudgeMode.Model,
        TaskQueues = new TaskQueues(),
        Sandbox = new SandboxOptions
        {
            HiddenSize = 32,
            Layers = 1,
            Heads = 4,
            IntermediateSize = 64,
            SftSteps = sftSteps,
            SftBatchSize = 16,
            EvaluationPrompts = 8,
            EvaluationSamples = 2,
        },
        Configuration = new RunConfiguration
        {
            Seed = 11,
            ShardSize = 4,
            Iterations = [Iteration(trainsJudge: true), Iteration(trainsJudge: false)],
        },
    };

    private static IterationSettings Iteration(bool trainsJudge) => new()
    {
        TrainsJudge = trainsJudge,
        Prompts = 8,
        ResponsesPerPrompt = 3,
        JudgmentsPerResponse = 2,
        ActorSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 20 },
        JudgeSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 16 },
        MetaJudgeSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 32 },
        Dpo = new DpoSettings { GlobalBatchSize = 2, LearningRate = 1e-3, Epochs = 2, RpoAlpha = 1 },
    };
}
