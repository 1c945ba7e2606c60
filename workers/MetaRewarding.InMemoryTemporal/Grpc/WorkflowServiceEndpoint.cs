namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// Marker type Grpc.AspNetCore maps as "the service"; its methods are added from Temporalio's protobuf
/// descriptor by <see cref="WorkflowServiceMethodProvider"/>, so no .proto files or generated base class.
/// </summary>
internal sealed class WorkflowServiceEndpoint;
