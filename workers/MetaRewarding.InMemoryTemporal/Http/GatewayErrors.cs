using Grpc.Core;
using Temporalio.Api.Common.V1;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// A gRPC status as the HTTP answer Temporal's gateway gives: grpc-gateway's HTTP status for the code, and the
/// google.rpc.Status body <c>{"code": 5, "message": "...", "details": [{"@type": ...}]}</c> with the typed
/// details the engine attached (NotFoundFailure, NamespaceNotFoundFailure, ...).
/// </summary>
internal static class GatewayErrors
{
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => 400,
        StatusCode.DeadlineExceeded => 504,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists or StatusCode.Aborted => 409,
        StatusCode.PermissionDenied => 403,
        StatusCode.Unauthenticated => 401,
        StatusCode.ResourceExhausted => 429,
        StatusCode.Unimplemented => 501,
        StatusCode.Unavailable => 503,
        _ => 500,
    };

    public static GrpcStatus StatusOf(RpcException exception)
    {
        if (exception.Trailers.GetValueBytes("grpc-status-details-bin") is { } bytes)
        {
            var detailed = GrpcStatus.Parser.ParseFrom(bytes);
            detailed.Code = (int)exception.StatusCode;
            detailed.Message = exception.Status.Detail;
            return detailed;
        }
        return new GrpcStatus { Code = (int)exception.StatusCode, Message = exception.Status.Detail };
    }

    public static GrpcStatus Status(StatusCode code, string message) => new() { Code = (int)code, Message = message };
}
