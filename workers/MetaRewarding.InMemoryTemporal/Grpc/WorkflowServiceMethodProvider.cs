using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>temporal.api.workflowservice.v1.WorkflowService, routed to <see cref="WorkflowServiceDispatcher"/>.</summary>
internal sealed class WorkflowServiceMethodProvider(TemporalEngine engine) : DescriptorMethodProvider<WorkflowServiceEndpoint>
{
    private readonly WorkflowServiceDispatcher dispatcher = new(engine);

    protected override Google.Protobuf.Reflection.ServiceDescriptor Service => ServiceReflection.Descriptor.Services.Single(s => s.Name == "WorkflowService");

    protected override Task<object?> DispatchAsync(object request, ServerCallContext context) => dispatcher.DispatchAsync(request, context.CancellationToken);
}
