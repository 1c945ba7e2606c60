using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Activities: scheduled by a command, dispatched per attempt, retried by their retry policy with
/// backoff, timed out (schedule-to-start, start-to-close, schedule-to-close, heartbeat). As on the real
/// server, ActivityTaskStarted is written only with the result, carrying the final attempt number.
/// </summary>
internal sealed partial class TemporalEngine
{
    private void ScheduleActivity(WorkflowRun run, ScheduleActivityTaskCommandAttributes command, long completedEventId)
    {
        var scheduleToClose = IsPositive(command.ScheduleToCloseTimeout) ? command.ScheduleToCloseTimeout : null;
        var attributes = new ActivityTaskScheduledEventAttributes
        {
            ActivityId = command.ActivityId,
            ActivityType = command.ActivityType,
            TaskQueue = new TaskQueue
            {
                Name = string.IsNullOrEmpty(command.TaskQueue?.Name) ? run.TaskQueue : command.TaskQueue.Name,
                Kind = TaskQueueKind.Normal,
            },
            Header = command.Header,
            Input = command.Input,
            ScheduleToCloseTimeout = scheduleToClose,
            ScheduleToStartTimeout = IsPositive(command.ScheduleToStartTimeout) ? command.ScheduleToStartTimeout : scheduleToClose,
            StartToCloseTimeout = IsPositive(command.StartToCloseTimeout) ? command.StartToCloseTimeout : scheduleToClose,
            HeartbeatTimeout = IsPositive(command.HeartbeatTimeout) ? command.HeartbeatTimeout : null,
            WorkflowTaskCompletedEventId = completedEventId,
            RetryPolicy = RetryDecision.WithDefaults(command.RetryPolicy),
        };
        var now = Now;
        var scheduled = run.Append(EventType.ActivityTaskScheduled, now, e => e.ActivityTaskScheduledEventAttributes = attributes);
        // The pending copy can change (update-options) without touching the recorded event.
        var pending = new PendingActivity(scheduled.EventId, attributes.Clone(), now);
        run.Activities[scheduled.EventId] = pending;
        if (scheduleToClose is not null)
        {
            pending.ScheduleToCloseTimer = StartTimer(run, scheduleToClose.ToTimeSpan(),
                r => TimeOutActivity(r, pending.ScheduledEventId, attempt: null, TimeoutType.ScheduleToClose));
        }
        DispatchActivityAttempt(run, pending);
    }

    private void DispatchActivityAttempt(WorkflowRun run, PendingActivity pending)
    {
        if (pending.Paused)
        {
            return; // dispatched when unpaused
        }
        pending.CurrentAttemptScheduledTime = Now;
        pending.Dispatched = true;
        var attempt = pending.Attempt;
        // Schedule-to-start equal to schedule-to-close is covered by the schedule-to-close timer.
        if (pending.Attributes.ScheduleToStartTimeout is { } toStart && toStart != pending.Attributes.ScheduleToCloseTimeout)
        {
            pending.AttemptTimers.Add(StartTimer(run, toStart.ToTimeSpan(),
                r => TimeOutActivity(r, pending.ScheduledEventId, attempt, TimeoutType.ScheduleToStart)));
        }
        var reference = new ActivityTaskRef(run, pending.ScheduledEventId, attempt);
        run.AddEffect(() => ActivityQueue(run.Namespace, pending.Attributes.TaskQueue.Name).Add(reference));
    }

    public async Task<PollActivityTaskQueueResponse> PollActivityTaskAsync(PollActivityTaskQueueRequest request, CancellationToken cancellationToken)
    {
        RequireNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw ServerErrors.InvalidArgument("PollActivityTaskQueue: TaskQueue.Name is not set.");
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ShutdownToken);
        RecordPoller(request.TaskQueue.Name, TaskQueueType.Activity, request.Identity);
        var queue = ActivityQueue(request.Namespace, request.TaskQueue.Name);
        return await queue.PollAsync(item => ClaimActivity(item, request.Identity), options.LongPollTimeout, linked.Token).ConfigureAwait(false)
            ?? new PollActivityTaskQueueResponse();
    }

    private PollActivityTaskQueueResponse? ClaimActivity(ActivityTaskRef item, string identity) => Update(item.Run, run =>
    {
        if (!run.IsOpen || !run.Activities.TryGetValue(item.ScheduledEventId, out var pending) || pending.Started || pending.Paused
            || pending.Attempt != item.Attempt)
        {
            return null;
        }
        var now = Now;
        pending.DisposeAttemptTimers();
        pending.Started = true;
        pending.StartedTime = now;
        pending.StartedIdentity = identity;
        pending.LastHeartbeatTime = null;
        pending.Dispatched = false;
        var attempt = pending.Attempt;
        var a = pending.Attributes;
        ArmStartedAttemptTimers(run, pending);
        return new PollActivityTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.Activity, run.RunId, pending.ScheduledEventId, attempt).ToByteString(),
            WorkflowNamespace = run.Namespace,
            WorkflowType = new() { Name = run.WorkflowType },
            WorkflowExecution = ExecutionOf(run),
            ActivityType = a.ActivityType,
            ActivityId = a.ActivityId,
            Header = a.Header,
            Input = a.Input,
            HeartbeatDetails = pending.HeartbeatDetails,
            ScheduledTime = Timestamp.FromDateTimeOffset(pending.CurrentAttemptScheduledTime),
            CurrentAttemptScheduledTime = Timestamp.FromDateTimeOffset(pending.CurrentAttemptScheduledTime),
            StartedTime = Timestamp.FromDateTimeOffset(now),
            Attempt = attempt,
            ScheduleToCloseTimeout = a.ScheduleToCloseTimeout,
            StartToCloseTimeout = a.StartToCloseTimeout,
            HeartbeatTimeout = a.HeartbeatTimeout,
            RetryPolicy = a.RetryPolicy,
        };
    });

    /// <summary>The start-to-close timer (from the attempt's start) and the heartbeat timer (from now) of a started attempt.</summary>
    private void ArmStartedAttemptTimers(WorkflowRun run, PendingActivity pending)
    {
        var attempt = pending.Attempt;
        var a = pending.Attributes;
        if (a.StartToCloseTimeout is { } toClose)
        {
            var deadline = (pending.StartedTime ?? Now) + toClose.ToTimeSpan();
            pending.AttemptTimers.Add(StartTimer(run, deadline - Now,
                r => TimeOutActivity(r, pending.ScheduledEventId, attempt, TimeoutType.StartToClose)));
        }
        if (a.HeartbeatTimeout is { } heartbeat)
        {
            pending.HeartbeatTimer = StartTimer(run, heartbeat.ToTimeSpan(),
                r => TimeOutActivity(r, pending.ScheduledEventId, attempt, TimeoutType.Heartbeat));
            pending.AttemptTimers.Add(pending.HeartbeatTimer);
        }
    }

    private void TimeOutActivity(WorkflowRun run, long scheduledEventId, int? attempt, TimeoutType type)
    {
        if (!run.IsOpen || !run.Activities.TryGetValue(scheduledEventId, out var pending) || (attempt is { } a && a != pending.Attempt))
        {
            return;
        }
        if ((type == TimeoutType.ScheduleToStart && pending.Started) || (type is TimeoutType.StartToClose or TimeoutType.Heartbeat && !pending.Started))
        {
            return;
        }
        var failure = new Failure
        {
            Message = $"activity {type} timeout",
            Source = "Server",
            Cause = pending.LastFailure,
            TimeoutFailureInfo = new() { TimeoutType = type, LastHeartbeatDetails = pending.HeartbeatDetails },
        };
        EndActivityAttempt(run, pending, failure, pending.StartedIdentity, timedOut: true);
    }

    /// <summary>A failed or timed-out attempt: retried after backoff, or the activity fails for good.</summary>
    private void EndActivityAttempt(WorkflowRun run, PendingActivity pending, Failure failure, string identity, bool timedOut)
    {
        var scheduleToCloseExpired = failure.TimeoutFailureInfo?.TimeoutType == TimeoutType.ScheduleToClose;
        var decision = scheduleToCloseExpired
            ? new RetryDecision(false, TimeSpan.Zero, RetryState.Timeout)
            : pending.CancelRequested
                ? new RetryDecision(false, TimeSpan.Zero, RetryState.CancelRequested)
                : RetryDecision.Decide(pending.Attributes.RetryPolicy, pending.Attempt, failure, Now, pending.ScheduleToCloseDeadline);
        if (pending.ResetRequested && !scheduleToCloseExpired && !pending.CancelRequested)
        {
            // Reset by an operator while this attempt ran: start over at attempt 1, now, whatever the policy said.
            decision = new RetryDecision(true, TimeSpan.Zero, RetryState.InProgress);
        }
        if (decision.Retry)
        {
            pending.DisposeAttemptTimers();
            pending.LastFailure = failure;
            pending.Attempt = pending.ResetRequested ? 1 : pending.Attempt + 1;
            pending.ResetRequested = false;
            pending.Started = false;
            pending.StartedTime = null;
            pending.Dispatched = false;
            pending.AttemptTimers.Add(StartTimer(run, decision.Delay, r =>
            {
                if (r.IsOpen && r.Activities.ContainsKey(pending.ScheduledEventId))
                {
                    DispatchActivityAttempt(r, pending);
                }
            }));
            return;
        }
        var wasStarted = pending.Started;
        RemoveActivity(run, pending);
        var startedId = wasStarted ? WorkflowRun.StartedInSameGroup : 0;
        var result = timedOut
            ? WorkflowRun.NewEvent(EventType.ActivityTaskTimedOut, e => e.ActivityTaskTimedOutEventAttributes = new()
            {
                Failure = failure, ScheduledEventId = pending.ScheduledEventId, StartedEventId = startedId, RetryState = decision.State,
            })
            : WorkflowRun.NewEvent(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new()
            {
                Failure = failure, ScheduledEventId = pending.ScheduledEventId, StartedEventId = startedId, Identity = identity, RetryState = decision.State,
            });
        AddExternalEvent(run, wasStarted ? [ActivityStartedEvent(pending, identity, failure), result] : [result]);
    }

    /// <summary>ActivityTaskStarted, written only with the attempt's result (as the real server does).</summary>
    private static HistoryEvent ActivityStartedEvent(PendingActivity pending, string identity, Failure? lastFailure) =>
        WorkflowRun.NewEvent(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new()
        {
            ScheduledEventId = pending.ScheduledEventId,
            Identity = identity,
            RequestId = Guid.NewGuid().ToString(),
            Attempt = pending.Attempt,
            LastFailure = lastFailure ?? pending.LastFailure,
        });

    private static void RemoveActivity(WorkflowRun run, PendingActivity pending)
    {
        pending.DisposeAllTimers();
        run.Activities.Remove(pending.ScheduledEventId);
    }

    /// <summary>RequestCancelActivityTask: an activity not yet started is canceled at once; a started one is told through its heartbeat.</summary>
    private bool RequestCancelActivity(WorkflowRun run, long scheduledEventId, long completedEventId)
    {
        if (!run.Activities.TryGetValue(scheduledEventId, out var pending))
        {
            return false;
        }
        var requested = run.Append(EventType.ActivityTaskCancelRequested, Now, e => e.ActivityTaskCancelRequestedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId, WorkflowTaskCompletedEventId = completedEventId,
        });
        if (pending.Started)
        {
            pending.CancelRequested = true;
            pending.CancelRequestedEventId = requested.EventId;
            return false;
        }
        RemoveActivity(run, pending);
        run.Append(EventType.ActivityTaskCanceled, requested.EventTime.ToDateTimeOffset(), e => e.ActivityTaskCanceledEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId, LatestCancelRequestedEventId = requested.EventId,
        });
        return true;
    }

    // ---- Worker responses, by task token or by activity id ----

    private (WorkflowRun Run, long ScheduledEventId, int? Attempt) ActivityFromToken(ByteString token)
    {
        var parsed = TaskToken.Parse(token, TaskTokenKind.Activity);
        return (RunFromToken(parsed), parsed.ScheduledEventId, (int)parsed.StartedOrAttempt);
    }

    private (WorkflowRun Run, long ScheduledEventId, int? Attempt) ActivityFromId(string ns, string workflowId, string runId, string activityId)
    {
        RequireNamespace(ns);
        if (string.IsNullOrEmpty(activityId))
        {
            throw ServerErrors.InvalidArgument("ActivityId is not set on the request.");
        }
        var run = FindRun(ns, workflowId, runId);
        lock (run.Sync)
        {
            var pending = run.Activities.Values.FirstOrDefault(a => a.Attributes.ActivityId == activityId)
                ?? throw ServerErrors.NotFound($"activity '{activityId}' of workflow '{workflowId}' is not pending.");
            return (run, pending.ScheduledEventId, null);
        }
    }

    /// <summary>The pending activity a worker response names, refusing outdated attempts.</summary>
    private PendingActivity RequireActivity(WorkflowRun run, long scheduledEventId, int? attempt)
    {
        if (!run.IsOpen)
        {
            throw ServerErrors.NotFound($"workflow '{run.WorkflowId}' is already closed ({run.Status}); its activities are no longer pending.");
        }
        if (!run.Activities.TryGetValue(scheduledEventId, out var pending) || (attempt is { } a && (a != pending.Attempt || !pending.Started)))
        {
            throw ServerErrors.NotFound($"activity task not found (it timed out, was retried or already completed) in workflow '{run.WorkflowId}'.");
        }
        if (attempt is null && !pending.Started)
        {
            // Completing by id an attempt no worker has taken: it counts as started now.
            pending.Started = true;
            pending.StartedTime = Now;
        }
        return pending;
    }

    public RecordActivityTaskHeartbeatResponse Heartbeat((WorkflowRun Run, long ScheduledEventId, int? Attempt) target, Payloads? details) =>
        Update(target.Run, run =>
        {
            var pending = RequireActivity(run, target.ScheduledEventId, target.Attempt);
            pending.HeartbeatDetails = details;
            pending.LastHeartbeatTime = Now;
            pending.HeartbeatTimer?.Change(pending.Attributes.HeartbeatTimeout?.ToTimeSpan() ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return new RecordActivityTaskHeartbeatResponse { CancelRequested = pending.CancelRequested, ActivityPaused = pending.Paused };
        });

    public void CompleteActivity((WorkflowRun Run, long ScheduledEventId, int? Attempt) target, Payloads? result, string identity) =>
        Update(target.Run, run =>
        {
            var pending = RequireActivity(run, target.ScheduledEventId, target.Attempt);
            if (PayloadLimits.Violation(result, $"the result of activity '{pending.Attributes.ActivityType.Name}'") is { } tooBig)
            {
                // As on the real server, an oversized result fails the attempt (the retry policy decides what next).
                EndActivityAttempt(run, pending, new Failure
                {
                    Message = tooBig,
                    Source = "Server",
                    ApplicationFailureInfo = new() { Type = "PayloadSizeLimitExceeded" },
                }, identity, timedOut: false);
                return;
            }
            RemoveActivity(run, pending);
            AddExternalEvent(run, ActivityStartedEvent(pending, identity, null),
                WorkflowRun.NewEvent(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = new()
                {
                    Result = result, ScheduledEventId = pending.ScheduledEventId, StartedEventId = WorkflowRun.StartedInSameGroup, Identity = identity,
                }));
        });

    public void FailActivity((WorkflowRun Run, long ScheduledEventId, int? Attempt) target, Failure? failure, Payloads? lastHeartbeatDetails, string identity) =>
        Update(target.Run, run =>
        {
            var pending = RequireActivity(run, target.ScheduledEventId, target.Attempt);
            if (lastHeartbeatDetails is not null)
            {
                pending.HeartbeatDetails = lastHeartbeatDetails;
            }
            EndActivityAttempt(run, pending, failure ?? new Failure { Message = "activity failed without a failure" }, identity, timedOut: false);
        });

    public void CancelActivity((WorkflowRun Run, long ScheduledEventId, int? Attempt) target, Payloads? details, string identity) =>
        Update(target.Run, run =>
        {
            var pending = RequireActivity(run, target.ScheduledEventId, target.Attempt);
            RemoveActivity(run, pending);
            AddExternalEvent(run, ActivityStartedEvent(pending, identity, null),
                WorkflowRun.NewEvent(EventType.ActivityTaskCanceled, e => e.ActivityTaskCanceledEventAttributes = new()
                {
                    Details = details, ScheduledEventId = pending.ScheduledEventId, StartedEventId = WorkflowRun.StartedInSameGroup,
                    LatestCancelRequestedEventId = pending.CancelRequestedEventId, Identity = identity,
                }));
        });

    public (WorkflowRun Run, long ScheduledEventId, int? Attempt) ResolveActivity(ByteString token) => ActivityFromToken(token);

    public (WorkflowRun Run, long ScheduledEventId, int? Attempt) ResolveActivity(string ns, string workflowId, string runId, string activityId) =>
        ActivityFromId(ns, workflowId, runId, activityId);
}
