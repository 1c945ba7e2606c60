using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class ActivityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    // A retry may start before its nominal time only by clock rounding. How LATE it starts depends on the load of
    // the machine, so no test bounds that: the exact delays are RetryDecision's, checked in RetryDecisionTests.
    private static readonly TimeSpan ClockRounding = TimeSpan.FromMilliseconds(30);
    private static readonly RetryInput FatalOnly = new(50, 2, 0, ["Fatal"]);

    [Fact]
    public async Task Retry_TwoFailures_BacksOffExponentiallyThenSucceeds()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities { FailuresBeforeSuccess = 2 };
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<RetryWorkflow>().AddAllActivities(activities), async () =>
        {
            var result = await fixture.Client.ExecuteWorkflowAsync((RetryWorkflow w) => w.RunAsync(new RetryInput(200, 2, 0, Array.Empty<string>())), new("retry-" + queue, queue));
            Assert.Equal("done after 3 attempts", result);
        });
        var times = activities.Attempts.Select(a => a.Time).ToArray();
        Assert.Equal([1, 2, 3], activities.Attempts.Select(a => a.Attempt));
        // Behaviour, not speed: attempts in order, and neither retry before its backoff (200 ms, then 200·2).
        AssertNotBefore(times[1] - times[0], TimeSpan.FromMilliseconds(200));
        AssertNotBefore(times[2] - times[1], TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task Retry_MaximumAttemptsReached_FailsWorkflowWithRetryState()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities { FailuresBeforeSuccess = 100 };
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<RetryWorkflow>().AddAllActivities(activities), async () =>
        {
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
                fixture.Client.ExecuteWorkflowAsync((RetryWorkflow w) => w.RunAsync(new RetryInput(50, 1, 3, Array.Empty<string>())), new("max-" + queue, queue)));
            var activityFailure = Assert.IsType<ActivityFailureException>(ex.InnerException);
            Assert.Equal(RetryState.MaximumAttemptsReached, activityFailure.RetryState);
        });
        Assert.Equal(3, activities.Attempts.Count);
    }

    [Fact]
    public async Task Retry_NonRetryableErrorType_FailsAfterOneAttempt()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities { FailuresBeforeSuccess = 100, FailureType = "Fatal" };
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<RetryWorkflow>().AddAllActivities(activities), async () =>
        {
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
                fixture.Client.ExecuteWorkflowAsync((RetryWorkflow w) => w.RunAsync(FatalOnly), new("fatal-" + queue, queue)));
            Assert.Equal(RetryState.NonRetryableFailure, Assert.IsType<ActivityFailureException>(ex.InnerException).RetryState);
        });
        Assert.Single(activities.Attempts);
    }

    [Fact]
    public async Task HeartbeatTimeout_AttemptStopsHeartbeating_NextAttemptResumesFromDetails()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<HeartbeatWorkflow>().AddAllActivities(activities), async () =>
        {
            var resumedAt = await fixture.Client.ExecuteWorkflowAsync((HeartbeatWorkflow w) => w.RunAsync(6), new("heartbeat-" + queue, queue));
            // Attempt 1 heartbeated steps 0..3 then hung. The SDK throttles heartbeats (it sends the latest
            // details every 80% of the timeout), so attempt 2 resumes after the last step the server
            // recorded: 4 normally, at least 1 even if a loaded machine delayed the final flush.
            Assert.InRange(resumedAt, 1, 4);
            Assert.Equal([0, resumedAt], activities.ResumedFrom);
        });
    }

    [Fact]
    public async Task StartToCloseTimeout_SlowAttempt_IsRetried()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TimeoutWorkflow>().AddAllActivities(activities), async () =>
            Assert.Equal("attempt 2", await fixture.Client.ExecuteWorkflowAsync((TimeoutWorkflow w) => w.RunAsync("start-to-close"), new("s2c-" + queue, queue))));
    }

    [Fact]
    public async Task ScheduleToCloseTimeout_AlwaysFailing_StopsRetryingWithTimeout()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities { FailuresBeforeSuccess = 100 };
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TimeoutWorkflow>().AddAllActivities(activities), async () =>
        {
            var outcome = await fixture.Client.ExecuteWorkflowAsync((TimeoutWorkflow w) => w.RunAsync("schedule-to-close"), new("sc2-" + queue, queue));
            // The next retry would start after the deadline, so the server stops retrying and fails the
            // activity with the last failure and retry state Timeout (as the real server does).
            Assert.Equal($"failed {nameof(ApplicationFailureException)} retry-state {RetryState.Timeout}", outcome);
        });
        // 2000 ms budget, 1200 ms between attempts: attempt 2 starts at ~1200 ms, a third would start after the deadline.
        Assert.Equal(2, activities.Attempts.Count);
    }

    [Fact]
    public async Task ScheduleToStartTimeout_NoWorkerOnQueue_TimesOutWithoutRetry()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<TimeoutWorkflow>(), async () =>
        {
            var outcome = await fixture.Client.ExecuteWorkflowAsync((TimeoutWorkflow w) => w.RunAsync("schedule-to-start"), new("s2s-" + queue, queue));
            Assert.StartsWith($"timeout {TimeoutType.ScheduleToStart}", outcome, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task CancelActivity_RunningActivity_IsCanceledThroughHeartbeat()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<CancelActivityWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((CancelActivityWorkflow w) => w.RunAsync(), new("cancel-act-" + queue, queue));
            Assert.Equal("canceled", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20)));
            await activities.ActivityCanceled.Task.WaitAsync(TimeSpan.FromSeconds(5));
            var history = await handle.FetchHistoryAsync();
            Assert.Contains(history.Events, e => e.EventType == EventType.ActivityTaskCancelRequested);
            Assert.Contains(history.Events, e => e.EventType == EventType.ActivityTaskCanceled);
        });
    }

    [Fact]
    public async Task WorkerLoss_WorkerDisposedMidActivity_NewWorkerFinishesRun()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        var options = new TemporalWorkerOptionsFactory(queue, activities);
        WorkflowHandle<WorkerLossWorkflow, string> handle;
        using (var firstWorker = new Temporalio.Worker.TemporalWorker(fixture.Client, options.Create()))
        {
            using var stop = new CancellationTokenSource();
            var running = firstWorker.ExecuteAsync(stop.Token);
            handle = await fixture.Client.StartWorkflowAsync((WorkerLossWorkflow w) => w.RunAsync(), new("worker-loss-" + queue, queue));
            await activities.BlockingStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }
        await fixture.WithWorkerAsync(queue, _ => options.Create(), async () =>
        {
            var result = await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal("finished on attempt 2", result);
        });
    }

    [Fact]
    public async Task CompleteById_ActivityCompletedAsynchronously_WorkflowGetsResult()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<AsyncCompletionWorkflow>().AddAllActivities(activities), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((AsyncCompletionWorkflow w) => w.RunAsync(), new("async-" + queue, queue));
            await activities.BlockingStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var activity = fixture.Client.GetAsyncActivityHandle(handle.Id, handle.ResultRunId!, "later");
            await activity.HeartbeatAsync();
            await activity.CompleteAsync("completed from outside");
            Assert.Equal("completed from outside", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        });
    }

    private static void AssertNotBefore(TimeSpan actual, TimeSpan backoff) =>
        Assert.True(actual >= backoff - ClockRounding, $"a retry started {actual.TotalMilliseconds} ms after the failure, before its {backoff.TotalMilliseconds} ms backoff");

    /// <summary>Builds the same worker registration twice (the worker-loss test needs two workers).</summary>
    private sealed class TemporalWorkerOptionsFactory(string queue, TestActivities activities)
    {
        public Temporalio.Worker.TemporalWorkerOptions Create() =>
            new Temporalio.Worker.TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }
                .AddWorkflow<WorkerLossWorkflow>().AddAllActivities(activities);
    }
}
