using Temporalio.Activities;
using Temporalio.Workflows;

namespace MetaRewarding.InMemoryTemporal.Benchmarks;

// The SDK requires [WorkflowRun] methods to be instance members, even when they use no state.
#pragma warning disable CA1822

/// <summary>The cheapest possible activity: the figure measures the server and SDK round trip, not work.</summary>
public static class BenchmarkActivities
{
    [Activity]
    public static int Increment(int value) => value + 1;
}

/// <summary>Runs its activities one after another: every activity costs a workflow task too.</summary>
[Workflow]
public sealed class SequentialActivitiesWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            value = await Workflow.ExecuteActivityAsync(() => BenchmarkActivities.Increment(value), new() { StartToCloseTimeout = TimeSpan.FromSeconds(60) });
        }
        return value;
    }
}

/// <summary>Schedules all its activities at once: activity round trips dominate.</summary>
[Workflow]
public sealed class ParallelActivitiesWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int count)
    {
        var results = await Workflow.WhenAllAsync(Enumerable.Range(0, count).Select(i =>
            Workflow.ExecuteActivityAsync(() => BenchmarkActivities.Increment(i), new() { StartToCloseTimeout = TimeSpan.FromSeconds(60) })));
        return results.Length;
    }
}
