using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>An activity between its ActivityTaskScheduled event and its result event.</summary>
internal sealed class PendingActivity(long scheduledEventId, ActivityTaskScheduledEventAttributes attributes, DateTimeOffset firstScheduled)
{
    public long ScheduledEventId { get; } = scheduledEventId;
    public ActivityTaskScheduledEventAttributes Attributes { get; } = attributes;
    public DateTimeOffset FirstScheduledTime { get; } = firstScheduled;
    public DateTimeOffset CurrentAttemptScheduledTime { get; set; } = firstScheduled;
    public int Attempt { get; set; } = 1;
    public bool Started { get; set; }
    public DateTimeOffset? StartedTime { get; set; }
    public string StartedIdentity { get; set; } = "";
    public DateTimeOffset? LastHeartbeatTime { get; set; }
    public Payloads? HeartbeatDetails { get; set; }
    public Failure? LastFailure { get; set; }
    public bool CancelRequested { get; set; }
    public long CancelRequestedEventId { get; set; }

    /// <summary>Queued for a worker (not started, not waiting for a retry backoff): what the task queue's backlog counts.</summary>
    public bool Dispatched { get; set; }

    /// <summary>Paused by an operator (`temporal activity pause`): no new attempt is dispatched until unpaused.</summary>
    public bool Paused { get; set; }

    /// <summary>`temporal activity reset` while an attempt runs: the next attempt is number 1 again.</summary>
    public bool ResetRequested { get; set; }
    public Temporalio.Api.Workflow.V1.PendingActivityInfo.Types.PauseInfo? PauseInfo { get; set; }

    /// <summary>Timers of the current attempt (start-to-close, heartbeat, schedule-to-start, retry backoff).</summary>
    public List<ITimer> AttemptTimers { get; } = [];

    /// <summary>Reset by each heartbeat; also listed in <see cref="AttemptTimers"/>.</summary>
    public ITimer? HeartbeatTimer { get; set; }

    /// <summary>The schedule-to-close timer: spans all attempts.</summary>
    public ITimer? ScheduleToCloseTimer { get; set; }

    public DateTimeOffset? ScheduleToCloseDeadline =>
        Attributes.ScheduleToCloseTimeout is { } t && t.ToTimeSpan() > TimeSpan.Zero ? FirstScheduledTime + t.ToTimeSpan() : null;

    public void DisposeAttemptTimers()
    {
        HeartbeatTimer = null;
        foreach (var timer in AttemptTimers)
        {
            timer.Dispose();
        }
        AttemptTimers.Clear();
    }

    public void DisposeAllTimers()
    {
        DisposeAttemptTimers();
        ScheduleToCloseTimer?.Dispose();
        ScheduleToCloseTimer = null;
    }
}

/// <summary>A workflow timer between TimerStarted and TimerFired/TimerCanceled.</summary>
internal sealed class PendingTimer(string timerId, long startedEventId, DateTimeOffset deadline)
{
    public string TimerId { get; } = timerId;
    public long StartedEventId { get; } = startedEventId;
    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>Armed while the server runs (null in a run rebuilt from history until it is resumed).</summary>
    public ITimer? Timer { get; set; }
}

/// <summary>A child workflow between StartChildWorkflowExecutionInitiated and its close event in the parent.</summary>
internal sealed class PendingChild(long initiatedEventId, StartChildWorkflowExecutionInitiatedEventAttributes attributes)
{
    public long InitiatedEventId { get; } = initiatedEventId;
    public StartChildWorkflowExecutionInitiatedEventAttributes Attributes { get; } = attributes;
    public string? RunId { get; set; }
    public long StartedEventId { get; set; }
}

/// <summary>A query waiting for a worker's answer.</summary>
internal sealed class PendingQuery(string id, Temporalio.Api.Query.V1.WorkflowQuery query)
{
    public string Id { get; } = id;
    public Temporalio.Api.Query.V1.WorkflowQuery Query { get; } = query;
    public TaskCompletionSource<Payloads?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
