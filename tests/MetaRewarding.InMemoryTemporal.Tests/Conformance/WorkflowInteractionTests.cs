using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class WorkflowInteractionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task SignalAndQuery_RunningWorkflow_QueryReflectsSignalsAndSignalCompletes()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SignalQueryWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("signal-" + queue, queue));
            await handle.SignalAsync(w => w.AddAsync("a"));
            await handle.SignalAsync(w => w.AddAsync("b"));
            Assert.Equal("2 items", await handle.QueryAsync(w => w.Status));
            await handle.SignalAsync(w => w.FinishAsync());
            Assert.Equal("a,b", await handle.GetResultAsync());
            // A closed workflow can still be queried (the worker replays its history).
            Assert.Equal("2 items", await handle.QueryAsync(w => w.Status));
        });
    }

    [Fact]
    public async Task Query_HandlerThrows_ClientGetsQueryFailed()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SignalQueryWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("query-fail-" + queue, queue));
            var ex = await Assert.ThrowsAsync<WorkflowQueryFailedException>(() => handle.QueryAsync(w => w.Broken));
            Assert.Contains("always fails", ex.Message, StringComparison.Ordinal);
            await handle.TerminateAsync("test over");
        });
    }

    [Fact]
    public async Task SignalWithStart_NoRunningWorkflow_StartsAndDeliversSignal()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SignalQueryWorkflow>(), async () =>
        {
            var options = new WorkflowOptions("sws-" + queue, queue);
            options.SignalWithStart((SignalQueryWorkflow w) => w.AddAsync("first"));
            var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), options);
            var again = new WorkflowOptions("sws-" + queue, queue);
            again.SignalWithStart((SignalQueryWorkflow w) => w.AddAsync("second"));
            var same = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), again);
            Assert.Equal(handle.ResultRunId, same.ResultRunId);
            await handle.SignalAsync(w => w.FinishAsync());
            Assert.Equal("first,second", await handle.GetResultAsync());
        });
    }

    [Fact]
    public async Task Timer_Delay_FiresNoEarlierThanRequested()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TimerWorkflow>(), async () =>
        {
            var elapsed = await fixture.Client.ExecuteWorkflowAsync((TimerWorkflow w) => w.RunAsync(300), new("timer-" + queue, queue));
            // Workflow time is the workflow task's start time; the timer fires after >= 300 ms of server time.
            // 2 ms of slack covers timestamp rounding; the upper bound allows a loaded 2-core machine.
            Assert.InRange(elapsed, 298, 1500);
        });
    }

    [Fact]
    public async Task Cancel_RunningWorkflow_EndsCanceled()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<WaitForeverWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new("cancel-wf-" + queue, queue));
            await handle.CancelAsync();
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());
            Assert.IsType<CanceledFailureException>(ex.InnerException);
            Assert.Equal(WorkflowExecutionStatus.Canceled, (await handle.DescribeAsync()).Status);
        });
    }

    [Fact]
    public async Task Terminate_RunningWorkflow_EndsTerminatedAndRefusesSignals()
    {
        var queue = ServerFixture.NewTaskQueue();
        var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("terminate-" + queue, queue));
        await handle.TerminateAsync("enough");
        var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());
        Assert.IsType<TerminatedFailureException>(ex.InnerException);
        Assert.Equal(WorkflowExecutionStatus.Terminated, (await handle.DescribeAsync()).Status);
        var signal = await Assert.ThrowsAsync<RpcException>(() => handle.SignalAsync(w => w.FinishAsync()));
        Assert.Equal(RpcException.StatusCode.NotFound, signal.Code);
    }

    [Fact]
    public async Task ContinueAsNew_ThreeTimes_ResultComesFromLastRunAndChainIsListed()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "can-" + queue;
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ContinueAsNewWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((ContinueAsNewWorkflow w) => w.RunAsync(3), new(id, queue));
            Assert.Equal(1, await handle.GetResultAsync());
            var runs = await fixture.Client.ListWorkflowsAsync($"WorkflowId = '{id}'").ToListAsync();
            Assert.Equal(4, runs.Count);
            Assert.Equal(3, runs.Count(r => r.Status == WorkflowExecutionStatus.ContinuedAsNew));
            Assert.Single(runs, r => r.Status == WorkflowExecutionStatus.Completed);
        });
    }

    [Fact]
    public async Task Child_Completes_ParentGetsResult()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>(), async () =>
            Assert.Equal("child ok", await fixture.Client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("complete"), new("parent-ok-" + queue, queue))));
    }

    [Fact]
    public async Task Child_Fails_FailureReachesParent()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>(), async () =>
            Assert.Equal("child failed: child broke (ChildError)",
                await fixture.Client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("fail"), new("parent-fail-" + queue, queue))));
    }

    [Fact]
    public async Task Child_CanceledByParent_ParentSeesCancellation()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "parent-cancel-" + queue;
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>(), async () =>
        {
            Assert.Equal("child canceled", await fixture.Client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("cancel"), new(id, queue)));
            Assert.Equal(WorkflowExecutionStatus.Canceled, (await fixture.Client.GetWorkflowHandle(id + "-child").DescribeAsync()).Status);
        });
    }

    [Fact]
    public async Task Child_ParentClosesFirst_ChildTerminatedByParentClosePolicy()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>(), async () =>
        {
            var childId = await fixture.Client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("abandon"), new("parent-close-" + queue, queue));
            var child = fixture.Client.GetWorkflowHandle(childId);
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => child.GetResultAsync());
            Assert.IsType<TerminatedFailureException>(ex.InnerException);
        });
    }

    [Fact]
    public async Task Child_ParentClosesWithRequestCancelPolicy_ChildIsCanceled()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>(), async () =>
        {
            var childId = await fixture.Client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("request-cancel"), new("parent-rc-" + queue, queue));
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() => fixture.Client.GetWorkflowHandle(childId).GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.IsType<CanceledFailureException>(ex.InnerException);
        });
    }
}
