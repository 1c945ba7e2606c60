using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// ResetWorkflowExecution, as `temporal workflow reset` and the Web UI's Reset button call it: a new run of the same
/// workflow id whose history is the old run's up to a workflow task (that task is recorded as failed with cause
/// ResetWorkflow, and a new one scheduled), signals received after that point re-applied, the current run terminated.
/// The new run's state is rebuilt from the kept events (<see cref="RunFromHistory"/>): activities pending at that point
/// are scheduled again from attempt 1, timers keep their deadlines, children still running report to the new run.
/// </summary>
internal sealed partial class TemporalEngine
{
    public ResetWorkflowExecutionResponse Reset(ResetWorkflowExecutionRequest request)
    {
        var baseRun = FindRun(request.Namespace, request.WorkflowExecution);
        var finishId = request.WorkflowTaskFinishEventId;
        HistoryEvent[] kept;
        HistoryEvent[] reapplied;
        lock (baseRun.Sync)
        {
            var points = ResetPoints(baseRun.History);
            if (!points.Contains(finishId))
            {
                throw ServerErrors.InvalidArgument(
                    $"cannot reset workflow '{baseRun.WorkflowId}' run '{baseRun.RunId}' to event {finishId}: a reset point is the event that "
                    + "ends a workflow task (WorkflowTaskCompleted, WorkflowTaskFailed or WorkflowTaskTimedOut right after its WorkflowTaskStarted). "
                    + $"Event ids this run can be reset to: {string.Join(", ", points)}.");
            }
            kept = [.. baseRun.History.Take((int)finishId - 1).Select(e => e.Clone())];
#pragma warning disable CS0612 // ResetReapplyType: deprecated for the exclude list, still sent by older CLIs
            var reapplySignals = request.ResetReapplyType != ResetReapplyType.None
                && !request.ResetReapplyExcludeTypes.Contains(ResetReapplyExcludeType.Signal);
#pragma warning restore CS0612
            reapplied = reapplySignals
                ? [.. baseRun.History.Skip((int)finishId - 1).Where(e => e.EventType == EventType.WorkflowExecutionSignaled).Select(e => e.Clone())]
                : [];
        }
        var current = FindRun(baseRun.Namespace, baseRun.WorkflowId, null);
        var newRun = RunFromHistory.Build(baseRun.Namespace, baseRun.WorkflowId, Guid.NewGuid().ToString(), kept);
        var reason = string.IsNullOrEmpty(request.Reason) ? "reset" : request.Reason;
        lock (storeLock)
        {
            runsByWorkflowId[(newRun.Namespace, newRun.WorkflowId)].Add(newRun);
            runsById[newRun.RunId] = newRun;
        }
        Update(current, r =>
        {
            if (r.IsOpen)
            {
                r.ResetRunId = newRun.RunId;
                CloseAsTerminated(r, $"reset to event {finishId} of run {baseRun.RunId} (new run {newRun.RunId}): {reason}", request.Identity);
            }
        });
        Update(newRun, r =>
        {
            var startedId = finishId - 1;
            r.Append(EventType.WorkflowTaskFailed, Now, e => e.WorkflowTaskFailedEventAttributes = new()
            {
                ScheduledEventId = kept[startedId - 1].WorkflowTaskStartedEventAttributes.ScheduledEventId,
                StartedEventId = startedId,
                Cause = WorkflowTaskFailedCause.ResetWorkflow,
                Failure = new Failure { Message = reason },
                BaseRunId = baseRun.RunId,
                NewRunId = r.RunId,
                Identity = request.Identity,
            });
            r.TaskState = WorkflowTaskState.None;
            r.TaskAttempt = 1;
            foreach (var signal in reapplied)
            {
                r.Append(EventType.WorkflowExecutionSignaled, Now, e => e.WorkflowExecutionSignaledEventAttributes = signal.WorkflowExecutionSignaledEventAttributes);
            }
        });
        Resume(newRun, inFlightLost: true);
        Update(newRun, ScheduleWorkflowTaskNow);
        RedriveChildren(newRun);
        return new ResetWorkflowExecutionResponse { RunId = newRun.RunId };
    }

    private void ScheduleWorkflowTaskNow(WorkflowRun run) => ScheduleWorkflowTask(run);

    /// <summary>The event ids a run can be reset to: each event that ends a workflow task right after its start.</summary>
    internal static long[] ResetPoints(IReadOnlyList<HistoryEvent> history) =>
    [
        .. history.Where(e => e.EventId >= 2 && history[(int)e.EventId - 2].EventType == EventType.WorkflowTaskStarted
            && e.EventType is EventType.WorkflowTaskCompleted or EventType.WorkflowTaskFailed or EventType.WorkflowTaskTimedOut)
            .Select(e => e.EventId),
    ];

    /// <summary>Children the kept history still waits for: unstarted ones are started, closed ones report their close again.</summary>
    private void RedriveChildren(WorkflowRun run)
    {
        PendingChild[] children;
        lock (run.Sync)
        {
            children = [.. run.Children.Values];
        }
        foreach (var child in children)
        {
            if (child.RunId is null)
            {
                StartChild(run, child);
                continue;
            }
            var childRun = TryFindRun(child.Attributes.Namespace, new() { WorkflowId = child.Attributes.WorkflowId });
            if (childRun is null)
            {
                continue;
            }
            HistoryEvent? close;
            lock (childRun.Sync)
            {
                close = childRun.IsOpen || childRun.ParentInitiatedEventId != child.InitiatedEventId ? null : childRun.History[^1];
            }
            if (close is not null && string.IsNullOrEmpty(NewRunIdOf(close)))
            {
                NotifyParent(childRun, close);
            }
        }
    }
}
