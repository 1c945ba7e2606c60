using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.OperatorService.V1;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>Marker type for temporal.api.operatorservice.v1.OperatorService (search attribute registration only).</summary>
internal sealed class OperatorServiceEndpoint;

/// <summary>
/// The OperatorService calls workers and the <c>temporal operator search-attribute</c> commands make:
/// add, list and remove custom search attributes. Everything else answers UNIMPLEMENTED.
/// </summary>
internal sealed class OperatorServiceMethodProvider(TemporalEngine engine) : DescriptorMethodProvider<OperatorServiceEndpoint>
{
    protected override Google.Protobuf.Reflection.ServiceDescriptor Service => ServiceReflection.Descriptor.Services.Single(s => s.Name == "OperatorService");

    protected override Task<object?> DispatchAsync(object request, ServerCallContext context) => Task.FromResult<object?>(request switch
    {
        AddSearchAttributesRequest r => engine.SearchAttributes.Add(r),
        ListSearchAttributesRequest r => engine.SearchAttributes.List(r),
        RemoveSearchAttributesRequest r => engine.SearchAttributes.Remove(r),
        _ => null,
    });
}
