using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Bringing a run rebuilt from history (a reset, or a restart of a durable server) back to life: its timers and
/// timeouts armed at their original deadlines, its tasks queued, and the work other runs owed it done again.
/// </summary>
internal sealed partial class TemporalEngine
{
    /// <summary>
    /// Arms an open run. <paramref name="inFlightLost"/>: the workers holding its started tasks are gone (the
    /// server's own process restarted, or the run is new from a reset), so those tasks are retried at once rather
    /// than after their timeouts; otherwise their workers may still answer (a standalone server restarted under them).
    /// </summary>
    private void Resume(WorkflowRun run, bool inFlightLost) => Update(run, r =>
    {
        if (!r.IsOpen)
        {
            return;
        }
        ArmRunTimeout(r);
        if (r.AwaitingFirstTask)
        {
            WaitForFirstTask(r, ExecutionTimeOf(r).ToDateTimeOffset() - Now);
        }
        foreach (var timer in r.Timers.Values)
        {
            ArmTimer(r, timer);
        }
        foreach (var activity in r.Activities.Values)
        {
            ResumeActivity(r, activity, inFlightLost);
        }
        switch (r.TaskState)
        {
            case WorkflowTaskState.Scheduled:
                var scheduledId = r.TaskScheduledEventId;
                r.AddEffect(() => WorkflowQueue(r.Namespace, r.TaskQueue).Add(new WorkflowTaskRef(r, scheduledId)));
                break;
            case WorkflowTaskState.Started when inFlightLost:
                TimeOutWorkflowTask(r, r.TaskStartedEventId);
                break;
            case WorkflowTaskState.Started:
                var startedId = r.TaskStartedEventId;
                r.TaskTimeoutTimer = StartTimer(r, r.WorkflowTaskTimeout.ToTimeSpan(), x => TimeOutWorkflowTask(x, startedId));
                break;
            default:
                break;
        }
    });

    private void ResumeActivity(WorkflowRun run, PendingActivity activity, bool inFlightLost)
    {
        if (activity.ScheduleToCloseDeadline is { } deadline)
        {
            activity.ScheduleToCloseTimer = StartTimer(run, deadline - Now,
                r => TimeOutActivity(r, activity.ScheduledEventId, attempt: null, TimeoutType.ScheduleToClose));
        }
        if (activity.Started && inFlightLost)
        {
            // Its worker died with the server: the next attempt starts now instead of after a heartbeat timeout.
            activity.LastFailure = new Failure
            {
                Message = "the worker running this attempt stopped with the server (restarted from its database)",
                Source = "Server",
                ServerFailureInfo = new() { NonRetryable = false },
                Cause = activity.LastFailure,
            };
            activity.Attempt++;
            activity.Started = false;
            activity.StartedTime = null;
        }
        if (activity.Started)
        {
            ArmStartedAttemptTimers(run, activity);
        }
        else
        {
            DispatchActivityAttempt(run, activity);
        }
    }

    /// <summary>
    /// Work one run owed another that a restart may have cut short (it runs after the owing run's change was saved):
    /// a child to start, a parent to tell of its child's close, the next run of a continue-as-new or retry chain.
    /// Each step checks first, so doing it twice changes nothing.
    /// </summary>
    private void Redrive(WorkflowRun run)
    {
        Temporalio.Api.History.V1.HistoryEvent? close;
        lock (run.Sync)
        {
            close = run.IsOpen ? null : run.History[^1];
        }
        if (close is null)
        {
            RedriveChildren(run);
            return;
        }
        var next = NewRunIdOf(close);
        if (!string.IsNullOrEmpty(next))
        {
            if (!runsById.ContainsKey(next))
            {
                StartRun(NextRunParameters(run, close));
            }
        }
        else if (run.ParentExecution is not null && run.ResetRunId is null && TryFindRun(run.Namespace, new() { WorkflowId = run.WorkflowId }) == run)
        {
            // Only the newest run of the id speaks for it (an older one may have been replaced by a reset).
            NotifyParent(run, close);
        }
    }

    private static StartParameters NextRunParameters(WorkflowRun run, Temporalio.Api.History.V1.HistoryEvent close) => close.EventType switch
    {
        EventType.WorkflowExecutionContinuedAsNew => ContinueAsNewParameters(run, close.WorkflowExecutionContinuedAsNewEventAttributes, "server", null, null),
        _ => RetryParameters(run, run.History[0].WorkflowExecutionStartedEventAttributes, NewRunIdOf(close), TimeSpan.Zero,
            close.WorkflowExecutionFailedEventAttributes?.Failure),
    };
}
