using Google.Protobuf;
using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Common;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class VisibilityAndHistoryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly RetryInput QuickRetry = new(10, 1, 0, []);

    [Fact]
    public async Task Upserts_SearchAttributesAndMemo_VisibleInDescribeAndList()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<SearchAttributesWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((SearchAttributesWorkflow w) => w.RunAsync(), new("sa-" + queue, queue));
            WorkflowExecutionDescription description;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            do
            {
                description = await handle.DescribeAsync();
            }
            while (!description.TypedSearchAttributes.ContainsKey(SearchAttributesWorkflow.Phase) && DateTime.UtcNow < deadline && await Delay());
            Assert.Equal("training", description.TypedSearchAttributes.Get(SearchAttributesWorkflow.Phase));
            Assert.Equal(2, description.TypedSearchAttributes.Get(SearchAttributesWorkflow.Iteration));
            Assert.Equal("hello", await description.Memo["note"].ToValueAsync<string>());

            var listed = await fixture.Client.ListWorkflowsAsync($"WorkflowType = 'SearchAttributesWorkflow' AND ExecutionStatus = 'Running' AND WorkflowId = '{handle.Id}'").ToListAsync();
            var only = Assert.Single(listed);
            Assert.Equal("training", only.TypedSearchAttributes.Get(SearchAttributesWorkflow.Phase));
            await handle.SignalAsync(w => w.FinishAsync());
            await handle.GetResultAsync();
            Assert.Empty(await fixture.Client.ListWorkflowsAsync($"ExecutionStatus = 'Running' AND WorkflowId = '{handle.Id}'").ToListAsync());
            Assert.Single(await fixture.Client.ListWorkflowsAsync($"ExecutionStatus = 'Completed' AND WorkflowId = '{handle.Id}'").ToListAsync());
        });
    }

    [Fact]
    public async Task List_MalformedQuery_IsInvalidArgumentNamingTheProblem()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.ListWorkflowsAsync("StartTime > ").ToListAsync());
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("expected a value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_UnknownSearchAttribute_IsInvalidArgumentSayingHowToRegisterIt()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.ListWorkflowsAsync("NoSuchAttribute = 'x'").ToListAsync());
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("unknown search attribute NoSuchAttribute", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_RunningActivity_ListsPendingActivityWithHeartbeat()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<CancelActivityWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((CancelActivityWorkflow w) => w.RunAsync(), new("describe-" + queue, queue));
            await activities.BlockingStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var description = await fixture.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
            {
                Namespace = fixture.Server.Namespace,
                Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id },
            });
            var pending = Assert.Single(description.PendingActivities);
            Assert.Equal("WaitForCancel", pending.ActivityType.Name);
            Assert.Equal(PendingActivityState.Started, pending.State);
            await handle.GetResultAsync();
        });
    }

    [Fact]
    public async Task GetHistory_SmallPages_PagesJoinToFullHistory()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ManyActivitiesWorkflow>().AddAllActivities(new TestActivities()), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((ManyActivitiesWorkflow w) => w.RunAsync(3), new("paging-" + queue, queue));
            await handle.GetResultAsync();
            var full = await handle.FetchHistoryAsync();
            var paged = new List<HistoryEvent>();
            var token = ByteString.Empty;
            var pages = 0;
            do
            {
                var page = await fixture.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
                {
                    Namespace = fixture.Server.Namespace,
                    Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id },
                    MaximumPageSize = 4,
                    NextPageToken = token,
                });
                Assert.InRange(page.History.Events.Count, 1, 4);
                paged.AddRange(page.History.Events);
                token = page.NextPageToken;
                pages++;
            }
            while (!token.IsEmpty);
            Assert.Equal(full.Events.Select(e => e.EventId), paged.Select(e => e.EventId));
            Assert.Equal((full.Events.Count + 3) / 4, pages);
        });
    }

    [Fact]
    public async Task GetHistory_WaitNewEvent_ReturnsWhenSignalArrives()
    {
        var queue = ServerFixture.NewTaskQueue();
        var handle = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("longpoll-" + queue, queue));
        var history = await handle.FetchHistoryAsync();
        var next = history.Events.Count + 1;
        var poll = fixture.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
        {
            Namespace = fixture.Server.Namespace,
            Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id },
            WaitNewEvent = true,
            NextPageToken = ByteString.CopyFromUtf8(next.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        });
        await Task.Delay(200);
        Assert.False(poll.IsCompleted, "the long poll must wait while there is no new event");
        await handle.SignalAsync(w => w.AddAsync("wake"));
        var page = await poll.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(EventType.WorkflowExecutionSignaled, page.History.Events[0].EventType);
        Assert.False(page.NextPageToken.IsEmpty, "a running workflow's history continues: the token must be kept");
        await handle.TerminateAsync("test over");
    }

    [Fact]
    public async Task Replay_RecordedHistories_ReplayCleanlyAndCarrySdkFlags()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities { FailuresBeforeSuccess = 1 };
        var histories = new List<WorkflowHistory>();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<RetryWorkflow>().AddWorkflow<SignalQueryWorkflow>().AddWorkflow<ParentWorkflow>()
            .AddWorkflow<ChildWorkflow>().AddWorkflow<TimerWorkflow>().AddAllActivities(activities), async () =>
        {
            var retry = await fixture.Client.StartWorkflowAsync((RetryWorkflow w) => w.RunAsync(QuickRetry), new("replay-retry-" + queue, queue));
            var signal = await fixture.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("replay-signal-" + queue, queue));
            await signal.SignalAsync(w => w.AddAsync("x"));
            await signal.SignalAsync(w => w.FinishAsync());
            var parent = await fixture.Client.StartWorkflowAsync((ParentWorkflow w) => w.RunAsync("fail"), new("replay-parent-" + queue, queue));
            var timer = await fixture.Client.StartWorkflowAsync((TimerWorkflow w) => w.RunAsync(50), new("replay-timer-" + queue, queue));
            foreach (var handle in new WorkflowHandle[] { retry, signal, parent, timer })
            {
                await handle.GetResultAsync();
                histories.Add(await handle.FetchHistoryAsync());
            }
        });
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<RetryWorkflow>().AddWorkflow<SignalQueryWorkflow>()
            .AddWorkflow<ParentWorkflow>().AddWorkflow<ChildWorkflow>().AddWorkflow<TimerWorkflow>());
        foreach (var history in histories)
        {
            // Round-trip through JSON, as a history recorded to a file would be.
            var result = await replayer.ReplayWorkflowAsync(WorkflowHistory.FromJson(history.Id, history.ToJson()));
            Assert.Null(result.ReplayFailure);
            var flags = history.Events.Where(e => e.WorkflowTaskCompletedEventAttributes?.SdkMetadata is not null)
                .SelectMany(e => e.WorkflowTaskCompletedEventAttributes.SdkMetadata.CoreUsedFlags);
            Assert.NotEmpty(flags);
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }
}
