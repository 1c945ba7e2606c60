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
    private readonly List<Action> buffered = [];
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
    public long NextEventId => history.Count + 1;
    public HistoryEvent? CloseEvent => IsOpen ? null : history[^1];

    /// <summary>Completes when the history next grows (or the run closes); for long polls.</summary>
    public Task HistoryChanged => historyChanged.Task;

    public HistoryEvent Append(EventType type, DateTimeOffset time, Action<HistoryEvent> fill)
    {
        var ev = new HistoryEvent { EventId = NextEventId, EventType = type, EventTime = Timestamp.FromDateTimeOffset(time) };
        fill(ev);
        history.Add(ev);
        var signal = historyChanged;
        historyChanged = NewSignal();
        signal.TrySetResult();
        return ev;
    }

    /// <summary>
    /// Records events that arrived from outside (activity results, timers, signals). While a worker
    /// holds the workflow task they wait, and are written after its completion, as the real server does.
    /// </summary>
    public void RecordExternal(Action write)
    {
        if (TaskState == WorkflowTaskState.Started)
        {
            buffered.Add(write);
        }
        else
        {
            write();
        }
    }

    public bool HasBufferedEvents => buffered.Count > 0;

    public bool FlushBuffered()
    {
        if (buffered.Count == 0)
        {
            return false;
        }
        var pending = buffered.ToArray();
        buffered.Clear();
        foreach (var write in pending)
        {
            write();
        }
        return true;
    }

    public void DropBuffered() => buffered.Clear();

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
