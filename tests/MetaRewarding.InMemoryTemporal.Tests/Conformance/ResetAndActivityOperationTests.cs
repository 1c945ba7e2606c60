using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

/// <summary>
/// Reset and the activity operations, called as `temporal workflow reset` and `temporal activity ...` call them
/// (the raw WorkflowService requests; the CLI computes LastWorkflowTask / FirstWorkflowTask from the history itself).
/// Retry backoffs of an hour make "it ran again during the test" mean "the operation dispatched it".
/// </summary>
public sealed class ResetAndActivityOperationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Reset_FailedRunToTheTaskThatScheduledTheActivity_FinishesReusingEarlierResults()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TemplateActivities { BrokenIsFatal = true };
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TemplateWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((TemplateWorkflow w) => w.RunAsync("data"), new("reset-failed-" + queue, queue));
            await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());
            activities.Broken = false; // the user fixes the template
            var events = (await handle.FetchHistoryAsync()).Events.ToList();
            var render = events.Single(e => e.EventType == EventType.ActivityTaskScheduled && e.ActivityTaskScheduledEventAttributes.ActivityId == "render");
            var newRunId = await ResetAsync(handle.Id, render.ActivityTaskScheduledEventAttributes.WorkflowTaskCompletedEventId);
            var result = await fixture.Client.GetWorkflowHandle<TemplateWorkflow, string>(handle.Id, runId: newRunId).GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal("prepared data, rendered on attempt 1", result);
            Assert.Equal(1, activities.PrepareCalls);
            var reset = (await fixture.Client.GetWorkflowHandle(handle.Id, runId: newRunId).FetchHistoryAsync()).Events
                .Single(e => e.EventType == EventType.WorkflowTaskFailed).WorkflowTaskFailedEventAttributes;
            Assert.Equal(WorkflowTaskFailedCause.ResetWorkflow, reset.Cause);
            Assert.Equal(handle.ResultRunId, reset.BaseRunId);
        });
    }

    [Fact]
    public async Task Reset_ToAnEventThatEndsNoWorkflowTask_IsRefusedWithTheValidIds()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<EchoWorkflow>().AddActivity(new TestActivities().Echo), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((EchoWorkflow w) => w.RunAsync("x"), new("reset-bad-id-" + queue, queue));
            await handle.GetResultAsync();
            var valid = (await handle.FetchHistoryAsync()).Events.Where(e => e.EventType == EventType.WorkflowTaskCompleted).Select(e => e.EventId).ToList();
            var ex = await Assert.ThrowsAsync<RpcException>(() => ResetAsync(handle.Id, 1));
            Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
            Assert.Contains("Event ids this run can be reset to: " + string.Join(", ", valid) + ".", ex.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Reset_LastWorkflowTask_ReplaysTheLastTaskKeepingActivityResults()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<EchoWorkflow>().AddActivity(activities.Echo), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((EchoWorkflow w) => w.RunAsync("again"), new("reset-last-" + queue, queue));
            await handle.GetResultAsync();
            var last = (await handle.FetchHistoryAsync()).Events.Last(e => e.EventType == EventType.WorkflowTaskCompleted);
            var newRunId = await ResetAsync(handle.Id, last.EventId);
            Assert.Equal("again", await fixture.Client.GetWorkflowHandle<EchoWorkflow, string>(handle.Id, runId: newRunId).GetResultAsync());
            Assert.Equal(1, activities.EchoCalls);
        });
    }

    [Fact]
    public async Task Reset_FirstWorkflowTask_OfARunningWorkflow_ReappliesLaterSignalsAndTerminatesTheOldRun()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SignalQueryWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("reset-first-" + queue, queue));
            // The signal comes after the first workflow task, so resetting to that task's end leaves it out of the kept history.
            await WaitForAsync(async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.WorkflowTaskCompleted));
            await handle.SignalAsync(w => w.AddAsync("a"));
            await WaitForAsync(async () => (await handle.FetchHistoryAsync()).Events.Count(e => e.EventType == EventType.WorkflowTaskCompleted) >= 2);
            var first = (await handle.FetchHistoryAsync()).Events.First(e => e.EventType == EventType.WorkflowTaskCompleted);
            var newRunId = await ResetAsync(handle.Id, first.EventId);
            Assert.Equal(WorkflowExecutionStatus.Terminated, (await fixture.Client.GetWorkflowHandle(handle.Id, runId: handle.ResultRunId).DescribeAsync()).Status);
            var latest = fixture.Client.GetWorkflowHandle<SignalQueryWorkflow, string>(handle.Id);
            await latest.SignalAsync(w => w.FinishAsync());
            Assert.Equal("a", await latest.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal(newRunId, (await latest.DescribeAsync()).RunId);
        });
    }

    [Fact]
    public async Task ResetActivity_WaitingOnItsBackoff_RunsNowFromAttemptOne()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TemplateActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TemplateWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((TemplateWorkflow w) => w.RunAsync("d"), new("activity-reset-" + queue, queue));
            await WaitForAttemptAsync(handle, 2);
            activities.Broken = false;
            await fixture.Client.WorkflowService.ResetActivityAsync(new ResetActivityRequest
            {
                Namespace = fixture.Client.Options.Namespace, Execution = new() { WorkflowId = handle.Id }, Id = "render", ResetHeartbeat = true,
            });
            Assert.Equal("prepared d, rendered on attempt 1", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        });
    }

    [Fact]
    public async Task PauseThenUnpause_WaitingActivity_ShowsPausedThenRunsAtOnce()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TemplateActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TemplateWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((TemplateWorkflow w) => w.RunAsync("p"), new("activity-pause-" + queue, queue));
            await WaitForAttemptAsync(handle, 2);
            var execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id };
            await fixture.Client.WorkflowService.PauseActivityAsync(new PauseActivityRequest
            {
                Namespace = fixture.Client.Options.Namespace, Execution = execution, Id = "render", Reason = "template broken", Identity = "test",
            });
            var paused = Assert.Single((await DescribeRawAsync(handle.Id)).PendingActivities);
            Assert.Equal(PendingActivityState.Paused, paused.State);
            Assert.Equal("template broken", paused.PauseInfo.Manual.Reason);
            activities.Broken = false;
            await fixture.Client.WorkflowService.UnpauseActivityAsync(new UnpauseActivityRequest
            {
                Namespace = fixture.Client.Options.Namespace, Execution = execution, Id = "render",
            });
            Assert.Equal("prepared p, rendered on attempt 2", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        });
    }

    [Fact]
    public async Task UpdateActivityOptions_StartToClose_ChangesThePendingActivityNotItsHistory()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TemplateActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TemplateWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((TemplateWorkflow w) => w.RunAsync("u"), new("activity-options-" + queue, queue));
            await WaitForAttemptAsync(handle, 2);
            var request = new UpdateActivityOptionsRequest
            {
                Namespace = fixture.Client.Options.Namespace,
                Execution = new() { WorkflowId = handle.Id },
                Id = "render",
                ActivityOptions = new() { StartToCloseTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(72)) },
                UpdateMask = new() { Paths = { "start_to_close_timeout" } },
            };
            var response = await fixture.Client.WorkflowService.UpdateActivityOptionsAsync(request);
            Assert.Equal(TimeSpan.FromHours(72), response.ActivityOptions.StartToCloseTimeout.ToTimeSpan());
            var pending = Assert.Single((await DescribeRawAsync(handle.Id)).PendingActivities);
            Assert.Equal(TimeSpan.FromHours(72), pending.ActivityOptions.StartToCloseTimeout.ToTimeSpan());
            var scheduled = (await handle.FetchHistoryAsync()).Events.Last(e => e.EventType == EventType.ActivityTaskScheduled);
            Assert.Equal(TimeSpan.FromSeconds(10), scheduled.ActivityTaskScheduledEventAttributes.StartToCloseTimeout.ToTimeSpan());

            request.UpdateMask.Paths[0] = "no_such_option";
            var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.UpdateActivityOptionsAsync(request));
            Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
            await handle.TerminateAsync("test over");
        });
    }

    [Fact]
    public async Task ActivityOperation_UnknownActivityId_IsNotFoundNamingThePendingOnes()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TemplateActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TemplateWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((TemplateWorkflow w) => w.RunAsync("n"), new("activity-unknown-" + queue, queue));
            await WaitForAttemptAsync(handle, 2);
            var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.PauseActivityAsync(new PauseActivityRequest
            {
                Namespace = fixture.Client.Options.Namespace, Execution = new() { WorkflowId = handle.Id }, Id = "7",
            }));
            Assert.Equal(RpcException.StatusCode.NotFound, ex.Code);
            Assert.Contains("render (Render)", ex.Message, StringComparison.Ordinal);
            await handle.TerminateAsync("test over");
        });
    }

    [Fact]
    public async Task DescribeTaskQueue_WithStats_CountsTasksWaitingForAWorker()
    {
        var queue = ServerFixture.NewTaskQueue();
        for (var i = 0; i < 3; i++)
        {
            await fixture.Client.StartWorkflowAsync((EchoWorkflow w) => w.RunAsync("q"), new($"backlog-{i}-" + queue, queue));
        }
        var legacy = await fixture.Client.WorkflowService.DescribeTaskQueueAsync(new DescribeTaskQueueRequest
        {
            Namespace = fixture.Client.Options.Namespace, TaskQueue = new() { Name = queue }, TaskQueueType = TaskQueueType.Workflow, ReportStats = true,
        });
        Assert.Equal(3, legacy.Stats.ApproximateBacklogCount);
#pragma warning disable CS0612 // the enhanced mode: what the Go SDK's DescribeTaskQueueEnhanced (KEDA's temporal scaler) sends
        var enhanced = await fixture.Client.WorkflowService.DescribeTaskQueueAsync(new DescribeTaskQueueRequest
        {
            Namespace = fixture.Client.Options.Namespace, TaskQueue = new() { Name = queue }, ApiMode = DescribeTaskQueueMode.Enhanced, ReportStats = true,
            TaskQueueTypes = { TaskQueueType.Workflow, TaskQueueType.Activity },
        });
        var types = enhanced.VersionsInfo[""].TypesInfo;
#pragma warning restore CS0612
        Assert.Equal(3, types[(int)TaskQueueType.Workflow].Stats.ApproximateBacklogCount);
        Assert.Equal(0, types[(int)TaskQueueType.Activity].Stats.ApproximateBacklogCount);
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<EchoWorkflow>().AddActivity(new TestActivities().Echo), async () =>
        {
            foreach (var i in Enumerable.Range(0, 3))
            {
                await fixture.Client.GetWorkflowHandle($"backlog-{i}-" + queue).GetResultAsync<string>();
            }
        });
        var drained = await fixture.Client.WorkflowService.DescribeTaskQueueAsync(new DescribeTaskQueueRequest
        {
            Namespace = fixture.Client.Options.Namespace, TaskQueue = new() { Name = queue }, ReportStats = true,
        });
        Assert.Equal(0, drained.Stats.ApproximateBacklogCount);
    }

    private async Task<string> ResetAsync(string workflowId, long eventId) =>
        (await fixture.Client.WorkflowService.ResetWorkflowExecutionAsync(new ResetWorkflowExecutionRequest
        {
            Namespace = fixture.Client.Options.Namespace,
            WorkflowExecution = new() { WorkflowId = workflowId },
            WorkflowTaskFinishEventId = eventId,
            Reason = "test",
            RequestId = Guid.NewGuid().ToString(),
        })).RunId;

    private Task<DescribeWorkflowExecutionResponse> DescribeRawAsync(string workflowId) =>
        fixture.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
        {
            Namespace = fixture.Client.Options.Namespace, Execution = new() { WorkflowId = workflowId },
        });

    /// <summary>Waits until the render activity has failed into the given (not yet started) attempt.</summary>
    private Task WaitForAttemptAsync(WorkflowHandle handle, int attempt) => WaitForAsync(async () =>
        (await DescribeRawAsync(handle.Id)).PendingActivities.Any(a => a.ActivityId == "render" && a.Attempt == attempt));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(20);
        }
    }
}
