using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// Routes each WorkflowService request to the engine; null means "not implemented". The gRPC service and the
/// HTTP/JSON gateway (Http/) both call it, so the two protocols cannot drift apart.
/// </summary>
internal sealed class WorkflowServiceDispatcher(TemporalEngine engine) : IServiceDispatcher
{
    public async Task<object?> DispatchAsync(object request, CancellationToken cancel)
    {
        switch (request)
        {
            case GetSystemInfoRequest:
                return TemporalEngine.SystemInfo();
            case GetClusterInfoRequest:
                return engine.ClusterInfo();
            case DescribeTaskQueueRequest r:
                return engine.DescribeTaskQueue(r);
            case GetWorkflowExecutionHistoryReverseRequest r:
                return engine.GetHistoryReverse(r);
            case ResetWorkflowExecutionRequest r:
                return engine.Reset(r);
            case PauseActivityRequest r:
                return engine.PauseActivity(r);
            case UnpauseActivityRequest r:
                return engine.UnpauseActivity(r);
            case ResetActivityRequest r:
                return engine.ResetActivity(r);
            case UpdateActivityOptionsRequest r:
                return engine.UpdateActivityOptions(r);
            case DescribeNamespaceRequest r:
                return engine.DescribeNamespace(r);
            case ListNamespacesRequest:
                return engine.ListNamespaces();
            case StartWorkflowExecutionRequest r:
                return engine.Start(r);
            case SignalWithStartWorkflowExecutionRequest r:
                return engine.SignalWithStart(r);
            case SignalWorkflowExecutionRequest r:
                return engine.Signal(r);
            case RequestCancelWorkflowExecutionRequest r:
                return engine.RequestCancel(r);
            case TerminateWorkflowExecutionRequest r:
                return engine.Terminate(r);
            case QueryWorkflowRequest r:
                return await engine.QueryAsync(r, cancel).ConfigureAwait(false);
            case DescribeWorkflowExecutionRequest r:
                return engine.Describe(r);
            case ListWorkflowExecutionsRequest r:
                return engine.List(r);
            case CountWorkflowExecutionsRequest r:
                return engine.Count(r);
            case GetWorkflowExecutionHistoryRequest r:
                return await engine.GetHistoryAsync(r, cancel).ConfigureAwait(false);
            case PollWorkflowTaskQueueRequest r:
                return await engine.PollWorkflowTaskAsync(r, cancel).ConfigureAwait(false);
            case RespondWorkflowTaskCompletedRequest r:
                return engine.CompleteWorkflowTask(r);
            case RespondWorkflowTaskFailedRequest r:
                return engine.FailWorkflowTask(r);
            case RespondQueryTaskCompletedRequest r:
                engine.AnswerQuery(r);
                return new RespondQueryTaskCompletedResponse();
            case PollActivityTaskQueueRequest r:
                return await engine.PollActivityTaskAsync(r, cancel).ConfigureAwait(false);
            case RecordActivityTaskHeartbeatRequest r:
                engine.RequireNamespace(r.Namespace);
                return engine.Heartbeat(engine.ResolveActivity(r.TaskToken), r.Details);
            case RecordActivityTaskHeartbeatByIdRequest r:
                var byIdHeartbeat = engine.Heartbeat(engine.ResolveActivity(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId), r.Details);
                return new RecordActivityTaskHeartbeatByIdResponse { CancelRequested = byIdHeartbeat.CancelRequested };
            case RespondActivityTaskCompletedRequest r:
                engine.RequireNamespace(r.Namespace);
                engine.CompleteActivity(engine.ResolveActivity(r.TaskToken), r.Result, r.Identity);
                return new RespondActivityTaskCompletedResponse();
            case RespondActivityTaskCompletedByIdRequest r:
                engine.CompleteActivity(engine.ResolveActivity(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId), r.Result, r.Identity);
                return new RespondActivityTaskCompletedByIdResponse();
            case RespondActivityTaskFailedRequest r:
                engine.RequireNamespace(r.Namespace);
                engine.FailActivity(engine.ResolveActivity(r.TaskToken), r.Failure, r.LastHeartbeatDetails, r.Identity);
                return new RespondActivityTaskFailedResponse();
            case RespondActivityTaskFailedByIdRequest r:
                engine.FailActivity(engine.ResolveActivity(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId), r.Failure, r.LastHeartbeatDetails, r.Identity);
                return new RespondActivityTaskFailedByIdResponse();
            case RespondActivityTaskCanceledRequest r:
                engine.RequireNamespace(r.Namespace);
                engine.CancelActivity(engine.ResolveActivity(r.TaskToken), r.Details, r.Identity);
                return new RespondActivityTaskCanceledResponse();
            case RespondActivityTaskCanceledByIdRequest r:
                engine.CancelActivity(engine.ResolveActivity(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId), r.Details, r.Identity);
                return new RespondActivityTaskCanceledByIdResponse();
            case ShutdownWorkerRequest:
                // Sticky queues are never used, so there is nothing to hand back.
                return new ShutdownWorkerResponse();
            case ResetStickyTaskQueueRequest r:
                engine.RequireNamespace(r.Namespace);
                return new ResetStickyTaskQueueResponse();
            default:
                return null;
        }
    }
}
