using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace MetaRewarding.InMemoryTemporal.Tests.Support;

// The SDK requires workflow run, signal and query methods to be instance members, even when they use no state.
#pragma warning disable CA1822

/// <summary>Sets two memo keys and a search attribute, then unsets one memo key and the search attribute.</summary>
[Workflow]
public sealed class UnsetPropertiesWorkflow
{
    public static readonly SearchAttributeKey<string> Label = SearchAttributeKey.CreateKeyword("ConformanceLabel");

    [WorkflowRun]
    public async Task RunAsync()
    {
        Workflow.UpsertMemo(MemoUpdate.ValueSet("kept", "yes"), MemoUpdate.ValueSet("dropped", "soon"));
        Workflow.UpsertTypedSearchAttributes(Label.ValueSet("temporary"));
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(1));
        Workflow.UpsertMemo(MemoUpdate.ValueUnset("dropped"));
        Workflow.UpsertTypedSearchAttributes(Label.ValueUnset());
    }
}

/// <summary>
/// Takes a different branch on build id "1.0" (a timer) than on any other, as code does across a deployment, then waits
/// for a signal; the query says which build id ran the first task. A worker of another build id replays it for a query.
/// </summary>
[Workflow]
public sealed class BuildIdBranchWorkflow
{
    private string firstBuildId = "";
    private bool finish;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        firstBuildId = Workflow.CurrentBuildId;
        if (firstBuildId == "1.0")
        {
            await Workflow.DelayAsync(TimeSpan.FromMilliseconds(1));
        }
        await Workflow.WaitConditionAsync(() => finish);
        return firstBuildId;
    }

    [WorkflowQuery]
    public string FirstBuildId() => firstBuildId;

    [WorkflowSignal]
    public Task FinishAsync()
    {
        finish = true;
        return Task.CompletedTask;
    }
}

/// <summary>Fails (a workflow failure, not a task failure) until its attempt under its own retry policy reaches the given one.</summary>
[Workflow]
public sealed class SucceedsOnAttemptWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int succeedOn) =>
        Workflow.Info.Attempt < succeedOn
            ? throw new ApplicationFailureException($"attempt {Workflow.Info.Attempt} fails")
            : Task.FromResult(Workflow.Info.Attempt);
}

/// <summary>Prepare, then render with a one-hour retry backoff (so a retry that happens within a test was asked for).</summary>
[Workflow]
public sealed class TemplateWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string input)
    {
        var prepared = await Workflow.ExecuteActivityAsync((TemplateActivities a) => a.Prepare(input), new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
        return await Workflow.ExecuteActivityAsync((TemplateActivities a) => a.Render(prepared), new()
        {
            ActivityId = "render",
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromHours(1) },
        });
    }
}

/// <summary>One gated activity with hour-long timeouts and backoff: whatever happens within a test, the server's restart did.</summary>
[Workflow]
public sealed class GateWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.ExecuteActivityAsync((GateActivities a) => a.PassGate(), new()
        {
            StartToCloseTimeout = TimeSpan.FromHours(1),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromHours(1) },
        });
}
