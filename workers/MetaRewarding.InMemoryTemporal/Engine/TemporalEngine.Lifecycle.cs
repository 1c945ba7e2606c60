using Grpc.Core;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// How runs end and talk to each other: close (with the parent told and the parent-close policy applied
/// to children), continue-as-new, child workflows, signals, cancellation requests and termination.
/// </summary>
internal sealed partial class TemporalEngine
{
    private void CloseRun(WorkflowRun run, WorkflowExecutionStatus status, EventType closeType, Action<HistoryEvent> fill)
    {
        var now = Now;
        if (run.TaskState == WorkflowTaskState.Started && closeType is not (EventType.WorkflowExecutionCompleted or EventType.WorkflowExecutionFailed
            or EventType.WorkflowExecutionCanceled or EventType.WorkflowExecutionContinuedAsNew))
        {
            // Forced close (terminate, timeout) while a worker holds the task: that task fails, as on the real server.
            run.Append(EventType.WorkflowTaskFailed, now, e => e.WorkflowTaskFailedEventAttributes = new()
            {
                ScheduledEventId = run.TaskScheduledEventId, StartedEventId = run.TaskStartedEventId, Cause = WorkflowTaskFailedCause.ForceCloseCommand,
            });
        }
        run.DropBuffered();
        var closeEvent = run.Append(closeType, now, fill);
        run.Status = status;
        run.CloseTime = closeEvent.EventTime;
        run.TaskState = WorkflowTaskState.None;
        run.TaskTimeoutTimer?.Dispose();
        run.RunTimeoutTimer?.Dispose();
        run.FirstTaskTimer?.Dispose();
        run.AwaitingFirstTask = false;
        foreach (var timer in run.Timers.Values)
        {
            timer.Timer?.Dispose();
        }
        run.Timers.Clear();
        foreach (var activity in run.Activities.Values)
        {
            activity.DisposeAllTimers();
        }
        run.Activities.Clear();
        // A chain that goes on (continue-as-new, a retry) tells the parent only when its last run closes.
        if (run.ParentExecution is not null && status != WorkflowExecutionStatus.ContinuedAsNew && string.IsNullOrEmpty(NewRunIdOf(closeEvent))
            && run.ResetRunId is null)
        {
            run.AddEffect(() => NotifyParent(run, closeEvent));
        }
        // A reset hands the children to the new run (it waits for them), so none is closed by policy then.
        foreach (var child in run.Children.Values.Where(c => c.RunId is not null && run.ResetRunId is null))
        {
            var policy = child.Attributes.ParentClosePolicy;
            if (policy is ParentClosePolicy.Unspecified or ParentClosePolicy.Terminate)
            {
                run.AddEffect(() => TerminateChildOnParentClose(run, child));
            }
            else if (policy == ParentClosePolicy.RequestCancel)
            {
                run.AddEffect(() =>
                {
                    if (TryFindRun(child.Attributes.Namespace, new WorkflowExecution { WorkflowId = child.Attributes.WorkflowId }) is { } target)
                    {
                        RequestCancel(target, "parent closed (parent close policy RequestCancel)", "server", null, 0);
                    }
                });
            }
        }
        run.Children.Clear();
        DispatchQueuedQueries(run);
    }

    private static string NewRunIdOf(HistoryEvent close) => close.EventType switch
    {
        EventType.WorkflowExecutionFailed => close.WorkflowExecutionFailedEventAttributes.NewExecutionRunId,
        EventType.WorkflowExecutionTimedOut => close.WorkflowExecutionTimedOutEventAttributes.NewExecutionRunId,
        EventType.WorkflowExecutionContinuedAsNew => close.WorkflowExecutionContinuedAsNewEventAttributes.NewExecutionRunId,
        _ => "",
    };

    private void CloseAsTerminated(WorkflowRun run, string reason, string identity, Payloads? details = null) =>
        CloseRun(run, WorkflowExecutionStatus.Terminated, EventType.WorkflowExecutionTerminated, e => e.WorkflowExecutionTerminatedEventAttributes = new()
        {
            Reason = reason, Identity = identity, Details = details,
        });

    public void Terminate(WorkflowRun run, string reason, string identity, Payloads? details) => Update(run, r =>
    {
        if (!r.IsOpen)
        {
            throw ServerErrors.WorkflowAlreadyClosed(r.WorkflowId);
        }
        CloseAsTerminated(r, reason, identity, details);
    });

    private void TerminateChildOnParentClose(WorkflowRun parent, PendingChild child)
    {
        WorkflowRun latest;
        try
        {
            latest = FindRun(parent.Namespace, child.Attributes.WorkflowId, null);
        }
        catch (RpcException)
        {
            return;
        }
        Update(latest, r =>
        {
            if (r.IsOpen && r.ParentExecution?.RunId == parent.RunId)
            {
                CloseAsTerminated(r, "parent closed (parent close policy Terminate)", "server");
            }
        });
    }

    /// <summary>Records a cancellation request; false when the run is already closed.</summary>
    public bool RequestCancel(WorkflowRun target, string reason, string identity, WorkflowExecution? requester, long requesterInitiatedEventId) =>
        Update(target, r =>
        {
            if (!r.IsOpen)
            {
                return false;
            }
            if (!r.CancelRequested)
            {
                r.CancelRequested = true;
                AddExternalEvent(r, WorkflowRun.NewEvent(EventType.WorkflowExecutionCancelRequested, e => e.WorkflowExecutionCancelRequestedEventAttributes = new()
                {
                    Cause = reason, Identity = identity, ExternalWorkflowExecution = requester, ExternalInitiatedEventId = requesterInitiatedEventId,
                }));
            }
            return true;
        });

    /// <summary>Records a signal; false when the run is already closed.</summary>
    public bool Signal(WorkflowRun target, string name, Payloads? input, Header? header, string identity, WorkflowExecution? sender) =>
        Update(target, r =>
        {
            if (!r.IsOpen)
            {
                return false;
            }
            AddExternalEvent(r, WorkflowRun.NewEvent(EventType.WorkflowExecutionSignaled, e => e.WorkflowExecutionSignaledEventAttributes = new()
            {
                SignalName = name, Input = input, Header = header, Identity = identity, ExternalWorkflowExecution = sender,
            }));
            return true;
        });

    private void ContinueAsNew(WorkflowRun run, ContinueAsNewWorkflowExecutionCommandAttributes command, long completedEventId, string identity)
    {
        var newRunId = Guid.NewGuid().ToString();
        ExpectSuccessor(newRunId);
        var taskQueue = string.IsNullOrEmpty(command.TaskQueue?.Name) ? run.TaskQueue : command.TaskQueue.Name;
        var workflowType = string.IsNullOrEmpty(command.WorkflowType?.Name) ? run.WorkflowType : command.WorkflowType.Name;
        var runTimeout = IsPositive(command.WorkflowRunTimeout) ? command.WorkflowRunTimeout : run.RunTimeout;
        var taskTimeout = IsPositive(command.WorkflowTaskTimeout) ? command.WorkflowTaskTimeout : run.WorkflowTaskTimeout;
        var memo = command.Memo ?? run.Memo.Clone();
        var searchAttributes = command.SearchAttributes ?? run.SearchAttributes.Clone();
        CloseRun(run, WorkflowExecutionStatus.ContinuedAsNew, EventType.WorkflowExecutionContinuedAsNew, e => e.WorkflowExecutionContinuedAsNewEventAttributes = new()
        {
            NewExecutionRunId = newRunId,
            WorkflowType = new() { Name = workflowType },
            TaskQueue = new() { Name = taskQueue, Kind = TaskQueueKind.Normal },
            Input = command.Input,
            Header = command.Header,
            WorkflowRunTimeout = runTimeout,
            WorkflowTaskTimeout = taskTimeout,
            WorkflowTaskCompletedEventId = completedEventId,
            Initiator = command.Initiator,
            LastCompletionResult = command.LastCompletionResult,
            Memo = memo,
            SearchAttributes = searchAttributes,
        });
        var parameters = ContinueAsNewParameters(run, run.History[^1].WorkflowExecutionContinuedAsNewEventAttributes, identity, command.RetryPolicy, command.Failure);
        run.AddEffect(() => StartRun(parameters));
    }

    /// <summary>The next run of a continue-as-new, from the close event (also what recovery uses when that run is missing).</summary>
    private static StartParameters ContinueAsNewParameters(WorkflowRun run, WorkflowExecutionContinuedAsNewEventAttributes e, string identity,
        Temporalio.Api.Common.V1.RetryPolicy? retryPolicy, Temporalio.Api.Failure.V1.Failure? failure) => new()
    {
        Namespace = run.Namespace,
        WorkflowId = run.WorkflowId,
        WorkflowType = e.WorkflowType.Name,
        TaskQueue = e.TaskQueue.Name,
        Input = e.Input,
        Header = e.Header,
        RunTimeout = e.WorkflowRunTimeout,
        ExecutionTimeout = run.ExecutionTimeout,
        TaskTimeout = e.WorkflowTaskTimeout,
        Identity = identity,
        RetryPolicy = retryPolicy,
        Memo = e.Memo,
        SearchAttributes = e.SearchAttributes,
        ParentNamespace = run.ParentNamespace,
        ParentExecution = run.ParentExecution,
        ParentInitiatedEventId = run.ParentInitiatedEventId,
        RunId = e.NewExecutionRunId,
        ContinuedFromRunId = run.RunId,
        FirstRunId = run.FirstRunId,
        Initiator = e.Initiator,
        ContinuedFailure = failure,
        LastCompletionResult = e.LastCompletionResult,
    };

    private void InitiateChild(WorkflowRun parent, StartChildWorkflowExecutionCommandAttributes command, long completedEventId)
    {
        var ns = parent.Namespace; // one namespace per server: cross-namespace children are not supported
        var attributes = new StartChildWorkflowExecutionInitiatedEventAttributes
        {
            Namespace = ns,
            WorkflowId = command.WorkflowId,
            WorkflowType = command.WorkflowType,
            TaskQueue = new() { Name = string.IsNullOrEmpty(command.TaskQueue?.Name) ? parent.TaskQueue : command.TaskQueue.Name, Kind = TaskQueueKind.Normal },
            Input = command.Input,
            WorkflowExecutionTimeout = command.WorkflowExecutionTimeout,
            WorkflowRunTimeout = command.WorkflowRunTimeout,
            WorkflowTaskTimeout = command.WorkflowTaskTimeout,
            ParentClosePolicy = command.ParentClosePolicy,
            WorkflowTaskCompletedEventId = completedEventId,
            WorkflowIdReusePolicy = command.WorkflowIdReusePolicy,
            RetryPolicy = command.RetryPolicy,
            CronSchedule = command.CronSchedule,
            Header = command.Header,
            Memo = command.Memo,
            SearchAttributes = command.SearchAttributes,
        };
        var initiated = parent.Append(EventType.StartChildWorkflowExecutionInitiated, Now, e => e.StartChildWorkflowExecutionInitiatedEventAttributes = attributes);
        var child = new PendingChild(initiated.EventId, attributes);
        parent.Children[initiated.EventId] = child;
        parent.AddEffect(() => StartChild(parent, child));
    }

    private void StartChild(WorkflowRun parent, PendingChild child)
    {
        var a = child.Attributes;
        StartResult started;
        try
        {
            // After a restart the child may exist already (the server stopped before the parent recorded its start).
            started = ExistingChildRun(parent, child) is { } existing ? new StartResult(existing, true) : StartRun(new StartParameters
            {
                Namespace = a.Namespace,
                WorkflowId = a.WorkflowId,
                WorkflowType = a.WorkflowType.Name,
                TaskQueue = a.TaskQueue.Name,
                Input = a.Input,
                Header = a.Header,
                ExecutionTimeout = a.WorkflowExecutionTimeout,
                RunTimeout = a.WorkflowRunTimeout,
                TaskTimeout = a.WorkflowTaskTimeout,
                ReusePolicy = a.WorkflowIdReusePolicy,
                RetryPolicy = a.RetryPolicy,
                Memo = a.Memo,
                SearchAttributes = a.SearchAttributes,
                ParentNamespace = parent.Namespace,
                ParentExecution = ExecutionOf(parent),
                ParentInitiatedEventId = child.InitiatedEventId,
            }, dispatchFirstTask: false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.AlreadyExists or StatusCode.NotFound)
        {
            Update(parent, p =>
            {
                p.Children.Remove(child.InitiatedEventId);
                AddExternalEvent(p, WorkflowRun.NewEvent(EventType.StartChildWorkflowExecutionFailed, e => e.StartChildWorkflowExecutionFailedEventAttributes = new()
                {
                    Namespace = a.Namespace, WorkflowId = a.WorkflowId, WorkflowType = a.WorkflowType, InitiatedEventId = child.InitiatedEventId,
                    Cause = ex.StatusCode == StatusCode.AlreadyExists
                        ? StartChildWorkflowExecutionFailedCause.WorkflowAlreadyExists
                        : StartChildWorkflowExecutionFailedCause.NamespaceNotFound,
                }));
            });
            return;
        }
        var childRun = started.Run;
        var parentOpen = Update(parent, p =>
        {
            if (!p.IsOpen)
            {
                return false;
            }
            child.RunId = childRun.RunId;
            AddExternalEvent(p, WorkflowRun.NewEvent(EventType.ChildWorkflowExecutionStarted, e => e.ChildWorkflowExecutionStartedEventAttributes = new()
            {
                Namespace = a.Namespace, InitiatedEventId = child.InitiatedEventId, WorkflowExecution = ExecutionOf(childRun), WorkflowType = a.WorkflowType, Header = a.Header,
            }));
            return true;
        });
        if (parentOpen)
        {
            DispatchScheduledTask(childRun);
        }
        else
        {
            Update(childRun, r => CloseAsTerminated(r, "parent closed before the child started (parent close policy)", "server"));
        }
    }

    private WorkflowRun? ExistingChildRun(WorkflowRun parent, PendingChild child)
    {
        lock (storeLock)
        {
            return runsByWorkflowId.TryGetValue((child.Attributes.Namespace, child.Attributes.WorkflowId), out var runs)
                ? runs.LastOrDefault(r => r.ParentExecution?.RunId == parent.RunId && r.ParentInitiatedEventId == child.InitiatedEventId)
                : null;
        }
    }

    /// <summary>Tells the parent how its child (the last run of its continue-as-new chain) closed.</summary>
    private void NotifyParent(WorkflowRun child, HistoryEvent close)
    {
        if (ParentWaitingFor(child) is not { } parent)
        {
            return;
        }
        Update(parent, p =>
        {
            if (!p.IsOpen || !p.Children.Remove(child.ParentInitiatedEventId, out var pending))
            {
                return;
            }
            if (ChildCloseEvent(close, pending, ExecutionOf(child)) is { } ev)
            {
                AddExternalEvent(p, ev);
            }
        });
    }

    /// <summary>
    /// The run of the parent that waits for this child: the one that started it, or, when that run was reset, the
    /// newest run of the parent's workflow id (a reset keeps the parent's pending children).
    /// </summary>
    private WorkflowRun? ParentWaitingFor(WorkflowRun child)
    {
        if (runsById.TryGetValue(child.ParentExecution!.RunId, out var parent) && parent.IsOpen)
        {
            return parent;
        }
        var latest = TryFindRun(child.ParentNamespace ?? child.Namespace, new WorkflowExecution { WorkflowId = child.ParentExecution.WorkflowId });
        if (latest is null)
        {
            return null;
        }
        lock (latest.Sync)
        {
            return latest.IsOpen && latest.Children.TryGetValue(child.ParentInitiatedEventId, out var pending)
                && pending.Attributes.WorkflowId == child.WorkflowId ? latest : null;
        }
    }

    /// <summary>The parent's event for a child's close (its StartedEventId is filled when written).</summary>
    private static HistoryEvent? ChildCloseEvent(HistoryEvent close, PendingChild pending, WorkflowExecution execution)
    {
        var ns = pending.Attributes.Namespace;
        var type = pending.Attributes.WorkflowType;
        var initiated = pending.InitiatedEventId;
        return close.EventType switch
        {
            EventType.WorkflowExecutionCompleted => WorkflowRun.NewEvent(EventType.ChildWorkflowExecutionCompleted, e => e.ChildWorkflowExecutionCompletedEventAttributes = new()
            {
                Namespace = ns, WorkflowExecution = execution, WorkflowType = type, InitiatedEventId = initiated,
                Result = close.WorkflowExecutionCompletedEventAttributes.Result,
            }),
            EventType.WorkflowExecutionFailed => WorkflowRun.NewEvent(EventType.ChildWorkflowExecutionFailed, e => e.ChildWorkflowExecutionFailedEventAttributes = new()
            {
                Namespace = ns, WorkflowExecution = execution, WorkflowType = type, InitiatedEventId = initiated,
                Failure = close.WorkflowExecutionFailedEventAttributes.Failure, RetryState = close.WorkflowExecutionFailedEventAttributes.RetryState,
            }),
            EventType.WorkflowExecutionCanceled => WorkflowRun.NewEvent(EventType.ChildWorkflowExecutionCanceled, e => e.ChildWorkflowExecutionCanceledEventAttributes = new()
            {
                Namespace = ns, WorkflowExecution = execution, WorkflowType = type, InitiatedEventId = initiated,
                Details = close.WorkflowExecutionCanceledEventAttributes.Details,
            }),
            EventType.WorkflowExecutionTerminated => WorkflowRun.NewEvent(EventType.ChildWorkflowExecutionTerminated, e => e.ChildWorkflowExecutionTerminatedEventAttributes = new()
            {
                Namespace = ns, WorkflowExecution = execution, WorkflowType = type, InitiatedEventId = initiated,
            }),
            EventType.WorkflowExecutionTimedOut => WorkflowRun.NewEvent(EventType.ChildWorkflowExecutionTimedOut, e => e.ChildWorkflowExecutionTimedOutEventAttributes = new()
            {
                Namespace = ns, WorkflowExecution = execution, WorkflowType = type, InitiatedEventId = initiated,
                RetryState = close.WorkflowExecutionTimedOutEventAttributes.RetryState,
            }),
            _ => null,
        };
    }

    private void InitiateCancelExternal(WorkflowRun run, RequestCancelExternalWorkflowExecutionCommandAttributes command, long completedEventId)
    {
        var ns = run.Namespace;
        var target = new WorkflowExecution { WorkflowId = command.WorkflowId, RunId = command.RunId };
        var initiated = run.Append(EventType.RequestCancelExternalWorkflowExecutionInitiated, Now, e => e.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes = new()
        {
            Namespace = ns, WorkflowExecution = target, ChildWorkflowOnly = command.ChildWorkflowOnly, Reason = command.Reason, WorkflowTaskCompletedEventId = completedEventId,
        });
        var initiatedId = initiated.EventId;
        var requester = ExecutionOf(run);
        run.AddEffect(() =>
        {
            var delivered = TryFindRun(ns, target) is { } targetRun
                && RequestCancel(targetRun, command.Reason, "", requester, initiatedId);
            Update(run, r => AddExternalEvent(r, delivered
                ? WorkflowRun.NewEvent(EventType.ExternalWorkflowExecutionCancelRequested, e => e.ExternalWorkflowExecutionCancelRequestedEventAttributes = new()
                {
                    InitiatedEventId = initiatedId, Namespace = ns, WorkflowExecution = target,
                })
                : WorkflowRun.NewEvent(EventType.RequestCancelExternalWorkflowExecutionFailed, e => e.RequestCancelExternalWorkflowExecutionFailedEventAttributes = new()
                {
                    InitiatedEventId = initiatedId, Namespace = ns, WorkflowExecution = target,
                    Cause = CancelExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound, WorkflowTaskCompletedEventId = completedEventId,
                })));
        });
    }

    private void InitiateSignalExternal(WorkflowRun run, SignalExternalWorkflowExecutionCommandAttributes command, long completedEventId)
    {
        var ns = run.Namespace;
        var target = command.Execution ?? new WorkflowExecution();
        var initiated = run.Append(EventType.SignalExternalWorkflowExecutionInitiated, Now, e => e.SignalExternalWorkflowExecutionInitiatedEventAttributes = new()
        {
            Namespace = ns, WorkflowExecution = target, SignalName = command.SignalName, Input = command.Input,
            ChildWorkflowOnly = command.ChildWorkflowOnly, Header = command.Header, WorkflowTaskCompletedEventId = completedEventId,
        });
        var initiatedId = initiated.EventId;
        var sender = ExecutionOf(run);
        run.AddEffect(() =>
        {
            var delivered = TryFindRun(ns, target) is { } targetRun
                && Signal(targetRun, command.SignalName, command.Input, command.Header, "", sender);
            Update(run, r => AddExternalEvent(r, delivered
                ? WorkflowRun.NewEvent(EventType.ExternalWorkflowExecutionSignaled, e => e.ExternalWorkflowExecutionSignaledEventAttributes = new()
                {
                    InitiatedEventId = initiatedId, Namespace = ns, WorkflowExecution = target,
                })
                : WorkflowRun.NewEvent(EventType.SignalExternalWorkflowExecutionFailed, e => e.SignalExternalWorkflowExecutionFailedEventAttributes = new()
                {
                    InitiatedEventId = initiatedId, Namespace = ns, WorkflowExecution = target,
                    Cause = SignalExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound, WorkflowTaskCompletedEventId = completedEventId,
                })));
        });
    }

    private WorkflowRun? TryFindRun(string ns, WorkflowExecution execution)
    {
        try
        {
            return FindRun(ns, execution.WorkflowId, execution.RunId);
        }
        catch (RpcException)
        {
            return null;
        }
    }
}
