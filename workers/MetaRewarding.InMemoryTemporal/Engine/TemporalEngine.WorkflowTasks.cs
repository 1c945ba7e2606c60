using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Workflow tasks: scheduled when something happens, started when polled (the worker always gets the
/// full history; sticky queues are declined), then completed with commands, failed, or timed out.
/// </summary>
internal sealed partial class TemporalEngine
{
    private void ScheduleWorkflowTask(WorkflowRun run, bool dispatch = true)
    {
        if (!run.IsOpen || run.TaskState != WorkflowTaskState.None || run.AwaitingFirstTask)
        {
            return;
        }
        var scheduled = run.Append(EventType.WorkflowTaskScheduled, Now, e => e.WorkflowTaskScheduledEventAttributes = new()
        {
            TaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
            StartToCloseTimeout = run.WorkflowTaskTimeout,
            Attempt = run.TaskAttempt,
        });
        run.TaskState = WorkflowTaskState.Scheduled;
        run.TaskScheduledEventId = scheduled.EventId;
        if (dispatch)
        {
            run.AddEffect(() => WorkflowQueue(run.Namespace, run.TaskQueue).Add(new WorkflowTaskRef(run, scheduled.EventId)));
        }
    }

    public async Task<PollWorkflowTaskQueueResponse> PollWorkflowTaskAsync(PollWorkflowTaskQueueRequest request, CancellationToken cancellationToken)
    {
        RequireNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw ServerErrors.InvalidArgument("PollWorkflowTaskQueue: TaskQueue.Name is not set.");
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ShutdownToken);
        if (request.TaskQueue.Kind == TaskQueueKind.Sticky)
        {
            // Sticky execution is declined: nothing is ever queued here, every task goes to the normal
            // queue with full history. Answer empty after the long-poll period, as for an idle queue.
            try
            {
                await Task.Delay(options.LongPollTimeout, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            return new PollWorkflowTaskQueueResponse();
        }
        RecordPoller(request.TaskQueue.Name, TaskQueueType.Workflow, request.Identity);
        var queue = WorkflowQueue(request.Namespace, request.TaskQueue.Name);
        return await queue.PollAsync(item => ClaimWorkflowTask(item, request.Identity), options.LongPollTimeout, linked.Token).ConfigureAwait(false)
            ?? new PollWorkflowTaskQueueResponse();
    }

    private PollWorkflowTaskQueueResponse? ClaimWorkflowTask(WorkflowTaskRef item, string identity) => Update(item.Run, run =>
    {
        if (item.Query is { } query)
        {
            // Skip queries already answered or whose caller stopped waiting.
            return query.Answer.Task.IsCompleted || !queries.ContainsKey(query.Id) ? null : BuildQueryTask(run, query);
        }
        if (!run.IsOpen || run.TaskState != WorkflowTaskState.Scheduled || run.TaskScheduledEventId != item.ScheduledEventId)
        {
            return null;
        }
        var now = Now;
        var scheduledEvent = run.History[(int)run.TaskScheduledEventId - 1];
        var started = run.Append(EventType.WorkflowTaskStarted, now, e => e.WorkflowTaskStartedEventAttributes = new()
        {
            ScheduledEventId = run.TaskScheduledEventId,
            Identity = identity,
            RequestId = Guid.NewGuid().ToString(),
            HistorySizeBytes = run.History.Sum(h => (long)h.CalculateSize()),
        });
        run.TaskState = WorkflowTaskState.Started;
        run.TaskStartedEventId = started.EventId;
        var startedId = started.EventId;
        run.TaskTimeoutTimer = StartTimer(run, run.WorkflowTaskTimeout.ToTimeSpan(), r => TimeOutWorkflowTask(r, startedId));
        var response = new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.WorkflowTask, run.RunId, run.TaskScheduledEventId, startedId).ToByteString(),
            WorkflowExecution = ExecutionOf(run),
            WorkflowType = new() { Name = run.WorkflowType },
            PreviousStartedEventId = run.PreviousStartedEventId,
            StartedEventId = startedId,
            Attempt = run.TaskAttempt,
            History = new(),
            WorkflowExecutionTaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
            ScheduledTime = scheduledEvent.EventTime,
            StartedTime = started.EventTime,
        };
        response.History.Events.AddRange(run.History.Select(h => h.Clone()));
        return response;
    });

    public RespondWorkflowTaskCompletedResponse CompleteWorkflowTask(RespondWorkflowTaskCompletedRequest request)
    {
        RequireNamespace(request.Namespace);
        var token = TaskToken.Parse(request.TaskToken, TaskTokenKind.WorkflowTask);
        var run = RunFromToken(token);
        RpcFailureAfterUpdate? failure = null;
        Update(run, r =>
        {
            RequireStartedTask(r, token);
            r.TaskTimeoutTimer?.Dispose();
            if (r.HasBufferedEvents && request.Commands.Any(IsCloseCommand))
            {
                // New events (a signal, an activity result) arrived while the worker decided to close:
                // the real server refuses the close so the workflow sees them first.
                FailWorkflowTaskLocked(r, token, WorkflowTaskFailedCause.UnhandledCommand,
                    new Failure { Message = "new events arrived while the workflow task was running; retrying with them" }, request.Identity);
                return;
            }
            if (FindInvalidCommand(request.Commands) is { } invalid)
            {
                FailWorkflowTaskLocked(r, token, invalid.Cause, new Failure { Message = invalid.Message }, request.Identity);
                failure = new RpcFailureAfterUpdate(invalid.Message);
                return;
            }
            var completed = r.Append(EventType.WorkflowTaskCompleted, Now, e => e.WorkflowTaskCompletedEventAttributes = new()
            {
                ScheduledEventId = token.ScheduledEventId,
                StartedEventId = token.StartedOrAttempt,
                Identity = request.Identity,
                // The SDK's core reads its flags back from here; without them it falls back to legacy mode.
                SdkMetadata = request.SdkMetadata,
                MeteringMetadata = request.MeteringMetadata,
                // The SDK's core reads the build id of each task back when it replays (Workflow.CurrentBuildId), so a
                // worker of another build id answering a query replays the same branches as the worker that ran them.
#pragma warning disable CS0612 // deprecated in the API, still what Temporalio 1.21.1's core sends and reads
                WorkerVersion = WorkerVersionOf(request),
                BinaryChecksum = request.BinaryChecksum,
#pragma warning restore CS0612
            });
            r.PreviousStartedEventId = token.StartedOrAttempt;
            r.TaskState = WorkflowTaskState.None;
            r.TaskAttempt = 1;
            var needTask = request.ForceCreateNewWorkflowTask;
            foreach (var command in request.Commands)
            {
                if (!r.IsOpen)
                {
                    break;
                }
                needTask |= ApplyCommand(r, command, completed.EventId, request.Identity);
            }
            if (r.IsOpen)
            {
                needTask |= r.FlushBuffered(Now);
                if (needTask)
                {
                    ScheduleWorkflowTask(r);
                }
            }
            else
            {
                r.DropBuffered();
            }
            DispatchQueuedQueries(r);
        });
        return failure is null ? new RespondWorkflowTaskCompletedResponse() : throw ServerErrors.InvalidArgument(failure.Message);
    }

    public RespondWorkflowTaskFailedResponse FailWorkflowTask(RespondWorkflowTaskFailedRequest request)
    {
        RequireNamespace(request.Namespace);
        var token = TaskToken.Parse(request.TaskToken, TaskTokenKind.WorkflowTask);
        Update(RunFromToken(token), r =>
        {
            RequireStartedTask(r, token);
            r.TaskTimeoutTimer?.Dispose();
            FailWorkflowTaskLocked(r, token, request.Cause, request.Failure, request.Identity);
        });
        return new RespondWorkflowTaskFailedResponse();
    }

    private void FailWorkflowTaskLocked(WorkflowRun run, TaskToken token, WorkflowTaskFailedCause cause, Failure? failure, string identity)
    {
        run.Append(EventType.WorkflowTaskFailed, Now, e => e.WorkflowTaskFailedEventAttributes = new()
        {
            ScheduledEventId = token.ScheduledEventId,
            StartedEventId = token.StartedOrAttempt,
            Cause = cause,
            Failure = failure,
            Identity = identity,
        });
        RetryWorkflowTask(run);
    }

    private void TimeOutWorkflowTask(WorkflowRun run, long startedEventId)
    {
        if (!run.IsOpen || run.TaskState != WorkflowTaskState.Started || run.TaskStartedEventId != startedEventId)
        {
            return;
        }
        run.Append(EventType.WorkflowTaskTimedOut, Now, e => e.WorkflowTaskTimedOutEventAttributes = new()
        {
            ScheduledEventId = run.TaskScheduledEventId,
            StartedEventId = startedEventId,
            TimeoutType = TimeoutType.StartToClose,
        });
        RetryWorkflowTask(run);
    }

    /// <summary>After a failed or timed-out task: the events that waited are written, then a new attempt.</summary>
    private void RetryWorkflowTask(WorkflowRun run)
    {
        run.TaskState = WorkflowTaskState.None;
        run.TaskAttempt++;
        run.FlushBuffered(Now);
        ScheduleWorkflowTask(run);
        DispatchQueuedQueries(run);
    }

    private static void RequireStartedTask(WorkflowRun run, TaskToken token)
    {
        if (!run.IsOpen)
        {
            throw ServerErrors.NotFound($"workflow task not found: workflow '{run.WorkflowId}' is already closed ({run.Status}).");
        }
        if (run.TaskState != WorkflowTaskState.Started || run.TaskScheduledEventId != token.ScheduledEventId || run.TaskStartedEventId != token.StartedOrAttempt)
        {
            throw ServerErrors.NotFound($"workflow task not found (it timed out or was already completed) for workflow '{run.WorkflowId}'.");
        }
    }

    /// <summary>
    /// The build id a completion carries: the version stamp, else the deployment options (newer SDKs), else the binary
    /// checksum, where Temporalio 1.21.1 puts its worker's BuildId when the server announces no build-id versioning.
    /// </summary>
    private static Temporalio.Api.Common.V1.WorkerVersionStamp? WorkerVersionOf(RespondWorkflowTaskCompletedRequest request)
    {
#pragma warning disable CS0612 // WorkerVersionStamp is deprecated in the API in favour of deployment options
        if (request.WorkerVersionStamp is { } stamp && !string.IsNullOrEmpty(stamp.BuildId))
        {
            return stamp;
        }
        var buildId = request.DeploymentOptions is { } deployment && !string.IsNullOrEmpty(deployment.BuildId)
            ? deployment.BuildId
            : request.BinaryChecksum;
#pragma warning restore CS0612
        return string.IsNullOrEmpty(buildId) ? null : new Temporalio.Api.Common.V1.WorkerVersionStamp { BuildId = buildId };
    }

    private static bool IsCloseCommand(Command command) => command.CommandType is CommandType.CompleteWorkflowExecution
        or CommandType.FailWorkflowExecution or CommandType.CancelWorkflowExecution or CommandType.ContinueAsNewWorkflowExecution;

    /// <summary>A completion that could not be applied; reported to the worker after the run's lock is released.</summary>
    private sealed record RpcFailureAfterUpdate(string Message);

    private static Timestamp? ToTimestamp(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
