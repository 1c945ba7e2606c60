using MetaRewarding.Activities.Contracts;
using MetaRewarding.InMemoryTemporal;
using Temporalio.Client;
using Temporalio.Worker;

namespace MetaRewarding.Workflows.Tests.Support;

/// <summary>
/// The real workflows on real SDK workers (CPU queue: workflows + run activities; GPU queue: model activities),
/// talking gRPC to the in-process Temporal server; only the activities are test doubles.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private readonly InMemoryTemporalServer server;
    private readonly TemporalWorker cpuWorker;
    private readonly TemporalWorker gpuWorker;
    private readonly CancellationTokenSource stop = new();
    private readonly Task cpuRun;
    private readonly Task gpuRun;

    private WorkflowHarness(InMemoryTemporalServer server, TemporalClient client, TaskQueues queues, RecordingActivities activities)
    {
        this.server = server;
        Client = client;
        Queues = queues;
        cpuWorker = new TemporalWorker(client, new TemporalWorkerOptions(queues.Cpu)
            .AddWorkflow<RunWorkflow>()
            .AddWorkflow<IterationWorkflow>()
            .AddAllActivities<IRunActivities>(activities));
        gpuWorker = new TemporalWorker(client, new TemporalWorkerOptions(queues.Gpu).AddAllActivities<IModelActivities>(activities));
        cpuRun = cpuWorker.ExecuteAsync(stop.Token);
        gpuRun = gpuWorker.ExecuteAsync(stop.Token);
    }

    public TemporalClient Client { get; }

    public TaskQueues Queues { get; }

    public static async Task<WorkflowHarness> StartAsync(RecordingActivities activities)
    {
        var server = await InMemoryTemporalServer.StartAsync();
        var client = await TemporalClient.ConnectAsync(
            new TemporalClientConnectOptions(server.Target) { DataConverter = RunPayloadConverter.DataConverter });
        var id = Guid.NewGuid().ToString("N")[..8];
        return new WorkflowHarness(server, client, new TaskQueues { Cpu = $"cpu-{id}", Gpu = $"gpu-{id}" }, activities);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(cpuRun, gpuRun);
        }
        catch (OperationCanceledException)
        {
            // The workers end by cancellation: that is how they are stopped.
        }

        cpuWorker.Dispose();
        gpuWorker.Dispose();
        stop.Dispose();
        await server.DisposeAsync();
    }
}
