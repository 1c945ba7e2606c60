using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class MoreLifecycleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task RunTimeout_WorkflowOutlivesIt_EndsTimedOut()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<WaitForeverWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(),
                new("run-timeout-" + queue, queue) { RunTimeout = TimeSpan.FromMilliseconds(500) });
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.IsType<TimeoutFailureException>(ex.InnerException);
            Assert.Equal(WorkflowExecutionStatus.TimedOut, (await handle.DescribeAsync()).Status);
        });
    }

    [Fact]
    public async Task SignalExternal_WorkflowSignalsAnother_TargetReceivesSignals()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SignalQueryWorkflow>().AddWorkflow<SignalSenderWorkflow>(), async () =>
        {
            var target = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("target-" + queue, queue));
            await fixture.Client.ExecuteWorkflowAsync((SignalSenderWorkflow w) => w.RunAsync(target.Id), new("sender-" + queue, queue));
            Assert.Equal("from a workflow", await target.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        });
    }

    [Fact]
    public async Task SignalExternal_TargetMissing_SenderFails()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SignalSenderWorkflow>(), async () =>
            await Assert.ThrowsAsync<WorkflowFailedException>(() =>
                fixture.Client.ExecuteWorkflowAsync((SignalSenderWorkflow w) => w.RunAsync("nobody-" + queue), new("lonely-sender-" + queue, queue))));
    }

    [Fact]
    public async Task StartChild_IdAlreadyRunning_ParentSeesAlreadyStarted()
    {
        var queue = ServerFixture.NewTaskQueue();
        var parentId = "parent-conflict-" + queue;
        var squatter = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new(parentId + "-child", queue));
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>().AddWorkflow<WaitForeverWorkflow>(), async () =>
            Assert.Equal("child already started", await fixture.Client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("conflict"), new(parentId, queue))));
        await squatter.TerminateAsync("test over");
    }

    [Fact]
    public async Task CancelTimer_BeforeItFires_RecordsTimerCanceled()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<CancelTimerWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((CancelTimerWorkflow w) => w.RunAsync(), new("cancel-timer-" + queue, queue));
            Assert.Equal("timer canceled", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains((await handle.FetchHistoryAsync()).Events, e => e.EventType == EventType.TimerCanceled);
        });
    }

    [Fact]
    public async Task Query_RejectConditionNotOpen_ClosedWorkflowIsRejected()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SignalQueryWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("reject-" + queue, queue));
            await handle.SignalAsync(w => w.FinishAsync());
            await handle.GetResultAsync();
            var ex = await Assert.ThrowsAsync<WorkflowQueryRejectedException>(() =>
                handle.QueryAsync(w => w.Status, new WorkflowQueryOptions { RejectCondition = QueryRejectCondition.NotOpen }));
            Assert.Equal(WorkflowExecutionStatus.Completed, ex.WorkflowStatus);
        });
    }

    [Fact]
    public async Task Count_ByTypeAndStatus_CountsMatchingRuns()
    {
        var queue = ServerFixture.NewTaskQueue();
        var handles = new List<WorkflowHandle>();
        for (var i = 0; i < 3; i++)
        {
            handles.Add(await fixture.Client.StartWorkflowAsync((CancelTimerWorkflow w) => w.RunAsync(), new($"count-{i}-{queue}", queue)));
        }
        await handles[0].TerminateAsync("one closed");
        var running = await fixture.Client.CountWorkflowsAsync("WorkflowType = 'CancelTimerWorkflow' AND ExecutionStatus = 'Running'");
        var terminated = await fixture.Client.CountWorkflowsAsync("WorkflowType = 'CancelTimerWorkflow' AND ExecutionStatus = 'Terminated'");
        Assert.Equal(2, running.Count);
        Assert.Equal(1, terminated.Count);
        foreach (var handle in handles.Skip(1))
        {
            await handle.TerminateAsync("test over");
        }
    }

    [Fact]
    public async Task FailById_ActivityFailedAsynchronously_WorkflowFailsWithActivityFailure()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<AsyncCompletionWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((AsyncCompletionWorkflow w) => w.RunAsync(), new("async-fail-" + queue, queue));
            await activities.BlockingStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await fixture.Client.GetAsyncActivityHandle(handle.Id, handle.ResultRunId!, "later")
                .FailAsync(new ApplicationFailureException("failed from outside"));
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            var failure = Assert.IsType<ActivityFailureException>(ex.InnerException);
            Assert.Equal("failed from outside", failure.InnerException?.Message);
        });
    }
}
