using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// Catch-all: whatever a client sends, the server answers with a gRPC status instead of crashing
/// (<see cref="RpcErrors"/> says which).
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
#pragma warning disable CA1031 // The whole point: no exception may escape as a crash or an opaque error.
        catch (Exception ex) when (ex is not RpcException)
#pragma warning restore CA1031
        {
            throw RpcErrors.From(ex, context.Method, context.CancellationToken);
        }
    }
}
