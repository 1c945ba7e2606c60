using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.OperatorService.V1;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// The OperatorService calls workers and the <c>temporal operator search-attribute</c> commands make:
/// add, list and remove custom search attributes. Everything else is not implemented (null).
/// </summary>
internal sealed class OperatorServiceDispatcher(TemporalEngine engine) : IServiceDispatcher
{
    public Task<object?> DispatchAsync(object request, CancellationToken cancel) => Task.FromResult<object?>(request switch
    {
        AddSearchAttributesRequest r => engine.SearchAttributes.Add(r),
        ListSearchAttributesRequest r => engine.SearchAttributes.List(r),
        RemoveSearchAttributesRequest r => engine.SearchAttributes.Remove(r),
        _ => null,
    });
}
