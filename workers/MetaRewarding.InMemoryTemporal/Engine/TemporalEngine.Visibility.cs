using System.Globalization;
using Google.Protobuf;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>Reading state: history (paged, with long-poll), describe, list and count.</summary>
internal sealed partial class TemporalEngine
{
    private const int DefaultHistoryPageSize = 1000;
    private const int DefaultListPageSize = 1000;

    public async Task<GetWorkflowExecutionHistoryResponse> GetHistoryAsync(GetWorkflowExecutionHistoryRequest request, CancellationToken cancellationToken)
    {
        var run = FindRun(request.Namespace, request.Execution);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ShutdownToken);
        if (request.HistoryEventFilterType == HistoryEventFilterType.CloseEvent)
        {
            while (true)
            {
                Task changed;
                lock (run.Sync)
                {
                    if (run.CloseEvent is { } close)
                    {
                        return new GetWorkflowExecutionHistoryResponse { History = new History { Events = { close.Clone() } } };
                    }
                    changed = run.HistoryChanged;
                }
                if (!request.WaitNewEvent)
                {
                    return new GetWorkflowExecutionHistoryResponse { History = new History() };
                }
                // Like Temporal's frontend, answer an open workflow's long poll after LongPollTimeout with no event
                // and a continuation token: the SDK polls again on it (an empty answer without a token is an
                // error to it), and the call never reaches the client's RPC deadline, which a run longer than
                // about a minute would otherwise hit ("Timeout expired" from GetResultAsync).
                try
                {
                    await changed.WaitAsync(options.LongPollTimeout, linked.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return new GetWorkflowExecutionHistoryResponse { History = new History(), NextPageToken = PageToken(1) };
                }
            }
        }
        var from = ParsePageToken(request.NextPageToken, "history");
        var pageSize = request.MaximumPageSize > 0 ? request.MaximumPageSize : DefaultHistoryPageSize;
        while (true)
        {
            Task changed;
            HistoryEvent[] events;
            bool open;
            long total;
            lock (run.Sync)
            {
                events = [.. run.History.Skip((int)from - 1).Take(pageSize).Select(e => e.Clone())];
                open = run.IsOpen;
                total = run.History.Count;
                changed = run.HistoryChanged;
            }
            if (events.Length == 0 && request.WaitNewEvent && open)
            {
                try
                {
                    await changed.WaitAsync(options.LongPollTimeout, linked.Token).ConfigureAwait(false);
                    continue;
                }
                catch (TimeoutException)
                {
                    return new GetWorkflowExecutionHistoryResponse { History = new History(), NextPageToken = PageToken(from) };
                }
            }
            var next = from + events.Length;
            var more = next <= total || (request.WaitNewEvent && open);
            return new GetWorkflowExecutionHistoryResponse
            {
                History = new History { Events = { events } },
                NextPageToken = more ? PageToken(next) : ByteString.Empty,
            };
        }
    }

    public DescribeWorkflowExecutionResponse Describe(DescribeWorkflowExecutionRequest request)
    {
        var run = FindRun(request.Namespace, request.Execution);
        lock (run.Sync)
        {
            var started = run.History[0].WorkflowExecutionStartedEventAttributes;
            var response = new DescribeWorkflowExecutionResponse
            {
                ExecutionConfig = new WorkflowExecutionConfig
                {
                    TaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
                    WorkflowExecutionTimeout = started.WorkflowExecutionTimeout,
                    WorkflowRunTimeout = started.WorkflowRunTimeout,
                    DefaultWorkflowTaskTimeout = run.WorkflowTaskTimeout,
                },
                WorkflowExecutionInfo = InfoOf(run),
            };
            foreach (var activity in run.Activities.Values)
            {
                response.PendingActivities.Add(new PendingActivityInfo
                {
                    ActivityId = activity.Attributes.ActivityId,
                    ActivityType = activity.Attributes.ActivityType,
                    State = activity.CancelRequested ? PendingActivityState.CancelRequested
                        : activity.Started ? PendingActivityState.Started : PendingActivityState.Scheduled,
                    HeartbeatDetails = activity.HeartbeatDetails,
                    LastHeartbeatTime = ToTimestamp(activity.LastHeartbeatTime),
                    LastStartedTime = ToTimestamp(activity.StartedTime),
                    Attempt = activity.Attempt,
                    MaximumAttempts = activity.Attributes.RetryPolicy.MaximumAttempts,
                    ScheduledTime = ToTimestamp(activity.CurrentAttemptScheduledTime),
                    ExpirationTime = ToTimestamp(activity.ScheduleToCloseDeadline),
                    LastFailure = activity.LastFailure,
                    LastWorkerIdentity = activity.StartedIdentity,
                });
            }
            foreach (var child in run.Children.Values)
            {
                response.PendingChildren.Add(new PendingChildExecutionInfo
                {
                    WorkflowId = child.Attributes.WorkflowId,
                    RunId = child.RunId ?? "",
                    WorkflowTypeName = child.Attributes.WorkflowType.Name,
                    InitiatedId = child.InitiatedEventId,
                    ParentClosePolicy = child.Attributes.ParentClosePolicy,
                });
            }
            if (run.TaskState != WorkflowTaskState.None)
            {
                response.PendingWorkflowTask = new PendingWorkflowTaskInfo
                {
                    State = run.TaskState == WorkflowTaskState.Started ? PendingWorkflowTaskState.Started : PendingWorkflowTaskState.Scheduled,
                    ScheduledTime = run.History[(int)run.TaskScheduledEventId - 1].EventTime,
                    StartedTime = run.TaskState == WorkflowTaskState.Started ? run.History[(int)run.TaskStartedEventId - 1].EventTime : null,
                    Attempt = run.TaskAttempt,
                };
            }
            return response;
        }
    }

    public ListWorkflowExecutionsResponse List(ListWorkflowExecutionsRequest request)
    {
        RequireNamespace(request.Namespace);
        var query = VisibilityQuery.Parse(request.Query);
        var offset = (int)ParsePageToken(request.NextPageToken, "list") - 1;
        var pageSize = request.PageSize > 0 ? request.PageSize : DefaultListPageSize;
        var matching = Matching(request.Namespace, query);
        var response = new ListWorkflowExecutionsResponse();
        response.Executions.AddRange(matching.Skip(offset).Take(pageSize));
        if (offset + pageSize < matching.Count)
        {
            response.NextPageToken = PageToken(offset + pageSize + 1);
        }
        return response;
    }

    public CountWorkflowExecutionsResponse Count(CountWorkflowExecutionsRequest request)
    {
        RequireNamespace(request.Namespace);
        return new CountWorkflowExecutionsResponse { Count = Matching(request.Namespace, VisibilityQuery.Parse(request.Query)).Count };
    }

    /// <summary>Matching runs, newest start first (the real server's default order).</summary>
    private List<WorkflowExecutionInfo> Matching(string ns, VisibilityQuery query)
    {
        var infos = new List<WorkflowExecutionInfo>();
        foreach (var run in AllRuns(ns))
        {
            lock (run.Sync)
            {
                if (query.Matches(run.WorkflowType, run.WorkflowId, run.Status))
                {
                    infos.Add(InfoOf(run));
                }
            }
        }
        return [.. infos.OrderByDescending(i => i.StartTime.ToDateTimeOffset())];
    }

    private static WorkflowExecutionInfo InfoOf(WorkflowRun run) => new()
    {
        Execution = ExecutionOf(run),
        Type = new() { Name = run.WorkflowType },
        StartTime = run.StartTime,
        ExecutionTime = run.StartTime,
        CloseTime = run.CloseTime,
        Status = run.Status,
        HistoryLength = run.History.Count,
        ParentNamespaceId = run.ParentNamespace ?? "",
        ParentExecution = run.ParentExecution,
        Memo = run.Memo.Clone(),
        SearchAttributes = run.SearchAttributes.Clone(),
        TaskQueue = run.TaskQueue,
        FirstRunId = run.FirstRunId,
    };

    private static ByteString PageToken(long next) => ByteString.CopyFromUtf8(next.ToString(CultureInfo.InvariantCulture));

    private static long ParsePageToken(ByteString token, string what)
    {
        if (token.IsEmpty)
        {
            return 1;
        }
        return long.TryParse(token.ToStringUtf8(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw ServerErrors.InvalidArgument($"the {what} NextPageToken is not one this server issued; pass the token from the previous page unchanged.");
    }
}
