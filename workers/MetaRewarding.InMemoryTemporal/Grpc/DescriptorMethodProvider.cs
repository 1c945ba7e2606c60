using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// Registers every unary method of one protobuf service (as described in Temporalio.dll) with
/// Grpc.AspNetCore and routes each request to <see cref="DispatchAsync"/>. Methods it returns null for
/// answer UNIMPLEMENTED naming the method. No .proto files or generated base classes are needed.
/// </summary>
internal abstract class DescriptorMethodProvider<TEndpoint> : IServiceMethodProvider<TEndpoint>
    where TEndpoint : class
{
    private static readonly MethodInfo AddMethodDefinition =
        typeof(DescriptorMethodProvider<TEndpoint>).GetMethod(nameof(AddMethod), BindingFlags.NonPublic | BindingFlags.Instance)!;

    protected abstract Google.Protobuf.Reflection.ServiceDescriptor Service { get; }

    protected abstract Task<object?> DispatchAsync(object request, ServerCallContext context);

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TEndpoint> context)
    {
        foreach (var method in Service.Methods.Where(m => !m.IsClientStreaming && !m.IsServerStreaming))
        {
            AddMethodDefinition.MakeGenericMethod(method.InputType.ClrType, method.OutputType.ClrType)
                .Invoke(this, [context, method]);
        }
    }

    private void AddMethod<TRequest, TResponse>(ServiceMethodProviderContext<TEndpoint> context, Google.Protobuf.Reflection.MethodDescriptor descriptor)
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
        var name = descriptor.Service.Name + "." + descriptor.Name;
        context.AddUnaryMethod(method, [], async (_, request, callContext) =>
        {
            var response = await DispatchAsync(request, callContext).ConfigureAwait(false)
                ?? throw new RpcException(new Status(StatusCode.Unimplemented,
                    $"in-memory Temporal server: {name} is not implemented (see workers/MetaRewarding.InMemoryTemporal/README.md)."));
            return (TResponse)response;
        });
    }
}
