using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// Catch-all: whatever a client sends, the server answers with a gRPC status instead of crashing.
/// Malformed input becomes INVALID_ARGUMENT; a bug becomes INTERNAL with its message.
/// </summary>
internal sealed class ErrorMappingInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client"));
        }
        catch (OperationCanceledException)
        {
            // Only the server's own shutdown cancels a call the client did not cancel.
            throw new RpcException(new Status(StatusCode.Unavailable, "the in-memory Temporal server is stopping"));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or FormatException or ArgumentException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{context.Method}: malformed request: {ex.Message}"));
        }
#pragma warning disable CA1031 // The whole point: no exception may escape as a crash or an opaque error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new RpcException(new Status(StatusCode.Internal, $"{context.Method}: in-memory server error: {ex.GetType().Name}: {ex.Message}"));
        }
    }
}
