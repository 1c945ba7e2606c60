using System.Collections.Concurrent;
using Temporalio.Api.Common.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// The server's state: every run, keyed by run id and by workflow id, and the task queues. Each run is a
/// state machine guarded by its own lock (see <see cref="WorkflowRun"/>); this class holds the
/// transitions, split by area over the TemporalEngine.*.cs files.
/// </summary>
internal sealed partial class TemporalEngine : IDisposable
{
    private readonly object storeLock = new();
    private readonly Dictionary<(string Namespace, string WorkflowId), List<WorkflowRun>> runsByWorkflowId = [];
    private readonly ConcurrentDictionary<string, WorkflowRun> runsById = new();
    private readonly ConcurrentDictionary<string, TaskQueue<WorkflowTaskRef>> workflowQueues = new();
    private readonly ConcurrentDictionary<string, TaskQueue<ActivityTaskRef>> activityQueues = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> successors = new();
    private readonly CancellationTokenSource shutdown = new();
    private readonly InMemoryTemporalServerOptions options;
    private readonly Persistence.SqliteRunStore? store;

    /// <param name="options">How the server behaves.</param>
    /// <param name="store">The durable store (null: everything stays in memory); call <see cref="Recover"/> once.</param>
    public TemporalEngine(InMemoryTemporalServerOptions options, Persistence.SqliteRunStore? store = null)
    {
        this.options = options;
        this.store = store;
        Clock = options.TimeProvider;
        SearchAttributes = new SearchAttributeRegistry(RequireNamespace, store is null ? null : store.SaveSearchAttributes);
    }

    public SearchAttributeRegistry SearchAttributes { get; }

    public string Namespace => options.Namespace;
    public TimeProvider Clock { get; }
    public DateTimeOffset Now => Clock.GetUtcNow();
    public CancellationToken ShutdownToken => shutdown.Token;

    /// <summary>Ends long polls and stops every timer, so nothing fires into a stopped server.</summary>
    public void Shutdown()
    {
        shutdown.Cancel();
        foreach (var run in runsById.Values)
        {
            lock (run.Sync)
            {
                run.TaskTimeoutTimer?.Dispose();
                run.RunTimeoutTimer?.Dispose();
                run.FirstTaskTimer?.Dispose();
                foreach (var timer in run.Timers.Values)
                {
                    timer.Timer?.Dispose();
                }
                foreach (var activity in run.Activities.Values)
                {
                    activity.DisposeAllTimers();
                }
            }
        }
    }

    public void Dispose() => shutdown.Dispose();

    public void RequireNamespace(string? name)
    {
        if (name != options.Namespace)
        {
            throw ServerErrors.NamespaceNotFound(name ?? "");
        }
    }

    /// <summary>Applies a change to one run under its lock, then performs the effects it queued.</summary>
    private void Update(WorkflowRun run, Action<WorkflowRun> change) => Update(run, r => { change(r); return true; });

    /// <summary>
    /// The change is saved to the durable store (if any) before the lock is released and before its effects run, so
    /// whatever a caller or another run learns of it survives a kill -9.
    /// </summary>
    private T Update<T>(WorkflowRun run, Func<WorkflowRun, T> change)
    {
        T result;
        Action[] effects;
        lock (run.Sync)
        {
            try
            {
                result = change(run);
            }
            finally
            {
                effects = run.TakeEffects();
                store?.Save(run);
            }
        }
        foreach (var effect in effects)
        {
            effect();
        }
        return result;
    }

    /// <summary>A one-shot timer whose callback runs as an <see cref="Update(WorkflowRun, Action{WorkflowRun})"/> of the run.</summary>
    private ITimer StartTimer(WorkflowRun run, TimeSpan due, Action<WorkflowRun> onFire)
    {
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }
        return Clock.CreateTimer(_ =>
        {
            if (!shutdown.IsCancellationRequested)
            {
                Update(run, onFire);
            }
        }, null, due, Timeout.InfiniteTimeSpan);
    }

    private TaskQueue<WorkflowTaskRef> WorkflowQueue(string ns, string name) =>
        workflowQueues.GetOrAdd(ns + "/" + name, _ => new TaskQueue<WorkflowTaskRef>());

    private TaskQueue<ActivityTaskRef> ActivityQueue(string ns, string name) =>
        activityQueues.GetOrAdd(ns + "/" + name, _ => new TaskQueue<ActivityTaskRef>());

    private WorkflowRun RunFromToken(TaskToken token) =>
        runsById.TryGetValue(token.RunId, out var run)
            ? run
            : throw ServerErrors.NotFound($"task token names run '{token.RunId}', which this server does not know (it may have been restarted).");

    /// <summary>The run a request names: by run id, or the newest run of the workflow id.</summary>
    private WorkflowRun FindRun(string ns, WorkflowExecution? execution)
    {
        RequireNamespace(ns);
        if (execution is null || string.IsNullOrEmpty(execution.WorkflowId))
        {
            throw ServerErrors.InvalidArgument("workflow execution is missing a workflow id.");
        }
        return FindRun(ns, execution.WorkflowId, execution.RunId);
    }

    private WorkflowRun FindRun(string ns, string workflowId, string? runId)
    {
        if (!string.IsNullOrEmpty(runId))
        {
            if (successors.TryGetValue(runId, out var starting))
            {
                // A run named by its predecessor's close event (continue-as-new, retry) whose start is a moment away.
                starting.Task.Wait(TimeSpan.FromSeconds(10), ShutdownToken);
            }
            return runsById.TryGetValue(runId, out var byId) && byId.WorkflowId == workflowId && byId.Namespace == ns
                ? byId
                : throw ServerErrors.WorkflowNotFound(workflowId, runId);
        }
        lock (storeLock)
        {
            return runsByWorkflowId.TryGetValue((ns, workflowId), out var runs) && runs.Count > 0
                ? runs[^1]
                : throw ServerErrors.WorkflowNotFound(workflowId, null);
        }
    }

    private WorkflowRun[] AllRuns(string ns)
    {
        lock (storeLock)
        {
            return [.. runsByWorkflowId.Where(kv => kv.Key.Namespace == ns).SelectMany(kv => kv.Value)];
        }
    }

    /// <summary>
    /// Announces the run a close event is about to name (continue-as-new, retry), which starts just after the close, so a
    /// client following the chain at once waits for it instead of getting NOT_FOUND.
    /// </summary>
    private void ExpectSuccessor(string runId) =>
        successors.TryAdd(runId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private void SuccessorStarted(string runId)
    {
        if (successors.TryRemove(runId, out var starting))
        {
            starting.TrySetResult();
        }
    }

    private static WorkflowExecution ExecutionOf(WorkflowRun run) => new() { WorkflowId = run.WorkflowId, RunId = run.RunId };
}

/// <summary>A queued workflow task, or a query task for the same queue.</summary>
internal sealed record WorkflowTaskRef(WorkflowRun Run, long ScheduledEventId, PendingQuery? Query = null);

/// <summary>A queued activity attempt.</summary>
internal sealed record ActivityTaskRef(WorkflowRun Run, long ScheduledEventId, int Attempt);
