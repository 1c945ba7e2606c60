using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// Registers every unary method of temporal.api.workflowservice.v1.WorkflowService (as described in
/// Temporalio.dll) and routes each request to <see cref="WorkflowServiceDispatcher"/>. Methods the
/// dispatcher does not know answer UNIMPLEMENTED naming the method.
/// </summary>
internal sealed class WorkflowServiceMethodProvider(TemporalEngine engine) : IServiceMethodProvider<WorkflowServiceEndpoint>
{
    private static readonly MethodInfo AddMethodDefinition =
        typeof(WorkflowServiceMethodProvider).GetMethod(nameof(AddMethod), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private readonly WorkflowServiceDispatcher dispatcher = new(engine);

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<WorkflowServiceEndpoint> context)
    {
        var service = ServiceReflection.Descriptor.Services.Single(s => s.Name == "WorkflowService");
        foreach (var method in service.Methods.Where(m => !m.IsClientStreaming && !m.IsServerStreaming))
        {
            AddMethodDefinition.MakeGenericMethod(method.InputType.ClrType, method.OutputType.ClrType)
                .Invoke(this, [context, method]);
        }
    }

    private void AddMethod<TRequest, TResponse>(ServiceMethodProviderContext<WorkflowServiceEndpoint> context, MethodDescriptor descriptor)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var requestParser = new MessageParser<TRequest>(() => new TRequest());
        var responseParser = new MessageParser<TResponse>(() => new TResponse());
        var method = new Method<TRequest, TResponse>(
            MethodType.Unary,
            descriptor.Service.FullName,
            descriptor.Name,
            Marshallers.Create(r => r.ToByteArray(), requestParser.ParseFrom),
            Marshallers.Create(r => r.ToByteArray(), responseParser.ParseFrom));
        var name = descriptor.Name;
        context.AddUnaryMethod(method, [], async (_, request, callContext) =>
        {
            var response = await dispatcher.DispatchAsync(request, callContext).ConfigureAwait(false)
                ?? throw new RpcException(new Status(StatusCode.Unimplemented,
                    $"in-memory Temporal server: {name} is not implemented (see workers/MetaRewarding.InMemoryTemporal/README.md)."));
            return (TResponse)response;
        });
    }
}
