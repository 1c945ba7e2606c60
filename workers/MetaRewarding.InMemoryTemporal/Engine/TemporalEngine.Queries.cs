using System.Collections.Concurrent;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Query.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Queries go to a worker as a legacy query task on the workflow's task queue (a poll response with
/// <c>Query</c> set and the full history), answered with RespondQueryTaskCompleted; Temporalio 1.21.1's
/// core supports this path. While a worker holds a workflow task the query waits for it to finish,
/// so the answer reflects a consistent state.
/// </summary>
internal sealed partial class TemporalEngine
{
    private readonly ConcurrentDictionary<string, PendingQuery> queries = new();

    public async Task<QueryWorkflowResponse> QueryAsync(QueryWorkflowRequest request, CancellationToken cancellationToken)
    {
        var run = FindRun(request.Namespace, request.Execution);
        if (string.IsNullOrEmpty(request.Query?.QueryType))
        {
            throw ServerErrors.InvalidArgument("QueryWorkflow: Query.QueryType is not set.");
        }
        if (request.QueryRejectCondition is QueryRejectCondition.NotOpen or QueryRejectCondition.NotCompletedCleanly)
        {
            var status = run.Status;
            var reject = request.QueryRejectCondition == QueryRejectCondition.NotOpen
                ? status != WorkflowExecutionStatus.Running
                : status is not (WorkflowExecutionStatus.Running or WorkflowExecutionStatus.Completed);
            if (reject)
            {
                return new QueryWorkflowResponse { QueryRejected = new QueryRejected { Status = status } };
            }
        }
        var query = new PendingQuery(Guid.NewGuid().ToString(), request.Query);
        queries[query.Id] = query;
        try
        {
            Update(run, r =>
            {
                if (r.TaskState == WorkflowTaskState.Started)
                {
                    r.QueuedQueries.Add(query);
                }
                else
                {
                    DispatchQuery(r, query);
                }
            });
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ShutdownToken);
            var answer = await query.Answer.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            return new QueryWorkflowResponse { QueryResult = answer };
        }
        finally
        {
            queries.TryRemove(query.Id, out _);
        }
    }

    private void DispatchQuery(WorkflowRun run, PendingQuery query)
    {
        run.AddEffect(() => WorkflowQueue(run.Namespace, run.TaskQueue).Add(new WorkflowTaskRef(run, 0, query)));
    }

    private void DispatchQueuedQueries(WorkflowRun run)
    {
        foreach (var query in run.QueuedQueries)
        {
            DispatchQuery(run, query);
        }
        run.QueuedQueries.Clear();
    }

    private static PollWorkflowTaskQueueResponse BuildQueryTask(WorkflowRun run, PendingQuery query)
    {
        var response = new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken(TaskTokenKind.Query, run.RunId, 0, 0, query.Id).ToByteString(),
            WorkflowExecution = ExecutionOf(run),
            WorkflowType = new() { Name = run.WorkflowType },
            PreviousStartedEventId = run.PreviousStartedEventId,
            StartedEventId = run.PreviousStartedEventId,
            Query = query.Query,
            History = new(),
            WorkflowExecutionTaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
            Attempt = 1,
        };
        response.History.Events.AddRange(run.History.Select(h => h.Clone()));
        return response;
    }

    public void AnswerQuery(RespondQueryTaskCompletedRequest request)
    {
        RequireNamespace(request.Namespace);
        var token = TaskToken.Parse(request.TaskToken, TaskTokenKind.Query);
        if (!queries.TryGetValue(token.QueryId, out var query))
        {
            throw ServerErrors.NotFound("query not found: the client stopped waiting for it (deadline) or it was already answered.");
        }
        if (request.CompletedType == QueryResultType.Answered)
        {
            query.Answer.TrySetResult(request.QueryResult);
        }
        else
        {
            var message = request.Failure?.Message is { Length: > 0 } m ? m : request.ErrorMessage;
            query.Answer.TrySetException(ServerErrors.QueryFailed(message));
        }
    }
}
