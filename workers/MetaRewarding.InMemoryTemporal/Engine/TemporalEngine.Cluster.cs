using System.Collections.Concurrent;
using Google.Protobuf;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// What the Temporal Web UI reads besides workflows: cluster info (the UI enables features by the server version it
/// reports), a task queue's pollers (the workflow page's Workers tab, and it refuses to render without them), and
/// history newest first.
/// </summary>
internal sealed partial class TemporalEngine
{
    /// <summary>
    /// The Temporal server release whose API (temporal.api v1.50, in Temporalio 1.21.1) this server implements; the
    /// UI compares it with the versions that introduced features (child workflows 1.23, reset options 1.24, reset with
    /// pending children 1.27.1).
    /// </summary>
    public const string CompatibleServerVersion = "1.29.1";

    private readonly ConcurrentDictionary<(string Queue, TaskQueueType Type), ConcurrentDictionary<string, DateTimeOffset>> pollers = new();

    public GetClusterInfoResponse ClusterInfo() => new()
    {
        ServerVersion = CompatibleServerVersion,
        ClusterId = "in-memory-" + Namespace,
        ClusterName = "in-memory",
        HistoryShardCount = 1,
        PersistenceStore = "in-memory",
        VisibilityStore = "in-memory",
    };

    /// <summary>Remembers who polls a task queue, for <see cref="DescribeTaskQueue"/>.</summary>
    private void RecordPoller(string queue, TaskQueueType type, string identity) =>
        pollers.GetOrAdd((queue, type), _ => new())[string.IsNullOrEmpty(identity) ? "(no identity)" : identity] = Now;

    /// <summary>
    /// Pollers and, when asked (report_stats, or the enhanced mode KEDA's `temporal` scaler uses, which reads
    /// versions_info[""].types_info[type].stats), the backlog: tasks waiting for a worker and the age of the oldest.
    /// </summary>
    public DescribeTaskQueueResponse DescribeTaskQueue(DescribeTaskQueueRequest request)
    {
        RequireNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw ServerErrors.InvalidArgument("DescribeTaskQueue: TaskQueue.Name is not set.");
        }
        var queue = request.TaskQueue.Name;
#pragma warning disable CS0612 // the enhanced mode is deprecated in the API, still what the Go SDK's DescribeTaskQueueEnhanced sends
        if (request.ApiMode == DescribeTaskQueueMode.Enhanced)
        {
            var types = request.TaskQueueTypes.Count > 0 ? request.TaskQueueTypes.ToList() : [TaskQueueType.Workflow, TaskQueueType.Activity];
            var version = new TaskQueueVersionInfo();
            foreach (var t in types)
            {
                var info = new TaskQueueTypeInfo { Stats = request.ReportStats ? Backlog(request.Namespace, queue, t) : null };
                info.Pollers.Add(Pollers(queue, t));
                version.TypesInfo[(int)t] = info;
            }
            var enhanced = new DescribeTaskQueueResponse();
            enhanced.VersionsInfo[""] = version;
            return enhanced;
        }
#pragma warning restore CS0612
        var type = request.TaskQueueType == TaskQueueType.Unspecified ? TaskQueueType.Workflow : request.TaskQueueType;
        var response = new DescribeTaskQueueResponse { Stats = request.ReportStats ? Backlog(request.Namespace, queue, type) : null };
        response.Pollers.Add(Pollers(queue, type));
        return response;
    }

    private List<PollerInfo> Pollers(string queue, TaskQueueType type) =>
        pollers.TryGetValue((queue, type), out var seen)
            ? seen.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new PollerInfo { Identity = p.Key, LastAccessTime = ToTimestamp(p.Value), RatePerSecond = 100_000 }).ToList()
            : [];

    /// <summary>Workflow tasks scheduled and not yet taken, or activity attempts queued and not yet taken, on one queue.</summary>
    private TaskQueueStats Backlog(string ns, string queue, TaskQueueType type)
    {
        var waitingSince = new List<DateTimeOffset>();
        foreach (var run in AllRuns(ns))
        {
            lock (run.Sync)
            {
                if (!run.IsOpen)
                {
                    continue;
                }
                if (type == TaskQueueType.Workflow && run.TaskQueue == queue && run.TaskState == WorkflowTaskState.Scheduled)
                {
                    waitingSince.Add(run.History[(int)run.TaskScheduledEventId - 1].EventTime.ToDateTimeOffset());
                }
                if (type == TaskQueueType.Activity)
                {
                    waitingSince.AddRange(run.Activities.Values
                        .Where(a => a.Dispatched && !a.Started && !a.Paused && a.Attributes.TaskQueue.Name == queue)
                        .Select(a => a.CurrentAttemptScheduledTime));
                }
            }
        }
        return new TaskQueueStats
        {
            ApproximateBacklogCount = waitingSince.Count,
            ApproximateBacklogAge = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(waitingSince.Count == 0 ? TimeSpan.Zero : Now - waitingSince.Min()),
        };
    }

    /// <summary>History newest event first, paged like <see cref="GetHistoryAsync"/> (the token is the next event id down).</summary>
    public GetWorkflowExecutionHistoryReverseResponse GetHistoryReverse(GetWorkflowExecutionHistoryReverseRequest request)
    {
        var run = FindRun(request.Namespace, request.Execution);
        var pageSize = request.MaximumPageSize > 0 ? request.MaximumPageSize : DefaultHistoryPageSize;
        lock (run.Sync)
        {
            var from = request.NextPageToken.IsEmpty ? run.History.Count : (int)ParsePageToken(request.NextPageToken, "reverse history");
            var events = new List<HistoryEvent>();
            for (var id = Math.Min(from, run.History.Count); id >= 1 && events.Count < pageSize; id--)
            {
                events.Add(run.History[id - 1].Clone());
            }
            var next = from - events.Count;
            return new GetWorkflowExecutionHistoryReverseResponse
            {
                History = new History { Events = { events } },
                NextPageToken = next >= 1 ? PageToken(next) : ByteString.Empty,
            };
        }
    }
}
