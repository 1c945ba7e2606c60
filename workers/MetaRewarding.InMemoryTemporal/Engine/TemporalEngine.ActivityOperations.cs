using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// What `temporal activity pause | unpause | reset | update-options` (and the Web UI) do to a pending activity, as
/// the real server does: operator actions on the server's state, not history events. A running attempt is never
/// interrupted: it learns of a pause from its next heartbeat (ActivityPaused), and an operation takes effect on the
/// next attempt; an activity waiting for its next attempt is dispatched at once when reset or unpaused.
/// </summary>
internal sealed partial class TemporalEngine
{
    public PauseActivityResponse PauseActivity(PauseActivityRequest request)
    {
        ForEachActivity(request.Namespace, request.Execution, request.Id, request.Type, matchAll: false, "pause", (run, pending) =>
        {
            pending.Paused = true;
            pending.PauseInfo = new PendingActivityInfo.Types.PauseInfo
            {
                PauseTime = Timestamp.FromDateTimeOffset(Now),
                Manual = new() { Identity = request.Identity, Reason = request.Reason },
            };
        });
        return new PauseActivityResponse();
    }

    public UnpauseActivityResponse UnpauseActivity(UnpauseActivityRequest request)
    {
        ForEachActivity(request.Namespace, request.Execution, request.Id, request.Type, request.UnpauseAll, "unpause", (run, pending) =>
        {
            if (!pending.Paused)
            {
                return;
            }
            pending.Paused = false;
            pending.PauseInfo = null;
            if (request.ResetAttempts)
            {
                pending.Attempt = 1;
            }
            if (request.ResetHeartbeat)
            {
                pending.HeartbeatDetails = null;
            }
            DispatchNowIfWaiting(run, pending);
        });
        return new UnpauseActivityResponse();
    }

    public ResetActivityResponse ResetActivity(ResetActivityRequest request)
    {
        ForEachActivity(request.Namespace, request.Execution, request.Id, request.Type, request.MatchAll, "reset", (run, pending) =>
        {
            if (request.ResetHeartbeat)
            {
                pending.HeartbeatDetails = null;
            }
            if (request.RestoreOriginalOptions)
            {
                RestoreOriginalOptions(run, pending);
            }
            if (!request.KeepPaused)
            {
                pending.Paused = false;
                pending.PauseInfo = null;
            }
            if (pending.Started)
            {
                // The running attempt goes on; whatever it ends with, the count starts again from 1.
                pending.ResetRequested = true;
                return;
            }
            pending.Attempt = 1;
            DispatchNowIfWaiting(run, pending);
        });
        return new ResetActivityResponse();
    }

    public UpdateActivityOptionsResponse UpdateActivityOptions(UpdateActivityOptionsRequest request)
    {
        ActivityOptions? updated = null;
        ForEachActivity(request.Namespace, request.Execution, request.Id, request.Type, request.MatchAll, "update options of", (run, pending) =>
        {
            if (request.RestoreOriginal)
            {
                RestoreOriginalOptions(run, pending);
            }
            else
            {
                ActivityOptionsMask.Apply(pending.Attributes, request.ActivityOptions, request.UpdateMask);
            }
            updated = OptionsOf(pending);
        });
        return new UpdateActivityOptionsResponse { ActivityOptions = updated };
    }

    internal static ActivityOptions OptionsOf(PendingActivity pending) => new()
    {
        TaskQueue = pending.Attributes.TaskQueue,
        ScheduleToCloseTimeout = pending.Attributes.ScheduleToCloseTimeout,
        ScheduleToStartTimeout = pending.Attributes.ScheduleToStartTimeout,
        StartToCloseTimeout = pending.Attributes.StartToCloseTimeout,
        HeartbeatTimeout = pending.Attributes.HeartbeatTimeout,
        RetryPolicy = pending.Attributes.RetryPolicy,
    };

    private static void RestoreOriginalOptions(WorkflowRun run, PendingActivity pending)
    {
        var original = run.History[(int)pending.ScheduledEventId - 1].ActivityTaskScheduledEventAttributes;
        ActivityOptionsMask.CopyOptions(original, pending.Attributes);
    }

    /// <summary>An activity between attempts (retry backoff) or paused before one: its next attempt is queued now.</summary>
    private void DispatchNowIfWaiting(WorkflowRun run, PendingActivity pending)
    {
        if (pending.Started || pending.Paused)
        {
            return;
        }
        pending.DisposeAttemptTimers();
        DispatchActivityAttempt(run, pending);
    }

    /// <summary>
    /// Applies an operation to the pending activity named by id, or to every pending activity of a type, or to all
    /// (match all); none matching is NOT_FOUND, naming the pending ones.
    /// </summary>
    private void ForEachActivity(string ns, WorkflowExecution? execution, string id, string type, bool matchAll, string verb,
        Action<WorkflowRun, PendingActivity> operation)
    {
        var run = FindRun(ns, execution);
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(type) && !matchAll)
        {
            throw ServerErrors.InvalidArgument($"{verb} activity: name the activity by id or by type (or ask for all).");
        }
        Update(run, r =>
        {
            var matching = r.Activities.Values.Where(a =>
                matchAll || (!string.IsNullOrEmpty(id) ? a.Attributes.ActivityId == id : a.Attributes.ActivityType.Name == type)).ToList();
            if (!r.IsOpen || matching.Count == 0)
            {
                var pendingIds = string.Join(", ", r.Activities.Values.Select(a => $"{a.Attributes.ActivityId} ({a.Attributes.ActivityType.Name})"));
                throw ServerErrors.NotFound(
                    $"cannot {verb} activity {(string.IsNullOrEmpty(id) ? "of type '" + type + "'" : "'" + id + "'")} of workflow '{r.WorkflowId}': "
                    + (pendingIds.Length == 0 ? "it has no pending activity." : $"its pending activities are {pendingIds}."));
            }
            foreach (var pending in matching)
            {
                operation(r, pending);
            }
        });
    }
}
