using Google.Protobuf.WellKnownTypes;
using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

/// <summary>Protocol behaviours driven with raw WorkflowService calls, where the SDK cannot force the timing.</summary>
public sealed class RawProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TemporalClient Client => fixture.Client;

    [Fact]
    public async Task WorkflowTask_NotAnsweredInTime_TimesOutAndIsRescheduled()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "wft-timeout-" + queue;
        await StartAsync(id, queue, taskTimeout: TimeSpan.FromMilliseconds(300));
        var task = await PollAsync(queue);
        Assert.Equal(1, task.Attempt);
        var retried = await PollAsync(queue); // the first attempt is never answered
        Assert.Equal(2, retried.Attempt);
        Assert.Contains(retried.History.Events, e => e.EventType == EventType.WorkflowTaskTimedOut);
        var stale = await Assert.ThrowsAsync<Temporalio.Exceptions.RpcException>(() => CompleteAsync(task, Complete()));
        Assert.Equal(Temporalio.Exceptions.RpcException.StatusCode.NotFound, stale.Code);
        await CompleteAsync(retried, Complete());
        Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Completed, (await Client.GetWorkflowHandle(id).DescribeAsync()).Status);
    }

    [Fact]
    public async Task CompleteCommand_SignalArrivedDuringTask_IsRefusedAndNewTaskCarriesSignal()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "unhandled-" + queue;
        await StartAsync(id, queue, TimeSpan.FromSeconds(10));
        var task = await PollAsync(queue);
        await Client.GetWorkflowHandle(id).SignalAsync("late", []);
        await CompleteAsync(task, Complete());
        var next = await PollAsync(queue);
        var types = next.History.Events.Select(e => e.EventType).ToList();
        Assert.Contains(EventType.WorkflowTaskFailed, types);
        Assert.Equal(WorkflowTaskFailedCause.UnhandledCommand, next.History.Events.First(e => e.EventType == EventType.WorkflowTaskFailed).WorkflowTaskFailedEventAttributes.Cause);
        Assert.Contains(EventType.WorkflowExecutionSignaled, types);
        Assert.DoesNotContain(EventType.WorkflowExecutionCompleted, types);
        await CompleteAsync(next, Complete());
    }

    [Fact]
    public async Task Start_SameRequestIdTwice_ReturnsSameRunWithoutError()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "idempotent-" + queue;
        var first = await StartAsync(id, queue, TimeSpan.FromSeconds(10), requestId: "req-1");
        var second = await StartAsync(id, queue, TimeSpan.FromSeconds(10), requestId: "req-1");
        Assert.Equal(first.RunId, second.RunId);
        await Client.GetWorkflowHandle(id).TerminateAsync("test over");
    }

    [Fact]
    public async Task Start_ConflictPolicyTerminateExisting_TerminatesOldRun()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "terminate-existing-" + queue;
        var first = await Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new(id, queue));
        var second = await Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(),
            new(id, queue) { IdConflictPolicy = WorkflowIdConflictPolicy.TerminateExisting });
        Assert.NotEqual(first.ResultRunId, second.ResultRunId);
        Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Terminated, (await Client.GetWorkflowHandle(id, runId: first.ResultRunId).DescribeAsync()).Status);
        await second.TerminateAsync("test over");
    }

    [Fact]
    public async Task ActivityCommand_WithoutTimeouts_FailsTaskWithBadAttributes()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "bad-command-" + queue;
        await StartAsync(id, queue, TimeSpan.FromSeconds(10));
        var task = await PollAsync(queue);
        var command = new Command
        {
            CommandType = CommandType.ScheduleActivityTask,
            ScheduleActivityTaskCommandAttributes = new() { ActivityId = "1", ActivityType = new() { Name = "X" } },
        };
        var ex = await Assert.ThrowsAsync<Temporalio.Exceptions.RpcException>(() => CompleteAsync(task, command));
        Assert.Equal(Temporalio.Exceptions.RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("StartToCloseTimeout", ex.Message, StringComparison.Ordinal);
        var retry = await PollAsync(queue);
        Assert.Equal(WorkflowTaskFailedCause.BadScheduleActivityAttributes,
            retry.History.Events.Last(e => e.EventType == EventType.WorkflowTaskFailed).WorkflowTaskFailedEventAttributes.Cause);
        await CompleteAsync(retry, Complete());
    }

    private Task<StartWorkflowExecutionResponse> StartAsync(string id, string queue, TimeSpan taskTimeout, string requestId = "") =>
        Client.WorkflowService.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
        {
            Namespace = fixture.Server.Namespace,
            WorkflowId = id,
            WorkflowType = new WorkflowType { Name = "RawWorkflow" },
            TaskQueue = new TaskQueue { Name = queue },
            WorkflowTaskTimeout = Duration.FromTimeSpan(taskTimeout),
            RequestId = requestId,
        });

    private async Task<PollWorkflowTaskQueueResponse> PollAsync(string queue)
    {
        var response = await Client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = fixture.Server.Namespace,
            TaskQueue = new TaskQueue { Name = queue },
            Identity = "raw-test",
        });
        Assert.False(response.TaskToken.IsEmpty, "expected a workflow task within the long-poll period");
        return response;
    }

    private Task<RespondWorkflowTaskCompletedResponse> CompleteAsync(PollWorkflowTaskQueueResponse task, Command command) =>
        Client.WorkflowService.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = fixture.Server.Namespace,
            TaskToken = task.TaskToken,
            Identity = "raw-test",
            Commands = { command },
        });

    private static Command Complete() => new()
    {
        CommandType = CommandType.CompleteWorkflowExecution,
        CompleteWorkflowExecutionCommandAttributes = new(),
    };
}
