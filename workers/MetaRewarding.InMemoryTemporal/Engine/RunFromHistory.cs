using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Rebuilds a run's state from its history, as the real server rebuilds mutable state: what is open, which workflow
/// task, activities, timers and children are outstanding, the memo and search attributes. Used for a reset (the new
/// run's state is that of the kept events) and by the durable store (docs: the server's README, "Durable"), which
/// adds what history does not hold (activity attempts, buffered events). Nothing is armed: the engine resumes it.
/// </summary>
internal static class RunFromHistory
{
    public static WorkflowRun Build(string @namespace, string workflowId, string runId, IReadOnlyList<HistoryEvent> events)
    {
        if (events.Count == 0 || events[0].WorkflowExecutionStartedEventAttributes is not { } started)
        {
            throw new InvalidOperationException($"the history of run '{runId}' does not begin with WorkflowExecutionStarted.");
        }
        var run = new WorkflowRun(@namespace, workflowId, runId, started.WorkflowType.Name, started.TaskQueue.Name)
        {
            FirstRunId = string.IsNullOrEmpty(started.FirstExecutionRunId) ? runId : started.FirstExecutionRunId,
            StartTime = events[0].EventTime,
            WorkflowTaskTimeout = started.WorkflowTaskTimeout ?? Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            RunTimeout = started.WorkflowRunTimeout,
            ExecutionTimeout = started.WorkflowExecutionTimeout,
            ParentNamespace = string.IsNullOrEmpty(started.ParentWorkflowNamespace) ? null : started.ParentWorkflowNamespace,
            ParentExecution = started.ParentWorkflowExecution,
            ParentInitiatedEventId = started.ParentInitiatedEventId,
            RetryPolicy = started.RetryPolicy,
            Attempt = Math.Max(1, started.Attempt),
            AwaitingFirstTask = started.FirstWorkflowTaskBackoff is { } backoff && backoff.ToTimeSpan() > TimeSpan.Zero,
        };
        if (started.Memo is not null)
        {
            run.Memo.Fields.Add(started.Memo.Fields);
        }
        if (started.SearchAttributes is not null)
        {
            run.SearchAttributes.IndexedFields.Add(started.SearchAttributes.IndexedFields);
        }
        run.LoadHistory(events.Select(e => e.Clone()));
        foreach (var ev in events)
        {
            Apply(run, ev);
        }
        return run;
    }

    private static void Apply(WorkflowRun run, HistoryEvent ev)
    {
        var time = ev.EventTime.ToDateTimeOffset();
        switch (ev.EventType)
        {
            case EventType.WorkflowTaskScheduled:
                run.AwaitingFirstTask = false;
                run.TaskState = WorkflowTaskState.Scheduled;
                run.TaskScheduledEventId = ev.EventId;
                run.TaskAttempt = Math.Max(1, ev.WorkflowTaskScheduledEventAttributes.Attempt);
                break;
            case EventType.WorkflowTaskStarted:
                run.TaskState = WorkflowTaskState.Started;
                run.TaskStartedEventId = ev.EventId;
                break;
            case EventType.WorkflowTaskCompleted:
                run.TaskState = WorkflowTaskState.None;
                run.PreviousStartedEventId = ev.WorkflowTaskCompletedEventAttributes.StartedEventId;
                run.TaskAttempt = 1;
                break;
            case EventType.WorkflowTaskFailed:
            case EventType.WorkflowTaskTimedOut:
                run.TaskState = WorkflowTaskState.None;
                run.TaskAttempt++;
                break;
            case EventType.ActivityTaskScheduled:
                run.Activities[ev.EventId] = new PendingActivity(ev.EventId, ev.ActivityTaskScheduledEventAttributes.Clone(), time);
                break;
            case EventType.ActivityTaskCancelRequested:
                if (run.Activities.TryGetValue(ev.ActivityTaskCancelRequestedEventAttributes.ScheduledEventId, out var canceling))
                {
                    canceling.CancelRequested = true;
                    canceling.CancelRequestedEventId = ev.EventId;
                }
                break;
            case EventType.ActivityTaskCompleted:
                run.Activities.Remove(ev.ActivityTaskCompletedEventAttributes.ScheduledEventId);
                break;
            case EventType.ActivityTaskFailed:
                run.Activities.Remove(ev.ActivityTaskFailedEventAttributes.ScheduledEventId);
                break;
            case EventType.ActivityTaskTimedOut:
                run.Activities.Remove(ev.ActivityTaskTimedOutEventAttributes.ScheduledEventId);
                break;
            case EventType.ActivityTaskCanceled:
                run.Activities.Remove(ev.ActivityTaskCanceledEventAttributes.ScheduledEventId);
                break;
            case EventType.TimerStarted:
                var timer = ev.TimerStartedEventAttributes;
                run.Timers[timer.TimerId] = new PendingTimer(timer.TimerId, ev.EventId, time + timer.StartToFireTimeout.ToTimeSpan());
                break;
            case EventType.TimerFired:
                run.Timers.Remove(ev.TimerFiredEventAttributes.TimerId);
                break;
            case EventType.TimerCanceled:
                run.Timers.Remove(ev.TimerCanceledEventAttributes.TimerId);
                break;
            case EventType.StartChildWorkflowExecutionInitiated:
                run.Children[ev.EventId] = new PendingChild(ev.EventId, ev.StartChildWorkflowExecutionInitiatedEventAttributes.Clone());
                break;
            case EventType.ChildWorkflowExecutionStarted:
                if (run.Children.TryGetValue(ev.ChildWorkflowExecutionStartedEventAttributes.InitiatedEventId, out var child))
                {
                    child.RunId = ev.ChildWorkflowExecutionStartedEventAttributes.WorkflowExecution.RunId;
                    child.StartedEventId = ev.EventId;
                }
                break;
            case EventType.StartChildWorkflowExecutionFailed:
                run.Children.Remove(ev.StartChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case EventType.ChildWorkflowExecutionCompleted:
                run.Children.Remove(ev.ChildWorkflowExecutionCompletedEventAttributes.InitiatedEventId);
                break;
            case EventType.ChildWorkflowExecutionFailed:
                run.Children.Remove(ev.ChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case EventType.ChildWorkflowExecutionCanceled:
                run.Children.Remove(ev.ChildWorkflowExecutionCanceledEventAttributes.InitiatedEventId);
                break;
            case EventType.ChildWorkflowExecutionTerminated:
                run.Children.Remove(ev.ChildWorkflowExecutionTerminatedEventAttributes.InitiatedEventId);
                break;
            case EventType.ChildWorkflowExecutionTimedOut:
                run.Children.Remove(ev.ChildWorkflowExecutionTimedOutEventAttributes.InitiatedEventId);
                break;
            case EventType.WorkflowExecutionCancelRequested:
                run.CancelRequested = true;
                break;
            case EventType.UpsertWorkflowSearchAttributes:
                TemporalEngine.MergeSearchAttributes(run, ev.UpsertWorkflowSearchAttributesEventAttributes.SearchAttributes);
                break;
            case EventType.WorkflowPropertiesModified:
                TemporalEngine.MergeMemo(run, ev.WorkflowPropertiesModifiedEventAttributes.UpsertedMemo);
                break;
            case EventType.WorkflowExecutionCompleted:
                Close(run, WorkflowExecutionStatus.Completed, ev);
                break;
            case EventType.WorkflowExecutionFailed:
                Close(run, WorkflowExecutionStatus.Failed, ev);
                break;
            case EventType.WorkflowExecutionCanceled:
                Close(run, WorkflowExecutionStatus.Canceled, ev);
                break;
            case EventType.WorkflowExecutionTerminated:
                Close(run, WorkflowExecutionStatus.Terminated, ev);
                break;
            case EventType.WorkflowExecutionTimedOut:
                Close(run, WorkflowExecutionStatus.TimedOut, ev);
                break;
            case EventType.WorkflowExecutionContinuedAsNew:
                Close(run, WorkflowExecutionStatus.ContinuedAsNew, ev);
                break;
            default:
                break;
        }
    }

    private static void Close(WorkflowRun run, WorkflowExecutionStatus status, HistoryEvent close)
    {
        run.Status = status;
        run.CloseTime = close.EventTime;
        run.TaskState = WorkflowTaskState.None;
        run.AwaitingFirstTask = false;
        run.Activities.Clear();
        run.Timers.Clear();
        run.Children.Clear();
    }
}
