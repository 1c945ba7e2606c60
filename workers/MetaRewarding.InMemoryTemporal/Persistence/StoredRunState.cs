using Google.Protobuf;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Workflow.V1;

namespace MetaRewarding.InMemoryTemporal.Persistence;

/// <summary>
/// What a run's history does not hold and a restart needs: each pending activity's attempt and its worker-side state
/// (so a worker still running it elsewhere can still complete it by task token), events waiting for the current
/// workflow task to end, the start request id. Everything else is rebuilt from history (<see cref="RunFromHistory"/>).
/// Protobuf messages are kept as their binary encoding.
/// </summary>
internal sealed record StoredRunState
{
    public string RequestId { get; init; } = "";
    public string? ResetRunId { get; init; }
    public List<StoredActivity> Activities { get; init; } = [];
    public List<List<byte[]>> Buffered { get; init; } = [];

    public static StoredRunState Of(WorkflowRun run) => new()
    {
        RequestId = run.RequestId,
        ResetRunId = run.ResetRunId,
        Activities = [.. run.Activities.Values.Select(StoredActivity.Of)],
        Buffered = [.. run.Buffered.Select(group => group.Select(e => e.ToByteArray()).ToList())],
    };

    /// <summary>Puts this state onto a run rebuilt from its history.</summary>
    public void ApplyTo(WorkflowRun run)
    {
        run.RequestId = RequestId;
        run.ResetRunId = ResetRunId;
        foreach (var stored in Activities)
        {
            if (run.Activities.TryGetValue(stored.ScheduledEventId, out var pending))
            {
                stored.ApplyTo(pending);
            }
        }
        var groups = Buffered.Select(group => group.Select(HistoryEvent.Parser.ParseFrom).ToArray()).ToList();
        run.RestoreBuffered(groups);
        // A child whose start is recorded only in a buffered event is started already: do not start it again.
        foreach (var ev in groups.SelectMany(g => g).Where(e => e.EventType == EventType.ChildWorkflowExecutionStarted))
        {
            if (run.Children.TryGetValue(ev.ChildWorkflowExecutionStartedEventAttributes.InitiatedEventId, out var child))
            {
                child.RunId = ev.ChildWorkflowExecutionStartedEventAttributes.WorkflowExecution.RunId;
            }
        }
    }
}

/// <summary>A pending activity's state between attempts and during one.</summary>
internal sealed record StoredActivity
{
    public long ScheduledEventId { get; init; }
    public int Attempt { get; init; }
    public bool Started { get; init; }
    public DateTimeOffset? StartedTime { get; init; }
    public string StartedIdentity { get; init; } = "";
    public DateTimeOffset CurrentAttemptScheduledTime { get; init; }
    public DateTimeOffset? LastHeartbeatTime { get; init; }
    public byte[]? HeartbeatDetails { get; init; }
    public byte[]? LastFailure { get; init; }
    public bool Paused { get; init; }
    public byte[]? PauseInfo { get; init; }
    public bool ResetRequested { get; init; }
    public bool CancelRequested { get; init; }

    /// <summary>The options as they are now (update-options may have changed them since they were scheduled).</summary>
    public byte[] Options { get; init; } = [];

    public static StoredActivity Of(PendingActivity a) => new()
    {
        ScheduledEventId = a.ScheduledEventId,
        Attempt = a.Attempt,
        Started = a.Started,
        StartedTime = a.StartedTime,
        StartedIdentity = a.StartedIdentity,
        CurrentAttemptScheduledTime = a.CurrentAttemptScheduledTime,
        LastHeartbeatTime = a.LastHeartbeatTime,
        HeartbeatDetails = a.HeartbeatDetails?.ToByteArray(),
        LastFailure = a.LastFailure?.ToByteArray(),
        Paused = a.Paused,
        PauseInfo = a.PauseInfo?.ToByteArray(),
        ResetRequested = a.ResetRequested,
        CancelRequested = a.CancelRequested,
        Options = a.Attributes.ToByteArray(),
    };

    public void ApplyTo(PendingActivity a)
    {
        a.Attempt = Attempt;
        a.Started = Started;
        a.StartedTime = StartedTime;
        a.StartedIdentity = StartedIdentity;
        a.CurrentAttemptScheduledTime = CurrentAttemptScheduledTime;
        a.LastHeartbeatTime = LastHeartbeatTime;
        a.HeartbeatDetails = HeartbeatDetails is null ? null : Temporalio.Api.Common.V1.Payloads.Parser.ParseFrom(HeartbeatDetails);
        a.LastFailure = LastFailure is null ? null : Failure.Parser.ParseFrom(LastFailure);
        a.Paused = Paused;
        a.PauseInfo = PauseInfo is null ? null : PendingActivityInfo.Types.PauseInfo.Parser.ParseFrom(PauseInfo);
        a.ResetRequested = ResetRequested;
        a.CancelRequested |= CancelRequested;
        if (Options.Length > 0)
        {
            ActivityOptionsMask.CopyOptions(ActivityTaskScheduledEventAttributes.Parser.ParseFrom(Options), a.Attributes);
        }
    }
}
