using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>The commands of a completed workflow task, turned into history events and side effects.</summary>
internal sealed partial class TemporalEngine
{
    private sealed record InvalidCommand(WorkflowTaskFailedCause Cause, string Message);

    /// <summary>Checks every command before any is applied, so a bad one leaves the history untouched.</summary>
    private static InvalidCommand? FindInvalidCommand(IEnumerable<Command> commands)
    {
        foreach (var command in commands)
        {
            if (PayloadLimits.Violation(command, $"command {command.CommandType}") is { } tooBig)
            {
                return new(BadAttributesCause(command.CommandType), tooBig);
            }
            switch (command.AttributesCase)
            {
                case Command.AttributesOneofCase.ScheduleActivityTaskCommandAttributes:
                    var activity = command.ScheduleActivityTaskCommandAttributes;
                    if (string.IsNullOrEmpty(activity.ActivityId) || string.IsNullOrEmpty(activity.ActivityType?.Name))
                    {
                        return new(WorkflowTaskFailedCause.BadScheduleActivityAttributes, "ScheduleActivityTask: ActivityId and ActivityType are required.");
                    }
                    if (!IsPositive(activity.StartToCloseTimeout) && !IsPositive(activity.ScheduleToCloseTimeout))
                    {
                        return new(WorkflowTaskFailedCause.BadScheduleActivityAttributes,
                            $"ScheduleActivityTask '{activity.ActivityType.Name}': set StartToCloseTimeout or ScheduleToCloseTimeout.");
                    }
                    break;
                case Command.AttributesOneofCase.StartTimerCommandAttributes:
                    var timer = command.StartTimerCommandAttributes;
                    if (string.IsNullOrEmpty(timer.TimerId) || !IsPositive(timer.StartToFireTimeout))
                    {
                        return new(WorkflowTaskFailedCause.BadStartTimerAttributes, "StartTimer: TimerId and a positive StartToFireTimeout are required.");
                    }
                    break;
                case Command.AttributesOneofCase.StartChildWorkflowExecutionCommandAttributes:
                    var child = command.StartChildWorkflowExecutionCommandAttributes;
                    if (string.IsNullOrEmpty(child.WorkflowId) || string.IsNullOrEmpty(child.WorkflowType?.Name))
                    {
                        return new(WorkflowTaskFailedCause.BadStartChildExecutionAttributes, "StartChildWorkflowExecution: WorkflowId and WorkflowType are required.");
                    }
                    break;
                case Command.AttributesOneofCase.RequestCancelActivityTaskCommandAttributes:
                case Command.AttributesOneofCase.CancelTimerCommandAttributes:
                case Command.AttributesOneofCase.CompleteWorkflowExecutionCommandAttributes:
                case Command.AttributesOneofCase.FailWorkflowExecutionCommandAttributes:
                case Command.AttributesOneofCase.CancelWorkflowExecutionCommandAttributes:
                case Command.AttributesOneofCase.ContinueAsNewWorkflowExecutionCommandAttributes:
                case Command.AttributesOneofCase.RequestCancelExternalWorkflowExecutionCommandAttributes:
                case Command.AttributesOneofCase.SignalExternalWorkflowExecutionCommandAttributes:
                case Command.AttributesOneofCase.UpsertWorkflowSearchAttributesCommandAttributes:
                case Command.AttributesOneofCase.ModifyWorkflowPropertiesCommandAttributes:
                case Command.AttributesOneofCase.RecordMarkerCommandAttributes:
                    break;
                default:
                    return new(WorkflowTaskFailedCause.UnhandledCommand,
                        $"command {command.CommandType} is not supported by the in-memory Temporal server (see its README).");
            }
        }
        return null;
    }

    private static WorkflowTaskFailedCause BadAttributesCause(CommandType type) => type switch
    {
        CommandType.ScheduleActivityTask => WorkflowTaskFailedCause.BadScheduleActivityAttributes,
        CommandType.CompleteWorkflowExecution => WorkflowTaskFailedCause.BadCompleteWorkflowExecutionAttributes,
        CommandType.FailWorkflowExecution => WorkflowTaskFailedCause.BadFailWorkflowExecutionAttributes,
        CommandType.ContinueAsNewWorkflowExecution => WorkflowTaskFailedCause.BadContinueAsNewAttributes,
        CommandType.StartChildWorkflowExecution => WorkflowTaskFailedCause.BadStartChildExecutionAttributes,
        CommandType.SignalExternalWorkflowExecution => WorkflowTaskFailedCause.BadSignalWorkflowExecutionAttributes,
        CommandType.RecordMarker => WorkflowTaskFailedCause.BadRecordMarkerAttributes,
        CommandType.UpsertWorkflowSearchAttributes => WorkflowTaskFailedCause.BadSearchAttributes,
        CommandType.ModifyWorkflowProperties => WorkflowTaskFailedCause.BadModifyWorkflowPropertiesAttributes,
        _ => WorkflowTaskFailedCause.UnhandledCommand,
    };

    private static bool IsPositive(Google.Protobuf.WellKnownTypes.Duration? duration) => duration is not null && duration.ToTimeSpan() > TimeSpan.Zero;

    /// <summary>Applies one command; true when it produced an event the workflow must see in a new task.</summary>
    private bool ApplyCommand(WorkflowRun run, Command command, long completedEventId, string identity)
    {
        var now = Now;
        switch (command.AttributesCase)
        {
            case Command.AttributesOneofCase.ScheduleActivityTaskCommandAttributes:
                ScheduleActivity(run, command.ScheduleActivityTaskCommandAttributes, completedEventId);
                return false;
            case Command.AttributesOneofCase.RequestCancelActivityTaskCommandAttributes:
                return RequestCancelActivity(run, command.RequestCancelActivityTaskCommandAttributes.ScheduledEventId, completedEventId);
            case Command.AttributesOneofCase.StartTimerCommandAttributes:
                StartWorkflowTimer(run, command.StartTimerCommandAttributes, completedEventId);
                return false;
            case Command.AttributesOneofCase.CancelTimerCommandAttributes:
                var timerId = command.CancelTimerCommandAttributes.TimerId;
                if (run.Timers.Remove(timerId, out var timer))
                {
                    timer.Timer?.Dispose();
                    run.Append(EventType.TimerCanceled, now, e => e.TimerCanceledEventAttributes = new()
                    {
                        TimerId = timerId, StartedEventId = timer.StartedEventId, WorkflowTaskCompletedEventId = completedEventId, Identity = identity,
                    });
                }
                return false;
            case Command.AttributesOneofCase.CompleteWorkflowExecutionCommandAttributes:
                var result = command.CompleteWorkflowExecutionCommandAttributes.Result;
                CloseRun(run, WorkflowExecutionStatus.Completed, EventType.WorkflowExecutionCompleted, e => e.WorkflowExecutionCompletedEventAttributes = new()
                {
                    Result = result, WorkflowTaskCompletedEventId = completedEventId,
                });
                return false;
            case Command.AttributesOneofCase.FailWorkflowExecutionCommandAttributes:
                FailRun(run, command.FailWorkflowExecutionCommandAttributes.Failure, completedEventId);
                return false;
            case Command.AttributesOneofCase.CancelWorkflowExecutionCommandAttributes:
                var details = command.CancelWorkflowExecutionCommandAttributes.Details;
                CloseRun(run, WorkflowExecutionStatus.Canceled, EventType.WorkflowExecutionCanceled, e => e.WorkflowExecutionCanceledEventAttributes = new()
                {
                    Details = details, WorkflowTaskCompletedEventId = completedEventId,
                });
                return false;
            case Command.AttributesOneofCase.ContinueAsNewWorkflowExecutionCommandAttributes:
                ContinueAsNew(run, command.ContinueAsNewWorkflowExecutionCommandAttributes, completedEventId, identity);
                return false;
            case Command.AttributesOneofCase.StartChildWorkflowExecutionCommandAttributes:
                InitiateChild(run, command.StartChildWorkflowExecutionCommandAttributes, completedEventId);
                return false;
            case Command.AttributesOneofCase.RequestCancelExternalWorkflowExecutionCommandAttributes:
                InitiateCancelExternal(run, command.RequestCancelExternalWorkflowExecutionCommandAttributes, completedEventId);
                return false;
            case Command.AttributesOneofCase.SignalExternalWorkflowExecutionCommandAttributes:
                InitiateSignalExternal(run, command.SignalExternalWorkflowExecutionCommandAttributes, completedEventId);
                return false;
            case Command.AttributesOneofCase.UpsertWorkflowSearchAttributesCommandAttributes:
                var attributes = command.UpsertWorkflowSearchAttributesCommandAttributes.SearchAttributes;
                MergeSearchAttributes(run, attributes);
                run.Append(EventType.UpsertWorkflowSearchAttributes, now, e => e.UpsertWorkflowSearchAttributesEventAttributes = new()
                {
                    SearchAttributes = attributes, WorkflowTaskCompletedEventId = completedEventId,
                });
                return false;
            case Command.AttributesOneofCase.ModifyWorkflowPropertiesCommandAttributes:
                var memo = command.ModifyWorkflowPropertiesCommandAttributes.UpsertedMemo;
                MergeMemo(run, memo);
                run.Append(EventType.WorkflowPropertiesModified, now, e => e.WorkflowPropertiesModifiedEventAttributes = new()
                {
                    UpsertedMemo = memo, WorkflowTaskCompletedEventId = completedEventId,
                });
                return false;
            case Command.AttributesOneofCase.RecordMarkerCommandAttributes:
                var marker = command.RecordMarkerCommandAttributes;
                run.Append(EventType.MarkerRecorded, now, e =>
                {
                    e.MarkerRecordedEventAttributes = new()
                    {
                        MarkerName = marker.MarkerName, Header = marker.Header, Failure = marker.Failure, WorkflowTaskCompletedEventId = completedEventId,
                    };
                    e.MarkerRecordedEventAttributes.Details.Add(marker.Details);
                });
                return false;
            default:
                return false; // FindInvalidCommand refuses these before anything is applied.
        }
    }

    internal static void MergeSearchAttributes(WorkflowRun run, Temporalio.Api.Common.V1.SearchAttributes? attributes)
    {
        if (attributes is not null)
        {
            MergePayloads(run.SearchAttributes.IndexedFields, attributes.IndexedFields, emptyListUnsets: true);
        }
    }

    internal static void MergeMemo(WorkflowRun run, Temporalio.Api.Common.V1.Memo? memo)
    {
        if (memo is not null)
        {
            MergePayloads(run.Memo.Fields, memo.Fields, emptyListUnsets: false);
        }
    }

    /// <summary>Upserts keys; a key whose new value is "unset" is deleted (as the real server merges memos and search attributes).</summary>
    private static void MergePayloads(Google.Protobuf.Collections.MapField<string, Temporalio.Api.Common.V1.Payload> target,
        Google.Protobuf.Collections.MapField<string, Temporalio.Api.Common.V1.Payload> updates, bool emptyListUnsets)
    {
        foreach (var (key, value) in updates)
        {
            if (IsUnset(value, emptyListUnsets))
            {
                target.Remove(key);
            }
            else
            {
                target[key] = value;
            }
        }
    }

    /// <summary>
    /// How SDKs say "remove this key": a null payload (encoding binary/null, what MemoUpdate.ValueUnset and
    /// SearchAttributeUpdate.ValueUnset send), no data at all, or, for search attributes only, an empty JSON list.
    /// </summary>
    private static bool IsUnset(Temporalio.Api.Common.V1.Payload value, bool emptyListUnsets) =>
        value.Data.IsEmpty
        || (emptyListUnsets && value.Data.ToStringUtf8() == "[]")
        || (value.Metadata.TryGetValue("encoding", out var encoding) && encoding.ToStringUtf8() == "binary/null");

    private void StartWorkflowTimer(WorkflowRun run, StartTimerCommandAttributes attributes, long completedEventId)
    {
        var started = run.Append(EventType.TimerStarted, Now, e => e.TimerStartedEventAttributes = new()
        {
            TimerId = attributes.TimerId, StartToFireTimeout = attributes.StartToFireTimeout, WorkflowTaskCompletedEventId = completedEventId,
        });
        var pending = new PendingTimer(attributes.TimerId, started.EventId, started.EventTime.ToDateTimeOffset() + attributes.StartToFireTimeout.ToTimeSpan());
        run.Timers[pending.TimerId] = pending;
        ArmTimer(run, pending);
    }

    /// <summary>Fires the workflow timer at its deadline (after a restart or reset too: the deadline stays the one first set).</summary>
    private void ArmTimer(WorkflowRun run, PendingTimer pending)
    {
        var timerId = pending.TimerId;
        var startedId = pending.StartedEventId;
        pending.Timer = StartTimer(run, pending.Deadline - Now, r =>
        {
            if (!r.Timers.TryGetValue(timerId, out var current) || current.StartedEventId != startedId)
            {
                return;
            }
            r.Timers.Remove(timerId);
            AddExternalEvent(r, WorkflowRun.NewEvent(EventType.TimerFired, e => e.TimerFiredEventAttributes = new()
            {
                TimerId = timerId, StartedEventId = startedId,
            }));
        });
    }

    /// <summary>Writes an event that came from outside the workflow and makes sure a workflow task will see it.</summary>
    private void AddExternalEvent(WorkflowRun run, params HistoryEvent[] group)
    {
        if (!run.IsOpen)
        {
            return;
        }
        run.RecordExternal(Now, group);
        if (run.TaskState == WorkflowTaskState.None)
        {
            ScheduleWorkflowTask(run);
        }
    }
}
