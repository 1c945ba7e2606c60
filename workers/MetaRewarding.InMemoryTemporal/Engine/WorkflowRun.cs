using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>Where a run's workflow task is: none outstanding, waiting in its queue, or with a worker.</summary>
internal enum WorkflowTaskState
{
    None,
    Scheduled,
    Started,
}

/// <summary>
/// The mutable state of one workflow run: its history and what is outstanding (workflow task,
/// activities, timers, children, queries). Every change happens under <see cref="Sync"/>; work that
/// touches other runs is queued as an effect and done after the lock is released (no lock ordering).
/// </summary>
internal sealed class WorkflowRun(string @namespace, string workflowId, string runId, string workflowType, string taskQueue)
{
    private readonly List<HistoryEvent> history = [];
    private readonly List<HistoryEvent[]> buffered = [];
    private readonly List<Action> effects = [];
    private TaskCompletionSource historyChanged = NewSignal();

    public object Sync { get; } = new();
    public string Namespace { get; } = @namespace;
    public string WorkflowId { get; } = workflowId;
    public string RunId { get; } = runId;
    public string WorkflowType { get; } = workflowType;
    public string TaskQueue { get; } = taskQueue;
    public string FirstRunId { get; set; } = runId;
    public string RequestId { get; set; } = "";
    public WorkflowExecutionStatus Status { get; set; } = WorkflowExecutionStatus.Running;
    public bool IsOpen => Status == WorkflowExecutionStatus.Running;
    public Timestamp StartTime { get; set; } = new();
    public Timestamp? CloseTime { get; set; }
    public Memo Memo { get; } = new();
    public SearchAttributes SearchAttributes { get; } = new();
    public Duration WorkflowTaskTimeout { get; set; } = Duration.FromTimeSpan(TimeSpan.FromSeconds(10));
    public Duration? RunTimeout { get; set; }
    public Duration? ExecutionTimeout { get; set; }
    public ITimer? RunTimeoutTimer { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>The workflow's own retry policy (null: a failed run stays failed) and this run's attempt under it.</summary>
    public Temporalio.Api.Common.V1.RetryPolicy? RetryPolicy { get; set; }
    public int Attempt { get; set; } = 1;

    /// <summary>A start delay or retry backoff still running: no workflow task until it ends.</summary>
    public bool AwaitingFirstTask { get; set; }

    /// <summary>Set when this run is terminated by a reset: the chain goes on in that run, so the parent is not told.</summary>
    public string? ResetRunId { get; set; }
    public ITimer? FirstTaskTimer { get; set; }

    // Parent link (child workflows): kept across continue-as-new so the parent hears of the final close.
    public string? ParentNamespace { get; set; }
    public WorkflowExecution? ParentExecution { get; set; }
    public long ParentInitiatedEventId { get; set; }

    // Workflow task.
    public WorkflowTaskState TaskState { get; set; }
    public long TaskScheduledEventId { get; set; }
    public long TaskStartedEventId { get; set; }
    public int TaskAttempt { get; set; } = 1;
    public long PreviousStartedEventId { get; set; }
    public ITimer? TaskTimeoutTimer { get; set; }

    public Dictionary<long, PendingActivity> Activities { get; } = [];
    public Dictionary<string, PendingTimer> Timers { get; } = [];
    public Dictionary<long, PendingChild> Children { get; } = [];
    public List<PendingQuery> QueuedQueries { get; } = [];

    public IReadOnlyList<HistoryEvent> History => history;

    /// <summary>How much of this run the durable store holds: events written, and the extra state last written.</summary>
    public int SavedEventCount { get; set; }
    public string? SavedState { get; set; }
    public long NextEventId => history.Count + 1;
    public HistoryEvent? CloseEvent => IsOpen ? null : history[^1];

    /// <summary>Completes when the history next grows (or the run closes); for long polls.</summary>
    public Task HistoryChanged => historyChanged.Task;

    public HistoryEvent Append(EventType type, DateTimeOffset time, Action<HistoryEvent> fill)
    {
        var ev = new HistoryEvent { EventType = type };
        fill(ev);
        return Append(ev, time);
    }

    /// <summary>Writes a prepared event (see <see cref="NewEvent"/>): its id is the next one, its time <paramref name="time"/>.</summary>
    public HistoryEvent Append(HistoryEvent ev, DateTimeOffset time)
    {
        ev.EventId = NextEventId;
        ev.EventTime = Timestamp.FromDateTimeOffset(time);
        history.Add(ev);
        var signal = historyChanged;
        historyChanged = NewSignal();
        signal.TrySetResult();
        return ev;
    }

    /// <summary>An event not yet written: no id, no time (Append gives both).</summary>
    public static HistoryEvent NewEvent(EventType type, Action<HistoryEvent> fill)
    {
        var ev = new HistoryEvent { EventType = type };
        fill(ev);
        return ev;
    }

    /// <summary>Marks a result event's StartedEventId as "the ActivityTaskStarted written just before it in the same group".</summary>
    public const long StartedInSameGroup = -1;

    /// <summary>
    /// Records events that arrived from outside (activity results, timers, signals), as data so a durable store can keep
    /// them. While a worker holds the workflow task they wait, and are written after its completion, as the real server does.
    /// </summary>
    public void RecordExternal(DateTimeOffset now, params HistoryEvent[] group)
    {
        if (TaskState == WorkflowTaskState.Started)
        {
            buffered.Add(group);
        }
        else
        {
            WriteGroup(group, now);
        }
    }

    public bool HasBufferedEvents => buffered.Count > 0;

    /// <summary>The events waiting for the current workflow task to finish (what a durable store saves besides history).</summary>
    public IReadOnlyList<HistoryEvent[]> Buffered => buffered;

    public void RestoreBuffered(IEnumerable<HistoryEvent[]> groups) => buffered.AddRange(groups);

    public bool FlushBuffered(DateTimeOffset now)
    {
        if (buffered.Count == 0)
        {
            return false;
        }
        var pending = buffered.ToArray();
        buffered.Clear();
        foreach (var group in pending)
        {
            WriteGroup(group, now);
        }
        return true;
    }

    public void DropBuffered() => buffered.Clear();

    /// <summary>Restores a stored or copied history (recovery, reset): the events keep their ids and times.</summary>
    public void LoadHistory(IEnumerable<HistoryEvent> events)
    {
        foreach (var ev in events)
        {
            history.Add(ev);
        }
    }

    /// <summary>Writes a group of events, filling the ids that refer to events of the same group or written earlier.</summary>
    private void WriteGroup(HistoryEvent[] group, DateTimeOffset now)
    {
        long lastStarted = 0;
        foreach (var template in group)
        {
            var ev = template.Clone();
            switch (ev.AttributesCase)
            {
                case HistoryEvent.AttributesOneofCase.ActivityTaskCompletedEventAttributes when ev.ActivityTaskCompletedEventAttributes.StartedEventId == StartedInSameGroup:
                    ev.ActivityTaskCompletedEventAttributes.StartedEventId = lastStarted;
                    break;
                case HistoryEvent.AttributesOneofCase.ActivityTaskFailedEventAttributes when ev.ActivityTaskFailedEventAttributes.StartedEventId == StartedInSameGroup:
                    ev.ActivityTaskFailedEventAttributes.StartedEventId = lastStarted;
                    break;
                case HistoryEvent.AttributesOneofCase.ActivityTaskTimedOutEventAttributes when ev.ActivityTaskTimedOutEventAttributes.StartedEventId == StartedInSameGroup:
                    ev.ActivityTaskTimedOutEventAttributes.StartedEventId = lastStarted;
                    break;
                case HistoryEvent.AttributesOneofCase.ActivityTaskCanceledEventAttributes when ev.ActivityTaskCanceledEventAttributes.StartedEventId == StartedInSameGroup:
                    ev.ActivityTaskCanceledEventAttributes.StartedEventId = lastStarted;
                    break;
                default:
                    break;
            }
            FillChildStartedEventId(ev);
            var written = Append(ev, now);
            if (written.EventType == EventType.ActivityTaskStarted)
            {
                lastStarted = written.EventId;
            }
            else if (written.EventType == EventType.ChildWorkflowExecutionStarted
                && Children.TryGetValue(written.ChildWorkflowExecutionStartedEventAttributes.InitiatedEventId, out var child))
            {
                child.StartedEventId = written.EventId;
            }
        }
    }

    /// <summary>A child's close event names the ChildWorkflowExecutionStarted event, which may have been buffered with it.</summary>
    private void FillChildStartedEventId(HistoryEvent ev)
    {
        var (initiated, set) = ev.AttributesCase switch
        {
            HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCompletedEventAttributes => (ev.ChildWorkflowExecutionCompletedEventAttributes.InitiatedEventId,
                (Action<long>)(id => ev.ChildWorkflowExecutionCompletedEventAttributes.StartedEventId = id)),
            HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionFailedEventAttributes => (ev.ChildWorkflowExecutionFailedEventAttributes.InitiatedEventId,
                id => ev.ChildWorkflowExecutionFailedEventAttributes.StartedEventId = id),
            HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCanceledEventAttributes => (ev.ChildWorkflowExecutionCanceledEventAttributes.InitiatedEventId,
                id => ev.ChildWorkflowExecutionCanceledEventAttributes.StartedEventId = id),
            HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTerminatedEventAttributes => (ev.ChildWorkflowExecutionTerminatedEventAttributes.InitiatedEventId,
                id => ev.ChildWorkflowExecutionTerminatedEventAttributes.StartedEventId = id),
            HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTimedOutEventAttributes => (ev.ChildWorkflowExecutionTimedOutEventAttributes.InitiatedEventId,
                id => ev.ChildWorkflowExecutionTimedOutEventAttributes.StartedEventId = id),
            _ => (0L, null!),
        };
        if (initiated == 0)
        {
            return;
        }
        var started = history.LastOrDefault(h => h.EventType == EventType.ChildWorkflowExecutionStarted
            && h.ChildWorkflowExecutionStartedEventAttributes.InitiatedEventId == initiated);
        set(started?.EventId ?? 0);
    }

    /// <summary>Queues work that touches other runs or task queues, to run once this run's lock is released.</summary>
    public void AddEffect(Action effect) => effects.Add(effect);

    public Action[] TakeEffects()
    {
        var taken = effects.ToArray();
        effects.Clear();
        return taken;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
