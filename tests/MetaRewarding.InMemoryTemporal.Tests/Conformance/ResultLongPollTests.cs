using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

/// <summary>
/// Waiting for a workflow's result longer than a long poll: the demo's GetResultAsync on a minutes-long run failed
/// with "Timeout expired" when the server held the close-event poll open until the client's RPC deadline.
/// </summary>
public sealed class ResultLongPollTests
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task GetHistory_CloseEventOfOpenWorkflow_AnswersEmptyWithTokenAfterLongPoll()
    {
        await using var server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { LongPollTimeout = LongPoll });
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target) { Namespace = server.Namespace });
        var queue = ServerFixture.NewTaskQueue();
        var handle = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("close-poll-" + queue, queue));

        var poll = client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
        {
            Namespace = server.Namespace,
            Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id },
            WaitNewEvent = true,
            HistoryEventFilterType = HistoryEventFilterType.CloseEvent,
        });
        // 10 s: far above the 300 ms long poll, so only a poll held until close (the old behaviour) times out.
        var page = await poll.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(page.History.Events);
        Assert.False(page.NextPageToken.IsEmpty, "an empty answer needs a token, or the SDK reports an error instead of polling again");
        await handle.TerminateAsync("test over");
    }

    [Fact]
    public async Task GetResult_WorkflowOutlastingSeveralLongPolls_ReturnsItsResult()
    {
        await using var server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { LongPollTimeout = LongPoll });
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target) { Namespace = server.Namespace });
        var queue = ServerFixture.NewTaskQueue();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }.AddWorkflow<SignalQueryWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("result-poll-" + queue, queue));
            var result = handle.GetResultAsync();
            // Several long polls expire while the workflow waits for its signal.
            await Task.Delay(LongPoll * 4);
            Assert.False(result.IsCompleted, "the workflow has not finished yet");

            await handle.SignalAsync(w => w.AddAsync("done"));
            await handle.SignalAsync(w => w.FinishAsync());

            Assert.Equal("done", await result.WaitAsync(TimeSpan.FromSeconds(20)));
        });
    }
}
