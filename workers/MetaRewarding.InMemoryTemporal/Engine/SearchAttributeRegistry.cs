using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// Custom search attributes registered through the OperatorService. Registration is bookkeeping only:
/// upserts are accepted whether or not a name is registered (the real server would refuse unknown ones).
/// </summary>
internal sealed class SearchAttributeRegistry(Action<string?> requireNamespace, Action<IReadOnlyDictionary<string, IndexedValueType>>? saved = null)
{
    private static readonly IReadOnlyDictionary<string, IndexedValueType> System = VisibilityRecord.SystemTypes;

    private readonly Dictionary<string, IndexedValueType> custom = [];
    private readonly object sync = new();

    public AddSearchAttributesResponse Add(AddSearchAttributesRequest request)
    {
        requireNamespace(request.Namespace);
        lock (sync)
        {
            foreach (var (name, type) in request.SearchAttributes)
            {
                if (string.IsNullOrWhiteSpace(name) || type == IndexedValueType.Unspecified)
                {
                    throw ServerErrors.InvalidArgument($"search attribute '{name}' needs a name and a type (Keyword, Text, Int, Double, Bool, Datetime, KeywordList).");
                }
                if (System.ContainsKey(name) || custom.ContainsKey(name))
                {
                    throw new global::Grpc.Core.RpcException(new global::Grpc.Core.Status(global::Grpc.Core.StatusCode.AlreadyExists, $"search attribute {name} already exists"));
                }
            }
            foreach (var (name, type) in request.SearchAttributes)
            {
                custom[name] = type;
            }
            saved?.Invoke(custom);
        }
        return new AddSearchAttributesResponse();
    }

    public ListSearchAttributesResponse List(ListSearchAttributesRequest request)
    {
        requireNamespace(request.Namespace);
        var response = new ListSearchAttributesResponse();
        response.SystemAttributes.Add(System.ToDictionary());
        lock (sync)
        {
            response.CustomAttributes.Add(custom);
        }
        return response;
    }

    /// <summary>Puts back the attributes a durable store kept.</summary>
    public void Restore(IReadOnlyDictionary<string, IndexedValueType> attributes)
    {
        lock (sync)
        {
            foreach (var (name, type) in attributes)
            {
                custom[name] = type;
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> is a system attribute or a registered custom one.</summary>
    public bool IsKnown(string name)
    {
        lock (sync)
        {
            return System.ContainsKey(name) || custom.ContainsKey(name);
        }
    }

    public RemoveSearchAttributesResponse Remove(RemoveSearchAttributesRequest request)
    {
        requireNamespace(request.Namespace);
        lock (sync)
        {
            foreach (var name in request.SearchAttributes)
            {
                if (!custom.Remove(name))
                {
                    throw ServerErrors.NotFound($"search attribute {name} is not registered");
                }
            }
            saved?.Invoke(custom);
        }
        return new RemoveSearchAttributesResponse();
    }
}
