using Google.Protobuf;
using Grpc.Core;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// What any exception from a request becomes, for gRPC and the HTTP gateway alike: malformed input is
/// INVALID_ARGUMENT, a cancelled call CANCELLED, the server stopping UNAVAILABLE, a bug INTERNAL with its message.
/// </summary>
internal static class RpcErrors
{
    public static RpcException From(Exception exception, string method, CancellationToken callCancelled) => exception switch
    {
        RpcException rpc => rpc,
        OperationCanceledException when callCancelled.IsCancellationRequested =>
            new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client")),
        // Only the server's own shutdown cancels a call the client did not cancel.
        OperationCanceledException => new RpcException(new Status(StatusCode.Unavailable, "the in-memory Temporal server is stopping")),
        InvalidProtocolBufferException or FormatException or ArgumentException or InvalidJsonException =>
            new RpcException(new Status(StatusCode.InvalidArgument, $"{method}: malformed request: {exception.Message}")),
        _ => new RpcException(new Status(StatusCode.Internal, $"{method}: in-memory server error: {exception.GetType().Name}: {exception.Message}")),
    };
}
