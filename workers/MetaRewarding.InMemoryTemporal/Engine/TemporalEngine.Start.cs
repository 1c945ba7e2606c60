using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

internal sealed partial class TemporalEngine
{
    private static readonly TimeSpan DefaultWorkflowTaskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The outcome of a start: the run, and whether this call created it.</summary>
    internal readonly record struct StartResult(WorkflowRun Run, bool Started);

    /// <summary>
    /// Starts a run, applying the workflow id conflict and reuse policies like the real server. With
    /// <paramref name="dispatchFirstTask"/> false the first workflow task is scheduled but not queued
    /// (the parent records ChildWorkflowExecutionStarted first, then queues it).
    /// </summary>
    public StartResult StartRun(StartParameters p, bool dispatchFirstTask = true)
    {
        if (string.IsNullOrEmpty(p.WorkflowId))
        {
            throw ServerErrors.InvalidArgument("WorkflowId is not set on the request.");
        }
        if (string.IsNullOrEmpty(p.WorkflowType))
        {
            throw ServerErrors.InvalidArgument("WorkflowType is not set on the request.");
        }
        if (string.IsNullOrEmpty(p.TaskQueue))
        {
            throw ServerErrors.InvalidArgument("TaskQueue is not set on the request.");
        }
        WorkflowRun run;
        lock (storeLock)
        {
            if (!runsByWorkflowId.TryGetValue((p.Namespace, p.WorkflowId), out var runs))
            {
                runs = [];
                runsByWorkflowId[(p.Namespace, p.WorkflowId)] = runs;
            }
            if (p.ContinuedFromRunId is null && runs.Count > 0 && CheckExisting(p, runs[^1]) is { } existing)
            {
                return existing;
            }
            run = new WorkflowRun(p.Namespace, p.WorkflowId, p.RunId ?? Guid.NewGuid().ToString(), p.WorkflowType, p.TaskQueue)
            {
                FirstRunId = p.FirstRunId ?? "",
                RequestId = p.RequestId,
            };
            if (string.IsNullOrEmpty(run.FirstRunId))
            {
                run.FirstRunId = run.RunId;
            }
            runs.Add(run);
            runsById[run.RunId] = run;
        }
        try
        {
            Update(run, r => WriteStart(r, p, dispatchFirstTask));
        }
        finally
        {
            SuccessorStarted(run.RunId);
        }
        return new StartResult(run, true);
    }

    /// <summary>Null when a new run may start; otherwise the existing run to return, or an error.</summary>
    private StartResult? CheckExisting(StartParameters p, WorkflowRun last)
    {
        lock (last.Sync)
        {
            if (last.IsOpen)
            {
                if (!string.IsNullOrEmpty(p.RequestId) && p.RequestId == last.RequestId)
                {
                    return new StartResult(last, true); // a retried request: idempotent
                }
                if (p.ConflictPolicy == WorkflowIdConflictPolicy.UseExisting)
                {
                    return new StartResult(last, false);
                }
                if (p.ConflictPolicy != WorkflowIdConflictPolicy.TerminateExisting && !IsLegacyTerminateIfRunning(p.ReusePolicy))
                {
                    throw ServerErrors.AlreadyStarted(p.WorkflowId, last.RunId, last.RequestId);
                }
            }
        }
        if (last.IsOpen)
        {
            Update(last, r => CloseAsTerminated(r, "terminated by a new start (id conflict policy TerminateExisting)", p.Identity));
            return null;
        }
        var allowed = p.ReusePolicy switch
        {
            WorkflowIdReusePolicy.RejectDuplicate => false,
            WorkflowIdReusePolicy.AllowDuplicateFailedOnly => last.Status is not (WorkflowExecutionStatus.Completed or WorkflowExecutionStatus.ContinuedAsNew),
            _ => true,
        };
        return allowed ? null : throw ServerErrors.AlreadyStarted(p.WorkflowId, last.RunId, last.RequestId);
    }

    // Deprecated in the API in favour of the conflict policy TerminateExisting, but older clients still send it.
#pragma warning disable CS0612
    private static bool IsLegacyTerminateIfRunning(WorkflowIdReusePolicy policy) => policy == WorkflowIdReusePolicy.TerminateIfRunning;
#pragma warning restore CS0612

    private void WriteStart(WorkflowRun run, StartParameters p, bool dispatchFirstTask)
    {
        var now = Now;
        run.StartTime = Timestamp.FromDateTimeOffset(now);
        run.WorkflowTaskTimeout = p.TaskTimeout is { } t && t.ToTimeSpan() > TimeSpan.Zero ? t : Duration.FromTimeSpan(DefaultWorkflowTaskTimeout);
        run.RunTimeout = p.RunTimeout is { } rt && rt.ToTimeSpan() > TimeSpan.Zero ? rt : null;
        run.ExecutionTimeout = p.ExecutionTimeout is { } et && et.ToTimeSpan() > TimeSpan.Zero ? et : null;
        run.ParentNamespace = p.ParentNamespace;
        run.ParentExecution = p.ParentExecution;
        run.ParentInitiatedEventId = p.ParentInitiatedEventId;
        run.RetryPolicy = p.RetryPolicy is null ? null : RetryDecision.WithDefaults(p.RetryPolicy);
        run.Attempt = p.Attempt;
        if (p.Memo is not null)
        {
            run.Memo.Fields.Add(p.Memo.Fields);
        }
        if (p.SearchAttributes is not null)
        {
            run.SearchAttributes.IndexedFields.Add(p.SearchAttributes.IndexedFields);
        }
        run.Append(EventType.WorkflowExecutionStarted, now, e => e.WorkflowExecutionStartedEventAttributes = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = new() { Name = p.WorkflowType },
            TaskQueue = new TaskQueue { Name = p.TaskQueue, Kind = TaskQueueKind.Normal },
            Input = p.Input,
            Header = p.Header,
            WorkflowExecutionTimeout = run.ExecutionTimeout,
            WorkflowRunTimeout = run.RunTimeout,
            WorkflowTaskTimeout = run.WorkflowTaskTimeout,
            Identity = p.Identity,
            OriginalExecutionRunId = run.RunId,
            FirstExecutionRunId = run.FirstRunId,
            ContinuedExecutionRunId = p.ContinuedFromRunId ?? "",
            Initiator = p.Initiator,
            ContinuedFailure = p.ContinuedFailure,
            LastCompletionResult = p.LastCompletionResult,
            RetryPolicy = run.RetryPolicy,
            Attempt = p.Attempt,
            FirstWorkflowTaskBackoff = p.StartDelay > TimeSpan.Zero ? Duration.FromTimeSpan(p.StartDelay) : null,
            Memo = p.Memo,
            SearchAttributes = p.SearchAttributes,
            ParentWorkflowNamespace = p.ParentNamespace ?? "",
            ParentWorkflowExecution = p.ParentExecution,
            ParentInitiatedEventId = p.ParentInitiatedEventId,
            WorkflowId = p.WorkflowId,
        });
        if (p.Signal is { } signal)
        {
            run.Append(EventType.WorkflowExecutionSignaled, now, e => e.WorkflowExecutionSignaledEventAttributes = new()
            {
                SignalName = signal.Name,
                Input = signal.Input,
                Header = signal.Header,
                Identity = p.Identity,
            });
        }
        ArmRunTimeout(run);
        if (p.StartDelay > TimeSpan.Zero)
        {
            // A start delay or retry backoff: the first workflow task is scheduled when it ends (signals wait too).
            WaitForFirstTask(run, p.StartDelay);
        }
        else
        {
            ScheduleWorkflowTask(run, dispatch: dispatchFirstTask);
        }
    }

    /// <summary>Times the run out at its start time plus its run timeout (or execution timeout: see the README).</summary>
    private void ArmRunTimeout(WorkflowRun run)
    {
        var timeout = run.RunTimeout ?? run.ExecutionTimeout;
        if (timeout is not null)
        {
            run.RunTimeoutTimer = StartTimer(run, run.StartTime.ToDateTimeOffset() + timeout.ToTimeSpan() - Now, r =>
            {
                if (r.IsOpen)
                {
                    TimeOutRun(r);
                }
            });
        }
    }

    private void WaitForFirstTask(WorkflowRun run, TimeSpan delay)
    {
        run.AwaitingFirstTask = true;
        run.FirstTaskTimer = StartTimer(run, delay, r =>
        {
            r.AwaitingFirstTask = false;
            ScheduleWorkflowTask(r);
        });
    }

    /// <summary>When the workflow's code starts to run: its start time plus any start delay or retry backoff.</summary>
    private static Timestamp ExecutionTimeOf(WorkflowRun run) =>
        run.History.Count > 0 && run.History[0].WorkflowExecutionStartedEventAttributes?.FirstWorkflowTaskBackoff is { } backoff
            ? Timestamp.FromDateTimeOffset(run.StartTime.ToDateTimeOffset() + backoff.ToTimeSpan())
            : run.StartTime;

    /// <summary>Queues the first workflow task of a child that was started without dispatching it.</summary>
    private void DispatchScheduledTask(WorkflowRun run) => Update(run, r =>
    {
        if (r.TaskState == WorkflowTaskState.Scheduled)
        {
            r.AddEffect(() => WorkflowQueue(r.Namespace, r.TaskQueue).Add(new WorkflowTaskRef(r, r.TaskScheduledEventId)));
        }
    });
}
