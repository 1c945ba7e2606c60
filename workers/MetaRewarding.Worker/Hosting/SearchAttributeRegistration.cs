using MetaRewarding.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// Registers the <c>MetaRewardingIteration</c> (Int) and <c>MetaRewardingPhase</c> (Keyword) search attributes
/// through the OperatorService where the server allows it. A server without it (the in-process one), one that
/// has them already, or one that does not let this identity change them (Temporal Cloud: add them in the Cloud
/// UI or with tcld) is no error: the workflows need them only where the server enforces registered attributes,
/// and then the message printed says how to register them.
/// </summary>
public static class SearchAttributeRegistration
{
    public static async Task<bool> TryRegisterAsync(ITemporalClient client, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(log);
        var request = new AddSearchAttributesRequest { Namespace = client.Options.Namespace };
        request.SearchAttributes.Add(RunSearchAttributes.Iteration.Name, IndexedValueType.Int);
        request.SearchAttributes.Add(RunSearchAttributes.Phase.Name, IndexedValueType.Keyword);
        try
        {
            await client.Connection.OperatorService.AddSearchAttributesAsync(request);
            return true;
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.AlreadyExists)
        {
            return true;
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.Unimplemented)
        {
            // The in-process server accepts any search attribute and has no OperatorService.
            return false;
        }
        catch (RpcException e) when (e.Code is RpcException.StatusCode.PermissionDenied or RpcException.StatusCode.Unauthenticated)
        {
            await log.WriteLineAsync(
                $"note: could not register the search attributes ({e.Code}: {e.Message}); register them once with "
                + $"`temporal operator search-attribute create --name {RunSearchAttributes.Iteration.Name} --type Int` and "
                + $"`temporal operator search-attribute create --name {RunSearchAttributes.Phase.Name} --type Keyword`");
            return false;
        }
    }
}
