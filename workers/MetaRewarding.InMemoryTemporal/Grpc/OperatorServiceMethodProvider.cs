using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.OperatorService.V1;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>Marker type for temporal.api.operatorservice.v1.OperatorService (search attribute registration only).</summary>
internal sealed class OperatorServiceEndpoint;

/// <summary>temporal.api.operatorservice.v1.OperatorService, routed to <see cref="OperatorServiceDispatcher"/>.</summary>
internal sealed class OperatorServiceMethodProvider(TemporalEngine engine) : DescriptorMethodProvider<OperatorServiceEndpoint>
{
    private readonly OperatorServiceDispatcher dispatcher = new(engine);

    protected override Google.Protobuf.Reflection.ServiceDescriptor Service => ServiceReflection.Descriptor.Services.Single(s => s.Name == "OperatorService");

    protected override Task<object?> DispatchAsync(object request, ServerCallContext context) => dispatcher.DispatchAsync(request, context.CancellationToken);
}
