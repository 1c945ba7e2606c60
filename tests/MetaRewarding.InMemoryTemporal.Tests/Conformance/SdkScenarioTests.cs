using MetaRewarding.InMemoryTemporal.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

/// <summary>
/// Behaviours the SDK's own scenarios expect of a server, each once found missing here (docs: the server's README,
/// "What it implements"): cancel after close, unset memo and search attributes, health, build ids in history, start
/// delay, a workflow's own retry policy.
/// </summary>
public sealed class SdkScenarioTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task RequestCancel_WorkflowAlreadyCompleted_IsNoOpSuccess()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<EchoWorkflow>().AddActivity(new TestActivities().Echo), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((EchoWorkflow w) => w.RunAsync("hi"), new("cancel-closed-" + queue, queue));
            Assert.Equal("hi", await handle.GetResultAsync());
            await handle.CancelAsync();
            Assert.Equal(WorkflowExecutionStatus.Completed, (await handle.DescribeAsync()).Status);
        });
    }

    [Fact]
    public async Task Unset_MemoKeyAndSearchAttribute_AreDeleted()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<UnsetPropertiesWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((UnsetPropertiesWorkflow w) => w.RunAsync(), new("unset-" + queue, queue));
            await handle.GetResultAsync();
            var description = await handle.DescribeAsync();
            Assert.Equal(["kept"], description.Memo.Keys.Order());
            Assert.False(description.TypedSearchAttributes.ContainsKey(UnsetPropertiesWorkflow.Label));
            var listed = await fixture.Client.ListWorkflowsAsync($"WorkflowId = '{handle.Id}'").ToListAsync();
            Assert.Equal(["kept"], Assert.Single(listed).Memo.Keys);
        });
    }

    [Fact]
    public async Task CheckHealth_ServerRunning_IsServing()
    {
        Assert.True(await fixture.Client.Connection.CheckHealthAsync());
    }

    [Fact]
    public async Task Query_WorkerOfAnotherBuildId_ReplaysWithTheRecordedBuildId()
    {
        var queue = ServerFixture.NewTaskQueue();
        WorkflowHandle<BuildIdBranchWorkflow, string>? handle = null;
        await WithBuildIdWorkerAsync(queue, "1.0", async () =>
        {
            handle = await fixture.Client.StartWorkflowAsync((BuildIdBranchWorkflow w) => w.RunAsync(), new("build-id-" + queue, queue));
            await WaitForEventAsync(handle, EventType.TimerFired);
        });
        // The 2.0 worker has no cached state: it replays the 1.0 worker's tasks. Unless history says they ran on 1.0,
        // it would skip the timer and fail the query with a nondeterminism error.
        await WithBuildIdWorkerAsync(queue, "2.0", async () =>
        {
            Assert.Equal("1.0", await handle!.QueryAsync(w => w.FirstBuildId()));
            await handle.SignalAsync(w => w.FinishAsync());
            Assert.Equal("1.0", await handle.GetResultAsync());
        });
        var completed = (await handle!.FetchHistoryAsync()).Events.Where(e => e.EventType == EventType.WorkflowTaskCompleted).ToList();
#pragma warning disable CS0612 // WorkerVersion: deprecated in the API, what Temporalio 1.21.1 reads
        Assert.Equal("1.0", completed[0].WorkflowTaskCompletedEventAttributes.WorkerVersion.BuildId);
        Assert.Equal("2.0", completed[^1].WorkflowTaskCompletedEventAttributes.WorkerVersion.BuildId);
#pragma warning restore CS0612
    }

    [Fact]
    public async Task StartDelay_FirstWorkflowTaskWaitsForIt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { TimeProvider = clock, LongPollTimeout = TimeSpan.FromSeconds(3) });
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target));
        var queue = ServerFixture.NewTaskQueue();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }
            .AddWorkflow<SignalQueryWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(),
                new("delayed-" + queue, queue) { StartDelay = TimeSpan.FromHours(2) });
            await handle.SignalAsync(w => w.AddAsync("early"));
            var started = (await handle.FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
            Assert.Equal(TimeSpan.FromHours(2), started.FirstWorkflowTaskBackoff.ToTimeSpan());
            var description = await handle.DescribeAsync();
            Assert.Equal(description.StartTime.AddHours(2), description.ExecutionTime);
            // A signal does not end the delay: no workflow task until the clock reaches it.
            Assert.DoesNotContain((await handle.FetchHistoryAsync()).Events, e => e.EventType == EventType.WorkflowTaskScheduled);
            clock.Advance(TimeSpan.FromHours(2));
            await WaitForEventAsync(handle, EventType.WorkflowTaskCompleted);
            await handle.SignalAsync(w => w.FinishAsync());
            Assert.Equal("early", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        });
    }

    [Fact]
    public async Task WorkflowRetryPolicy_FailedAttempts_AreRetriedAsNewRuns()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SucceedsOnAttemptWorkflow>(), async () =>
        {
            var options = new WorkflowOptions("retried-" + queue, queue)
            {
                RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10), MaximumAttempts = 5 },
            };
            var handle = await fixture.Client.StartWorkflowAsync((SucceedsOnAttemptWorkflow w) => w.RunAsync(3), options);
            Assert.Equal(3, await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20)));
            var runs = await fixture.Client.ListWorkflowsAsync($"WorkflowId = '{handle.Id}'").ToListAsync();
            Assert.Equal(3, runs.Count);
            Assert.Equal(2, runs.Count(r => r.Status == WorkflowExecutionStatus.Failed));
            var first = (await fixture.Client.GetWorkflowHandle(handle.Id, runId: handle.FirstExecutionRunId ?? handle.ResultRunId).FetchHistoryAsync()).Events.ToList();
            Assert.Equal(RetryState.InProgress, first[^1].WorkflowExecutionFailedEventAttributes.RetryState);
        });
    }

    [Fact]
    public async Task WorkflowRetryPolicy_AttemptsUsedUp_FailsWithMaximumAttemptsReached()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SucceedsOnAttemptWorkflow>(), async () =>
        {
            var options = new WorkflowOptions("retries-used-up-" + queue, queue)
            {
                RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(10), MaximumAttempts = 2 },
            };
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
                fixture.Client.ExecuteWorkflowAsync((SucceedsOnAttemptWorkflow w) => w.RunAsync(5), options).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Contains("attempt 2 fails", ex.InnerException?.Message, StringComparison.Ordinal);
            var last = (await fixture.Client.GetWorkflowHandle(options.Id!).FetchHistoryAsync()).Events.Last();
            Assert.Equal(RetryState.MaximumAttemptsReached, last.WorkflowExecutionFailedEventAttributes.RetryState);
        });
    }

    private async Task WithBuildIdWorkerAsync(string queue, string buildId, Func<Task> test)
    {
#pragma warning disable CS0618 // BuildId without versioning: what a team sets to tell deployments apart
        var options = new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero, BuildId = buildId, MaxCachedWorkflows = 0 }
            .AddWorkflow<BuildIdBranchWorkflow>();
#pragma warning restore CS0618
        using var worker = new TemporalWorker(fixture.Client, options);
        await worker.ExecuteAsync(test);
    }

    private static async Task WaitForEventAsync(WorkflowHandle handle, EventType type)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == type))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {type} event within 20 s");
            await Task.Delay(20);
        }
    }
}
