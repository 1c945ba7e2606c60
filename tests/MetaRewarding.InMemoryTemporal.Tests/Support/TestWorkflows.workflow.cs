using System.Collections.Concurrent;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace MetaRewarding.InMemoryTemporal.Tests.Support;

// The SDK requires workflow run, signal and query methods to be instance members, even when they use no state.
#pragma warning disable CA1822

/// <summary>Retry settings a test passes to <see cref="RetryWorkflow"/>.</summary>
public sealed record RetryInput(int InitialMs, double Coefficient, int MaximumAttempts, string[] NonRetryableTypes);

[Workflow]
public sealed class EchoWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string text) =>
        Workflow.ExecuteActivityAsync((TestActivities a) => a.Echo(text), new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}

[Workflow]
public sealed class RetryWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(RetryInput input) =>
        Workflow.ExecuteActivityAsync((TestActivities a) => a.Flaky("done"), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new RetryPolicy
            {
                InitialInterval = TimeSpan.FromMilliseconds(input.InitialMs),
                BackoffCoefficient = (float)input.Coefficient,
                MaximumAttempts = input.MaximumAttempts,
                NonRetryableErrorTypes = input.NonRetryableTypes,
            },
        });
}

[Workflow]
public sealed class HeartbeatWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int steps) =>
        Workflow.ExecuteActivityAsync((TestActivities a) => a.CountWithHeartbeats(steps), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100) },
        });
}

[Workflow]
public sealed class CancelActivityWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Workflow.CancellationToken);
        var activity = Workflow.ExecuteActivityAsync((TestActivities a) => a.WaitForCancel(), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            HeartbeatTimeout = TimeSpan.FromSeconds(2),
            CancellationToken = cancel.Token,
            CancellationType = ActivityCancellationType.WaitCancellationCompleted,
        });
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(300));
        // Cancel synchronously: CancelAsync would run on the thread pool, outside the deterministic workflow scheduler.
#pragma warning disable CA1849
        cancel.Cancel();
#pragma warning restore CA1849
        try
        {
            await activity;
            return "not canceled";
        }
        catch (ActivityFailureException ex) when (ex.InnerException is CanceledFailureException)
        {
            return "canceled";
        }
    }
}

[Workflow]
public sealed class WorkerLossWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.ExecuteActivityAsync((TestActivities a) => a.BlockOnFirstAttempt(), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(2),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100) },
        });
}

[Workflow]
public sealed class TimeoutWorkflow
{
    /// <summary>Runs one activity under the named timeout and describes how it ended.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync(string kind)
    {
        try
        {
            return kind switch
            {
                "start-to-close" => await Workflow.ExecuteActivityAsync((TestActivities a) => a.SlowOnFirstAttempt(), new()
                {
                    StartToCloseTimeout = TimeSpan.FromMilliseconds(500),
                    RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100) },
                }),
                "schedule-to-close" => await Workflow.ExecuteActivityAsync((TestActivities a) => a.Flaky("never"), new()
                {
                    ScheduleToCloseTimeout = TimeSpan.FromMilliseconds(2000),
                    RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(1200), BackoffCoefficient = 1 },
                }),
                "schedule-to-start" => await Workflow.ExecuteActivityAsync((TestActivities a) => a.Echo("nobody polls"), new()
                {
                    TaskQueue = "queue-without-workers-" + Workflow.Info.WorkflowId,
                    ScheduleToStartTimeout = TimeSpan.FromMilliseconds(300),
                    StartToCloseTimeout = TimeSpan.FromSeconds(5),
                }),
                _ => throw new ApplicationFailureException($"unknown kind {kind}", nonRetryable: true),
            };
        }
        catch (ActivityFailureException ex) when (ex.InnerException is TimeoutFailureException timeout)
        {
            return $"timeout {timeout.TimeoutType} retry-state {ex.RetryState}";
        }
        catch (ActivityFailureException ex)
        {
            return $"failed {ex.InnerException?.GetType().Name} retry-state {ex.RetryState}";
        }
    }
}

[Workflow]
public sealed class SignalQueryWorkflow
{
    private readonly List<string> items = [];
    private bool finished;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => finished);
        return string.Join(",", items);
    }

    [WorkflowSignal]
    public Task AddAsync(string item)
    {
        items.Add(item);
        return Task.CompletedTask;
    }

    [WorkflowSignal]
    public Task FinishAsync()
    {
        finished = true;
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public string Status => $"{items.Count} items";

    [WorkflowQuery]
    public string Broken => throw new InvalidOperationException("this query always fails");
}

[Workflow]
public sealed class TimerWorkflow
{
    [WorkflowRun]
    public async Task<double> RunAsync(int milliseconds)
    {
        var start = Workflow.UtcNow;
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(milliseconds));
        return (Workflow.UtcNow - start).TotalMilliseconds;
    }
}

[Workflow]
public sealed class ChildWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string mode)
    {
        switch (mode)
        {
            case "ok":
                return "child ok";
            case "fail":
                throw new ApplicationFailureException("child broke", errorType: "ChildError", nonRetryable: true);
            default:
                await Workflow.WaitConditionAsync(() => false);
                return "unreachable";
        }
    }
}

[Workflow]
public sealed class ParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string mode)
    {
        var childId = Workflow.Info.WorkflowId + "-child";
        switch (mode)
        {
            case "complete":
                return await Workflow.ExecuteChildWorkflowAsync((ChildWorkflow c) => c.RunAsync("ok"), new() { Id = childId });
            case "fail":
                try
                {
                    await Workflow.ExecuteChildWorkflowAsync((ChildWorkflow c) => c.RunAsync("fail"), new() { Id = childId });
                    return "child did not fail";
                }
                catch (ChildWorkflowFailureException ex) when (ex.InnerException is ApplicationFailureException app)
                {
                    return $"child failed: {app.Message} ({app.ErrorType})";
                }
            case "cancel":
                using (var cancel = new CancellationTokenSource())
                {
                    var handle = await Workflow.StartChildWorkflowAsync((ChildWorkflow c) => c.RunAsync("wait"), new()
                    {
                        Id = childId,
                        CancellationToken = cancel.Token,
                        CancellationType = ChildWorkflowCancellationType.WaitCancellationCompleted,
                    });

                    // Cancel synchronously: CancelAsync would run on the thread pool, outside the deterministic workflow scheduler.
#pragma warning disable CA1849
                    cancel.Cancel();
#pragma warning restore CA1849
                    try
                    {
                        await handle.GetResultAsync();
                        return "child not canceled";
                    }
                    catch (ChildWorkflowFailureException ex) when (ex.InnerException is CanceledFailureException)
                    {
                        return "child canceled";
                    }
                }
            case "conflict":
                try
                {
                    // The test started a workflow with this id already.
                    await Workflow.StartChildWorkflowAsync((ChildWorkflow c) => c.RunAsync("ok"), new() { Id = childId });
                    return "child started";
                }
                catch (WorkflowAlreadyStartedException)
                {
                    return "child already started";
                }
            case "request-cancel":
                await Workflow.StartChildWorkflowAsync((ChildWorkflow c) => c.RunAsync("wait"), new() { Id = childId, ParentClosePolicy = ParentClosePolicy.RequestCancel });
                return childId;
            default:
                // Leave the child running: the default parent-close policy terminates it.
                await Workflow.StartChildWorkflowAsync((ChildWorkflow c) => c.RunAsync("wait"), new() { Id = childId });
                return childId;
        }
    }
}

[Workflow]
public sealed class ContinueAsNewWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int remaining)
    {
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(1));
        if (remaining > 0)
        {
            throw Workflow.CreateContinueAsNewException((ContinueAsNewWorkflow w) => w.RunAsync(remaining - 1));
        }
        return Workflow.Info.ContinuedRunId is null ? 0 : 1;
    }
}

[Workflow]
public sealed class SearchAttributesWorkflow
{
    public static readonly SearchAttributeKey<string> Phase = SearchAttributeKey.CreateKeyword("Phase");
    public static readonly SearchAttributeKey<long> Iteration = SearchAttributeKey.CreateLong("Iteration");
    private bool finished;

    [WorkflowRun]
    public async Task RunAsync()
    {
        Workflow.UpsertTypedSearchAttributes(Phase.ValueSet("training"), Iteration.ValueSet(2));
        Workflow.UpsertMemo(MemoUpdate.ValueSet("note", "hello"));
        await Workflow.WaitConditionAsync(() => finished);
    }

    [WorkflowSignal]
    public Task FinishAsync()
    {
        finished = true;
        return Task.CompletedTask;
    }
}

[Workflow]
public sealed class WaitForeverWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.WaitConditionAsync(() => false);
}

/// <summary>Throws a plain exception (a workflow task failure, not a workflow failure) the first time it runs.</summary>
[Workflow]
public sealed class FailsOnceWorkflow
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(1));
        if (Runs.AddOrUpdate(Workflow.Info.WorkflowId, 1, (_, n) => n + 1) == 1)
        {
            throw new InvalidOperationException("bug on first try");
        }
        return "recovered";
    }
}

[Workflow]
public sealed class ManyActivitiesWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int count)
    {
        var done = 0;
        for (var i = 0; i < count; i++)
        {
            var echoed = await Workflow.ExecuteActivityAsync((TestActivities a) => a.Echo($"step {i}"), new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) });
            if (echoed == $"step {i}")
            {
                done++;
            }
        }
        return done;
    }
}

[Workflow]
public sealed class AsyncCompletionWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.ExecuteActivityAsync((TestActivities a) => a.CompleteLater(), new()
        {
            ActivityId = "later",
            StartToCloseTimeout = TimeSpan.FromSeconds(20),
            RetryPolicy = new RetryPolicy { MaximumAttempts = 1 },
        });
}

[Workflow]
public sealed class SignalSenderWorkflow
{
    [WorkflowRun]
    public async Task RunAsync(string targetId)
    {
        var target = Workflow.GetExternalWorkflowHandle<SignalQueryWorkflow>(targetId);
        await target.SignalAsync(w => w.AddAsync("from a workflow"));
        await target.SignalAsync(w => w.FinishAsync());
    }
}

[Workflow]
public sealed class CancelTimerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cancel = new CancellationTokenSource();
        var longTimer = Workflow.DelayAsync(TimeSpan.FromMinutes(10), cancel.Token);
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(50));
        // Synchronous on purpose: see CancelActivityWorkflow.
#pragma warning disable CA1849
        cancel.Cancel();
#pragma warning restore CA1849
        try
        {
            await longTimer;
            return "timer fired";
        }
        catch (TaskCanceledException)
        {
            return "timer canceled";
        }
    }
}

[Workflow]
public sealed class BigResultWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(int bytes) =>
        Workflow.ExecuteActivityAsync((TestActivities a) => a.BigResult(bytes), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new RetryPolicy { MaximumAttempts = 2, InitialInterval = TimeSpan.FromMilliseconds(10) },
        });
}
