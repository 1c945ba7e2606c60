using MetaRewarding.Activities.Contracts;
using MetaRewarding.EndToEnd.Tests.Support;
using MetaRewarding.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Xunit.Abstractions;

namespace MetaRewarding.EndToEnd.Tests;

/// <summary>
/// The worker as a separate process (<c>dotnet metarewarding.dll worker</c>) is SIGKILLed in the middle of an
/// activity; a new worker process takes the run over and finishes it, and the final checkpoint is byte for byte the
/// one of an uninterrupted run with the same seed. The server (in this test process) notices the dead worker by
/// the activity's missed heartbeats: the run's <see cref="ActivityTimeouts"/> are shortened to seconds.
/// </summary>
[Collection(ReferenceRunGroup.Name)]
public sealed class CrashTests(CrashTests.UninterruptedRun reference, ITestOutputHelper output) : IClassFixture<CrashTests.UninterruptedRun>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Worker_KilledDuringDpoAfterACheckpoint_NewWorkerFinishesWithTheUninterruptedCheckpoint()
    {
        const string runId = "crash-dpo";
        var checkpoints = Path.Combine("runs", runId, "iteration-1", "dpo", "checkpoints");

        var summary = await RunKillingOnceAsync(runId, ActivityNames.TrainDpo, root =>
            Directory.Exists(Path.Combine(root, checkpoints))
            && Directory.EnumerateFiles(Path.Combine(root, checkpoints), "manifest.json", SearchOption.AllDirectories).Any());

        Assert.Equal(reference.FinalModelSha256, summary.Iterations[^1].Model.Sha256);
    }

    [Fact]
    public async Task Worker_KilledDuringAGenerationShard_NewWorkerFinishesWithTheUninterruptedCheckpoint()
    {
        var summary = await RunKillingOnceAsync("crash-generate", ActivityNames.GenerateResponses, _ => true);

        Assert.Equal(reference.FinalModelSha256, summary.Iterations[^1].Model.Sha256);
    }

    /// <summary>
    /// Runs <see cref="TinyRun.Crashable"/> on a worker process, kills it once iteration 1 has <paramref name="activity"/>
    /// started and <paramref name="ready"/> holds for the store, starts a second worker, and returns the result. Asserts
    /// that the activity really was cut: it needed a second attempt.
    /// </summary>
    private async Task<RunSummary> RunKillingOnceAsync(string runId, string activity, Func<string, bool> ready)
    {
        using var folder = new TemporaryFolder("mr-e2e-");
        await using var deployment = await InProcessDeployment.StartAsync(folder.Path, startWorker: false);
        var first = WorkerProcess.Start(deployment.Target, folder.Path, "worker-1");
        WorkerProcess? second = null;
        var passed = false;
        try
        {
            using var timeout = new CancellationTokenSource(Limit);
            var handle = await Worker.Runs.RunStarter.StartAsync(deployment.Client, TinyRun.Crashable(runId, deployment.Queues));
            var iteration = deployment.Client.GetWorkflowHandle(WorkflowNames.IterationWorkflowId(runId, 1));
            while (second is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
                Assert.False(await IsClosedAsync(handle), $"the run closed before {activity} could be interrupted");
                if (await IsRunningAsync(deployment.Client, iteration.Id, activity) && ready(folder.Path))
                {
                    first.Kill();
                    output.WriteLine($"killed worker-1 during {activity}");
                    second = WorkerProcess.Start(deployment.Target, folder.Path, "worker-2");
                }
            }

            while (!await IsClosedAsync(handle))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
            }

            var summary = await handle.GetResultAsync();
            Assert.True(await AttemptsAsync(iteration, activity) >= 2, $"{activity} finished in its first attempt: the kill did not interrupt it");
            passed = true;
            return summary;
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
            if (!passed)
            {
                output.WriteLine(first.Log);
                output.WriteLine(second?.Log ?? "(no second worker)");
            }
        }
    }

    private static async Task<bool> IsClosedAsync(WorkflowHandle handle) =>
        (await handle.DescribeAsync()).Status != WorkflowExecutionStatus.Running;

    /// <summary>Whether the workflow exists and a worker has started <paramref name="activity"/>.</summary>
    private static async Task<bool> IsRunningAsync(TemporalClient client, string workflowId, string activity)
    {
        try
        {
            var description = await client.WorkflowService.DescribeWorkflowExecutionAsync(new()
            {
                Namespace = client.Options.Namespace,
                Execution = new() { WorkflowId = workflowId },
            });
            return description.PendingActivities.Any(a => a.ActivityType.Name == activity && a.State == PendingActivityState.Started);
        }
        catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The highest attempt at which <paramref name="activity"/> was started, from the workflow's history.</summary>
    private static async Task<int> AttemptsAsync(WorkflowHandle handle, string activity)
    {
        var history = await handle.FetchHistoryAsync();
        var types = history.Events
            .Where(e => e.ActivityTaskScheduledEventAttributes is not null)
            .ToDictionary(e => e.EventId, e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name);
        return history.Events
            .Where(e => e.ActivityTaskStartedEventAttributes is { } started && types[started.ScheduledEventId] == activity)
            .Select(e => e.ActivityTaskStartedEventAttributes.Attempt)
            .DefaultIfEmpty(0)
            .Max();
    }

    /// <summary>The same run, uninterrupted, by the in-process worker: the checkpoint the crashed runs must reproduce.</summary>
    public sealed class UninterruptedRun : IAsyncLifetime
    {
        private readonly string root = Path.Combine(Path.GetTempPath(), "mr-e2e-crash-reference-" + Guid.NewGuid().ToString("N"));

        public string FinalModelSha256 { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(root);
            await using var deployment = await InProcessDeployment.StartAsync(root, startWorker: true);
            var run = await RunObservation.RunAsync(deployment.Client, TinyRun.Crashable("crash-reference", deployment.Queues), Limit);
            FinalModelSha256 = run.Summary.Iterations[^1].Model.Sha256;
        }

        public Task DisposeAsync()
        {
            Directory.Delete(root, recursive: true);
            return Task.CompletedTask;
        }
    }
}
