using System.Globalization;
using System.Text.Json;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// A workflow's values for the visibility query language: the system search attributes (from its
/// <see cref="WorkflowExecutionInfo"/>) and its custom search attributes (JSON payloads, as the SDKs write them).
/// </summary>
internal static class VisibilityRecord
{
    /// <summary>The system search attributes this server indexes, and their types (ListSearchAttributes reports them).</summary>
    public static readonly IReadOnlyDictionary<string, IndexedValueType> SystemTypes = new Dictionary<string, IndexedValueType>
    {
        ["WorkflowId"] = IndexedValueType.Keyword,
        ["WorkflowType"] = IndexedValueType.Keyword,
        ["RunId"] = IndexedValueType.Keyword,
        ["ExecutionStatus"] = IndexedValueType.Keyword,
        ["TaskQueue"] = IndexedValueType.Keyword,
        ["StartTime"] = IndexedValueType.Datetime,
        ["ExecutionTime"] = IndexedValueType.Datetime,
        ["CloseTime"] = IndexedValueType.Datetime,
        ["HistoryLength"] = IndexedValueType.Int,
        ["ExecutionDuration"] = IndexedValueType.Int,
        ["ParentWorkflowId"] = IndexedValueType.Keyword,
        ["ParentRunId"] = IndexedValueType.Keyword,
        ["RootWorkflowId"] = IndexedValueType.Keyword,
        ["RootRunId"] = IndexedValueType.Keyword,
        ["TemporalNamespaceDivision"] = IndexedValueType.Keyword,
    };

    private static readonly Dictionary<string, WorkflowExecutionStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["Running"] = WorkflowExecutionStatus.Running,
        ["Completed"] = WorkflowExecutionStatus.Completed,
        ["Failed"] = WorkflowExecutionStatus.Failed,
        ["Canceled"] = WorkflowExecutionStatus.Canceled,
        ["Terminated"] = WorkflowExecutionStatus.Terminated,
        ["ContinuedAsNew"] = WorkflowExecutionStatus.ContinuedAsNew,
        ["TimedOut"] = WorkflowExecutionStatus.TimedOut,
    };

    /// <summary>The name a query uses for a status (<c>Running</c>, <c>Completed</c>, ...).</summary>
    public static string StatusName(WorkflowExecutionStatus status) =>
        Statuses.FirstOrDefault(s => s.Value == status).Key ?? status.ToString();

    public static WorkflowExecutionStatus? ParseStatus(string name) => Statuses.TryGetValue(name, out var status) ? status : null;

    /// <summary>The attribute lookup for one workflow; null for an attribute it does not have.</summary>
    public static Func<string, object?> Of(WorkflowExecutionInfo info) => name => name switch
    {
        "WorkflowId" => info.Execution.WorkflowId,
        "RunId" => info.Execution.RunId,
        "WorkflowType" => info.Type.Name,
        "ExecutionStatus" => StatusName(info.Status),
        "TaskQueue" => info.TaskQueue,
        "StartTime" => info.StartTime?.ToDateTimeOffset(),
        "ExecutionTime" => info.ExecutionTime?.ToDateTimeOffset(),
        "CloseTime" => info.CloseTime?.ToDateTimeOffset(),
        "HistoryLength" => info.HistoryLength,
        "ExecutionDuration" => info.CloseTime is { } close && info.ExecutionTime is { } start
            ? (long)(close.ToDateTimeOffset() - start.ToDateTimeOffset()).TotalNanoseconds : null,
        "ParentWorkflowId" => NullIfEmpty(info.ParentExecution?.WorkflowId),
        "ParentRunId" => NullIfEmpty(info.ParentExecution?.RunId),
        "RootWorkflowId" => NullIfEmpty(info.RootExecution?.WorkflowId),
        "RootRunId" => NullIfEmpty(info.RootExecution?.RunId),
        "TemporalNamespaceDivision" => null,
        _ => info.SearchAttributes?.IndexedFields.TryGetValue(name, out var payload) == true ? Decode(payload) : null,
    };

    /// <summary>A custom search attribute's value: string, long, double, bool, DateTimeOffset (Datetime) or a keyword list.</summary>
    public static object? Decode(Payload payload)
    {
        if (!payload.Metadata.TryGetValue("encoding", out var encoding) || encoding.ToStringUtf8() != "json/plain" || payload.Data.IsEmpty)
        {
            return null;
        }
        using var json = JsonDocument.Parse(payload.Data.Memory);
        var isDatetime = payload.Metadata.TryGetValue("type", out var type) && type.ToStringUtf8() == "Datetime";
        return Value(json.RootElement, isDatetime);
    }

    private static object? Value(JsonElement element, bool isDatetime) => element.ValueKind switch
    {
        JsonValueKind.String when isDatetime && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) => time,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(e => e.ToString()).ToList(),
        _ => null,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
