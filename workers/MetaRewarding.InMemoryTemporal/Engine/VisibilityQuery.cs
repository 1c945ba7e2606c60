using System.Text.RegularExpressions;
using Temporalio.Api.Enums.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// The subset of Temporal's visibility query language this server understands:
/// <c>WorkflowType = 'X'</c>, <c>WorkflowId = 'X'</c> and <c>ExecutionStatus = 'Running'</c>, joined with AND.
/// Anything else is refused with INVALID_ARGUMENT rather than silently ignored.
/// </summary>
internal sealed partial class VisibilityQuery
{
    private const string Supported =
        "supported forms: WorkflowType = 'X', WorkflowId = 'X', ExecutionStatus = 'Running' (or Completed, Failed, Canceled, Terminated, ContinuedAsNew, TimedOut), joined with AND";

    private VisibilityQuery(string? workflowType, string? workflowId, WorkflowExecutionStatus? status)
    {
        WorkflowType = workflowType;
        WorkflowId = workflowId;
        Status = status;
    }

    public string? WorkflowType { get; }
    public string? WorkflowId { get; }
    public WorkflowExecutionStatus? Status { get; }

    public static VisibilityQuery Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return new VisibilityQuery(null, null, null);
        }
        string? type = null, id = null;
        WorkflowExecutionStatus? status = null;
        foreach (var clause in AndSeparator().Split(query.Trim()))
        {
            var match = Clause().Match(clause);
            if (!match.Success)
            {
                throw ServerErrors.InvalidArgument($"invalid visibility query clause \"{clause.Trim()}\": {Supported}.");
            }
            var value = match.Groups["value"].Value;
            switch (match.Groups["field"].Value)
            {
                case "WorkflowType":
                    type = value;
                    break;
                case "WorkflowId":
                    id = value;
                    break;
                case "ExecutionStatus":
                    status = ParseStatus(value);
                    break;
                default:
                    throw ServerErrors.InvalidArgument($"unsupported search attribute \"{match.Groups["field"].Value}\" in visibility query: {Supported}.");
            }
        }
        return new VisibilityQuery(type, id, status);
    }

    public bool Matches(string workflowType, string workflowId, WorkflowExecutionStatus status) =>
        (WorkflowType is null || WorkflowType == workflowType)
        && (WorkflowId is null || WorkflowId == workflowId)
        && (Status is null || Status == status);

    private static WorkflowExecutionStatus ParseStatus(string value) => value switch
    {
        "Running" => WorkflowExecutionStatus.Running,
        "Completed" => WorkflowExecutionStatus.Completed,
        "Failed" => WorkflowExecutionStatus.Failed,
        "Canceled" => WorkflowExecutionStatus.Canceled,
        "Terminated" => WorkflowExecutionStatus.Terminated,
        "ContinuedAsNew" => WorkflowExecutionStatus.ContinuedAsNew,
        "TimedOut" => WorkflowExecutionStatus.TimedOut,
        _ => throw ServerErrors.InvalidArgument($"unknown ExecutionStatus '{value}': {Supported}."),
    };

    [GeneratedRegex(@"\s+AND\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndSeparator();

    [GeneratedRegex("""^\s*(?<field>[A-Za-z]+)\s*=\s*(?<q>['"])(?<value>[^'"]*)\k<q>\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex Clause();
}
