using MetaRewarding.Activities.Contracts;
using MetaRewarding.Workflows;
using Temporalio.Client;

namespace MetaRewarding.Worker.Runs;

/// <summary>
/// `demo` run again on the same output folder: its server's database still holds the runs the last invocation started;
/// those not finished are continued (they pick up from their history), and only when none is open are new ones started.
/// </summary>
public static class RunResumer
{
    /// <summary>
    /// Handles to the unfinished run workflows whose ids start with <paramref name="idPrefix"/> (the demo's own, never
    /// another user's runs on a shared server), or, when there are none, to <paramref name="fresh"/> started now.
    /// </summary>
    public static async Task<(List<WorkflowHandle<RunWorkflow, RunSummary>> Handles, bool Resumed)> ResumeOrStartAsync(
        ITemporalClient client, IReadOnlyList<RunInput> fresh, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fresh);
        var open = new List<WorkflowHandle<RunWorkflow, RunSummary>>();
        var query = $"WorkflowType = '{WorkflowNames.Run}' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH '{idPrefix}'";
        await foreach (var execution in client.ListWorkflowsAsync(query))
        {
            open.Add(client.GetWorkflowHandle<RunWorkflow, RunSummary>(execution.Id));
        }
        if (open.Count > 0)
        {
            open.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return (open, true);
        }
        var started = new List<WorkflowHandle<RunWorkflow, RunSummary>>();
        foreach (var run in fresh)
        {
            started.Add(await RunStarter.StartAsync(client, run));
        }
        return (started, false);
    }
}
