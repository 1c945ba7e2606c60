using Google.Protobuf.Reflection;
using MetaRewarding.InMemoryTemporal.Grpc;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// One HTTP binding of a gRPC method, as its google.api.http rule declares it: verb, path template, which part
/// of the request the body is (<c>*</c> = the whole request, a field name, or empty = no body), and the
/// dispatcher that answers the method (the same one the gRPC service uses).
/// </summary>
internal sealed record GatewayRoute(string Verb, PathTemplate Path, string Body, string ResponseBody, MethodDescriptor Method, IServiceDispatcher Dispatcher)
{
    public string MethodName => Method.Service.Name + "." + Method.Name;
}
