namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>Answers one service's requests (a protobuf request message in, its response out; null = not implemented).</summary>
internal interface IServiceDispatcher
{
    Task<object?> DispatchAsync(object request, CancellationToken cancel);
}
