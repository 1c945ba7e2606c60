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
    public const string CompatibleServerVersion = "1.28.0";

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

    public DescribeTaskQueueResponse DescribeTaskQueue(DescribeTaskQueueRequest request)
    {
        RequireNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw ServerErrors.InvalidArgument("DescribeTaskQueue: TaskQueue.Name is not set.");
        }
        var type = request.TaskQueueType == TaskQueueType.Unspecified ? TaskQueueType.Workflow : request.TaskQueueType;
        var response = new DescribeTaskQueueResponse();
        if (pollers.TryGetValue((request.TaskQueue.Name, type), out var seen))
        {
            foreach (var (identity, lastAccess) in seen.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                response.Pollers.Add(new PollerInfo { Identity = identity, LastAccessTime = ToTimestamp(lastAccess), RatePerSecond = 100_000 });
            }
        }
        return response;
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
