using MetaRewarding.Activities.Contracts;
using Temporalio.Client;

namespace MetaRewarding.Worker.Runs;

/// <summary>
/// The run workflows still open on a server whose ids start with a prefix: what <c>demo</c> run again on the same output
/// folder finds in its server's database, so it continues those runs (they pick up from their history) instead of
/// starting new ones. The prefix keeps it to the demo's own runs, never another user's on a shared server.
/// </summary>
public static class OpenRuns
{
    /// <summary>The ids of the open run workflows starting with <paramref name="idPrefix"/>, in ordinal order.</summary>
    public static async Task<List<string>> ListAsync(ITemporalClient client, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(client);
        var query = $"WorkflowType = '{WorkflowNames.Run}' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH '{idPrefix}'";
        var ids = new List<string>();
        await foreach (var execution in client.ListWorkflowsAsync(query))
        {
            ids.Add(execution.Id);
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }
}
