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
                WorkflowExecutionInfo = InfoWithRoot(run),
            };
            foreach (var activity in run.Activities.Values)
            {
                response.PendingActivities.Add(new PendingActivityInfo
                {
                    ActivityId = activity.Attributes.ActivityId,
                    ActivityType = activity.Attributes.ActivityType,
                    State = activity.CancelRequested ? PendingActivityState.CancelRequested
                        : activity.Paused ? (activity.Started ? PendingActivityState.PauseRequested : PendingActivityState.Paused)
                        : activity.Started ? PendingActivityState.Started : PendingActivityState.Scheduled,
                    Paused = activity.Paused,
                    PauseInfo = activity.PauseInfo,
                    ActivityOptions = OptionsOf(activity),
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
        var query = ParseQuery(request.Namespace, request.Query);
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

    /// <summary>The number of matching workflows; with <c>GROUP BY ExecutionStatus</c> also per status (the Web UI's counts).</summary>
    public CountWorkflowExecutionsResponse Count(CountWorkflowExecutionsRequest request)
    {
        RequireNamespace(request.Namespace);
        var query = ParseQuery(request.Namespace, request.Query);
        var matching = Matching(request.Namespace, query);
        var response = new CountWorkflowExecutionsResponse { Count = matching.Count };
        if (query.GroupBy is not null)
        {
            foreach (var group in matching.GroupBy(i => VisibilityRecord.StatusName(i.Status)).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                response.Groups.Add(new CountWorkflowExecutionsResponse.Types.AggregationGroup
                {
                    GroupValues = { KeywordPayload(group.Key) },
                    Count = group.Count(),
                });
            }
        }
        return response;
    }

    /// <summary>Parses a visibility query and checks that each attribute it names exists (system, registered, or set on a run).</summary>
    private VisibilityQuery ParseQuery(string ns, string? text)
    {
        var query = VisibilityQuery.Parse(text);
        foreach (var name in query.Attributes.Concat(query.OrderBy is { } order ? [order] : []).Distinct())
        {
            if (!SearchAttributes.IsKnown(name) && !AllRuns(ns).Any(run => { lock (run.Sync) { return run.SearchAttributes.IndexedFields.ContainsKey(name); } }))
            {
                throw ServerErrors.InvalidArgument(
                    $"invalid visibility query \"{text}\": unknown search attribute {name}; register it first (temporal operator search-attribute create --name {name} --type Keyword).");
            }
        }
        return query;
    }

    /// <summary>Matching runs, newest start first (the real server's default order) unless the query says ORDER BY.</summary>
    private List<WorkflowExecutionInfo> Matching(string ns, VisibilityQuery query)
    {
        var infos = new List<WorkflowExecutionInfo>();
        foreach (var run in AllRuns(ns))
        {
            WorkflowExecutionInfo info;
            lock (run.Sync)
            {
                info = InfoWithRoot(run);
            }
            if (query.Matches(VisibilityRecord.Of(info)))
            {
                infos.Add(info);
            }
        }
        if (query.OrderBy is { } attribute)
        {
            var ordered = infos.Select(i => (Info: i, Key: VisibilityRecord.Of(i)(attribute) as IComparable)).ToList();
            var present = ordered.Where(o => o.Key is not null);
            var sorted = query.OrderDescending ? present.OrderByDescending(o => o.Key) : present.OrderBy(o => o.Key);
            return [.. sorted.Concat(ordered.Where(o => o.Key is null)).Select(o => o.Info)];
        }
        return [.. infos.OrderByDescending(i => i.StartTime.ToDateTimeOffset())];
    }

    /// <summary><see cref="InfoOf"/> plus the root of the run's parent chain (the UI's relationships view queries by it).</summary>
    private WorkflowExecutionInfo InfoWithRoot(WorkflowRun run)
    {
        var info = InfoOf(run);
        var root = run;
        // A parent is set when a run is created and never changes, so the chain can be read without its locks.
        for (var depth = 0; depth < 1000 && root.ParentExecution is { } parent && runsById.TryGetValue(parent.RunId, out var parentRun); depth++)
        {
            root = parentRun;
        }
        info.RootExecution = ExecutionOf(root);
        return info;
    }

    private static Temporalio.Api.Common.V1.Payload KeywordPayload(string value) => new()
    {
        Metadata =
        {
            ["encoding"] = ByteString.CopyFromUtf8("json/plain"),
            ["type"] = ByteString.CopyFromUtf8("Keyword"),
        },
        Data = ByteString.CopyFromUtf8(System.Text.Json.JsonSerializer.Serialize(value)),
    };

    private static WorkflowExecutionInfo InfoOf(WorkflowRun run) => new()
    {
        Execution = ExecutionOf(run),
        Type = new() { Name = run.WorkflowType },
        StartTime = run.StartTime,
        ExecutionTime = ExecutionTimeOf(run),
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
