namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>Starting from a durable store: every run rebuilt and resumed, then the work runs owed each other redone.</summary>
internal sealed partial class TemporalEngine
{
    /// <summary>Loads what the store holds; returns how many runs it had and how many of them are still open.</summary>
    public (int Runs, int Open) Recover()
    {
        if (store is null)
        {
            return (0, 0);
        }
        SearchAttributes.Restore(store.LoadSearchAttributes());
        var runs = store.LoadRuns();
        lock (storeLock)
        {
            foreach (var run in runs)
            {
                if (!runsByWorkflowId.TryGetValue((run.Namespace, run.WorkflowId), out var list))
                {
                    list = [];
                    runsByWorkflowId[(run.Namespace, run.WorkflowId)] = list;
                }
                list.Add(run);
                runsById[run.RunId] = run;
            }
        }
        foreach (var run in runs)
        {
            Resume(run, options.WorkersStopWithServer);
        }
        foreach (var run in runs)
        {
            Redrive(run);
        }
        return (runs.Count, runs.Count(r => r.IsOpen));
    }
}
