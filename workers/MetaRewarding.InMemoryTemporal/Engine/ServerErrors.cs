using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Common.V1;
using Temporalio.Api.ErrorDetails.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// The gRPC errors the real server returns, with the typed details (google.rpc.Status in the
/// grpc-status-details-bin trailer) the SDK unpacks into its own exceptions.
/// </summary>
internal static class ServerErrors
{
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) =>
        WithDetails(StatusCode.NotFound, message, new NotFoundFailure());

    public static RpcException WorkflowNotFound(string workflowId, string? runId) =>
        NotFound(string.IsNullOrEmpty(runId)
            ? $"workflow execution not found for workflow id '{workflowId}'"
            : $"workflow execution not found for workflow id '{workflowId}' and run id '{runId}'");

    public static RpcException WorkflowAlreadyClosed(string workflowId) =>
        NotFound($"workflow execution '{workflowId}' already completed");

    public static RpcException AlreadyStarted(string workflowId, string runId, string requestId) =>
        WithDetails(StatusCode.AlreadyExists, $"Workflow execution is already running. WorkflowId: {workflowId}, RunId: {runId}.",
            new WorkflowExecutionAlreadyStartedFailure { RunId = runId, StartRequestId = requestId });

    public static RpcException QueryFailed(string message) =>
        WithDetails(StatusCode.InvalidArgument, message, new QueryFailedFailure());

    public static RpcException NamespaceNotFound(string name) =>
        WithDetails(StatusCode.NotFound, $"Namespace {name} is not found (this in-memory server serves one namespace).",
            new NamespaceNotFoundFailure { Namespace = name });

    private static RpcException WithDetails(StatusCode code, string message, IMessage detail)
    {
        var status = new GrpcStatus { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(detail));
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Status(code, message), trailers);
    }
}
