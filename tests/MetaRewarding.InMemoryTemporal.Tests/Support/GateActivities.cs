using Temporalio.Activities;

namespace MetaRewarding.InMemoryTemporal.Tests.Support;

/// <summary>An activity whose first attempt waits until the test opens the gate; later attempts pass at once.</summary>
public sealed class GateActivities
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Activity]
    public async Task<string> PassGate()
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        if (attempt == 1)
        {
            Entered.TrySetResult();
            await Gate.Task.WaitAsync(ActivityExecutionContext.Current.CancellationToken);
        }
        return $"passed on attempt {attempt}";
    }
}
